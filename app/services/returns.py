"""Returns home and family reunifications (MAN-RETURN): planned with the person's decision,
a reunification only under SOP-FAMILY; arranged by one organisation, which records the
departure and the arrival; the arrival arranges the follow-up contact (MAN-EXIT)."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.casework import AssessmentKind, FollowUpTrigger
from app.domain.dates import check_event_date, check_in_order
from app.domain.errors import InvalidValue
from app.domain.pathway import check_family_involvement
from app.domain.reintegration import (
    RETURN_STEPS,
    ReturnKind,
    ReturnStatus,
    check_departure,
    check_return_decided,
)
from app.domain.rulebook import Rulebook
from app.domain.states import advance
from app.errors import Forbidden
from app.models import Return
from app.schemas.returns import ReturnCreate, ReturnStep, ReturnUpdate
from app.security import Principal
from app.services import audit, facts, follow_up_contacts, records
from app.services.audit import AuditAction
from app.services.common import ensure_version
from app.services.follow_up_contacts import Exit
from app.services.pagination import PageParams

RECORD_TYPE = "return"


async def plan(session: AsyncSession, principal: Principal, data: ReturnCreate) -> Return:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    await facts.ensure_in_work(session, victim.id, "plan a return")
    with audit.refusals_recorded(session, principal, RECORD_TYPE, victim.id):
        check_return_decided(data.decided_by_person is True)
        await _check_family(session, data.kind, victim.id)
    why = "A return is planned after the person's identification."
    check_in_order("planned_on", data.planned_on, victim.identified_on, why)
    journey = Return(
        **data.model_dump(exclude={"decided_by_person"}),
        decided_by_person=True,
        organisation_id=principal.organisation,
        created_by=principal.actor_id,
    )
    session.add(journey)
    await session.flush()
    records.audit_change(session, principal, journey, AuditAction.CREATE)
    return journey


async def _check_family(session: AsyncSession, kind: ReturnKind, victim_id: UUID) -> None:
    """MAN-RETURN: a reunification with the family needs SOP-FAMILY."""
    if kind is ReturnKind.FAMILY_REUNIFICATION:
        assessed = await facts.has_completed(session, victim_id, AssessmentKind.FAMILY_RISK)
        check_family_involvement(await facts.consents_of(session, victim_id), assessed)


def _arranger_only(principal: Principal, journey: Return) -> None:
    if not keeps_record(principal.organisation_id, journey.organisation_id):
        raise Forbidden("The organisation that arranges the return records it.")


async def change(
    session: AsyncSession,
    principal: Principal,
    journey: Return,
    data: ReturnUpdate,
    expected_version: int | None,
) -> Return:
    """The plan (documents obtained, a new day, the escort) changes until the person leaves."""
    ensure_version(journey, expected_version)
    _arranger_only(principal, journey)
    advance(RETURN_STEPS, "return", journey.status, "change its plan")
    await facts.ensure_in_work(session, journey.victim_id, "change a return")
    for field, value in data.model_dump(exclude_unset=True).items():
        if value is None:
            raise InvalidValue(field, f"{field} cannot be emptied.")
        setattr(journey, field, value)
    session.add(journey)
    await session.flush()
    records.audit_change(session, principal, journey, AuditAction.UPDATE)
    return journey


async def step(
    session: AsyncSession,
    principal: Principal,
    journey: Return,
    action: str,
    data: ReturnStep,
    today: date,
    rulebook: Rulebook,
) -> Return:
    """``depart``, ``arrive`` or ``cancel``, by the organisation that arranges the return."""
    _arranger_only(principal, journey)
    status = advance(RETURN_STEPS, "return", journey.status, action)
    await facts.ensure_in_work(session, journey.victim_id, f"{action} a return")
    check_event_date("on", data.on, today, None)
    if status is ReturnStatus.TRAVELLING:
        with audit.refusals_recorded(session, principal, RECORD_TYPE, journey.victim_id):
            check_departure(journey.travel_documents)
            await _check_family(session, journey.kind, journey.victim_id)  # consent still holds
        journey.departed_on = data.on
    elif status is ReturnStatus.ARRIVED:
        check_in_order("on", data.on, journey.departed_on, "The person arrives after leaving.")
        journey.arrived_on = data.on
        left = Exit(
            journey.victim_id,
            journey.organisation_id,
            data.on,
            FollowUpTrigger.RETURNED,
            return_id=journey.id,
        )
        await follow_up_contacts.schedule(session, principal, left, rulebook)
    else:
        if data.reason is None:
            raise InvalidValue("reason", "Say why the return is cancelled.")
        journey.cancelled_on, journey.cancel_reason = data.on, data.reason
    return await records.save_step(session, principal, journey, status)


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    victim_id: UUID | None,
    status: ReturnStatus | None,
) -> tuple[Sequence[Return], str | None]:
    filters = []
    if victim_id is not None:
        filters.append(col(Return.victim_id) == victim_id)
    if status is not None:
        filters.append(col(Return.status) == status)
    return await records.page_visible(session, principal, Return, page, *filters)
