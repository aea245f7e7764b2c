"""Closing a case and reopening it (MAN-CASE-CLOSE): with a reason, only when nothing is open;
closure arranges the follow-up contact (MAN-EXIT). The history of closures is kept."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import ColumnElement
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import closes_case
from app.domain.care import check_exit_information
from app.domain.casework import (
    OPEN_PLAN_STATES,
    OPEN_REFERRAL_STATES,
    AgreementStatus,
    FollowUpTrigger,
)
from app.domain.closure import (
    CASE_STEPS,
    OpenRecord,
    check_closable,
    check_closed_on,
    exit_information_given,
    follow_up_after_closure,
)
from app.domain.dates import check_event_date
from app.domain.grants import COMMITTED_GRANT_STATES
from app.domain.rulebook import Rulebook
from app.domain.shelter import OPEN_STAY_STATES
from app.domain.states import advance
from app.errors import Forbidden
from app.models import (
    CarePlan,
    CaseClosure,
    Referral,
    ReintegrationGrant,
    ServiceAgreement,
    ShelterStay,
    Victim,
)
from app.schemas.case_closures import CaseClose
from app.security import Principal
from app.services import audit, follow_up_contacts
from app.services.audit import AuditAction
from app.services.common import locked
from app.services.follow_up_contacts import Exit
from app.services.pagination import PageParams, fetch_page

# what keeps a case open, by the audit trail's name for it
_OPEN: tuple[tuple[str, Any, ColumnElement[bool]], ...] = (
    ("shelter_stay", ShelterStay, col(ShelterStay.status).in_(OPEN_STAY_STATES)),
    ("care_plan", CarePlan, col(CarePlan.status).in_(OPEN_PLAN_STATES)),
    (
        "service_agreement",
        ServiceAgreement,
        col(ServiceAgreement.status) == AgreementStatus.ACTIVE,
    ),
    (
        "reintegration_grant",
        ReintegrationGrant,
        col(ReintegrationGrant.status).in_(COMMITTED_GRANT_STATES),
    ),
    ("referral", Referral, col(Referral.status).in_(OPEN_REFERRAL_STATES)),
)


async def open_records(session: AsyncSession, victim_id: UUID) -> list[OpenRecord]:
    found: list[OpenRecord] = []
    for name, model, is_open in _OPEN:
        query = select(col(model.id), col(model.status)).where(
            col(model.victim_id) == victim_id, is_open
        )
        found += [OpenRecord(name, rid, str(status)) for rid, status in await session.exec(query)]
    return found


# the days on which the person left something: a case is not closed before them
_EXITS = (
    (ShelterStay, ShelterStay.discharged_on),
    (CarePlan, CarePlan.ended_on),
    (ServiceAgreement, ServiceAgreement.ended_on),
    (Referral, Referral.completed_on),
)


async def _last_exit(session: AsyncSession, victim_id: UUID) -> date | None:
    days = [
        (await session.exec(select(func.max(day)).where(col(model.victim_id) == victim_id))).one()
        for model, day in _EXITS
    ]
    return max((d for d in days if d is not None), default=None)


async def close(
    session: AsyncSession,
    principal: Principal,
    victim: Victim,
    data: CaseClose,
    today: date,
    rulebook: Rulebook,
) -> Victim:
    """The victim's row is locked first: records being added to the case meanwhile (which
    share-lock it) are committed before the open work is counted, and later ones see it closed."""
    _keeper_only(principal, victim)
    victim = await locked(session, Victim, victim.id)
    next_status = advance(CASE_STEPS, "case", victim.status, "close")
    closed_on = data.closed_on or today
    check_event_date("closed_on", closed_on, today, victim.identified_on)
    check_closed_on(closed_on, await _last_exit(session, victim.id))
    check_closable(await open_records(session, victim.id))
    if exit_information_given(data.reason):
        check_exit_information(data.exit_information)
    closure = CaseClosure(
        victim_id=victim.id,
        reason=data.reason,
        closed_on=closed_on,
        exit_information=data.exit_information,
        closed_by=principal.actor_id,
    )
    victim.status = next_status
    session.add_all([closure, victim])
    await session.flush()
    audit.record(session, principal, AuditAction.CLOSE, "victim", victim.id, victim_id=victim.id)
    if follow_up_after_closure(data.reason):
        trigger = FollowUpTrigger.CASE_CLOSED
        left = Exit(victim.id, victim.organisation_id, closed_on, trigger, closure_id=closure.id)
        await follow_up_contacts.schedule(session, principal, left, rulebook)
    return victim


async def reopen(
    session: AsyncSession, principal: Principal, victim: Victim, reason: str, now: datetime
) -> Victim:
    _keeper_only(principal, victim)
    victim = await locked(session, Victim, victim.id)
    victim.status = advance(CASE_STEPS, "case", victim.status, "reopen")
    latest = select(CaseClosure).where(col(CaseClosure.victim_id) == victim.id)
    closure = (await session.exec(latest.order_by(col(CaseClosure.id).desc()))).first()
    if closure is not None:
        closure.reopened_at, closure.reopen_reason = now, reason
        closure.reopened_by = principal.actor_id
        session.add(closure)
    session.add(victim)
    await session.flush()
    audit.record(session, principal, AuditAction.REOPEN, "victim", victim.id, victim_id=victim.id)
    return victim


async def closures_of(
    session: AsyncSession, principal: Principal, victim: Victim, page: PageParams
) -> tuple[Sequence[CaseClosure], str | None]:
    query = select(CaseClosure).where(col(CaseClosure.victim_id) == victim.id)
    found, cursor = await fetch_page(session, query, CaseClosure.id, page)
    audit.record_reads(session, principal, "case_closure", [(c.id, victim.id) for c in found])
    return found, cursor


def _keeper_only(principal: Principal, victim: Victim) -> None:
    if not closes_case(principal.role, principal.organisation_id, victim.organisation_id):
        raise Forbidden("The organisation whose case it is (or the coordinator) closes it.")
