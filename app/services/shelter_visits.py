"""The visitor log of a shelter (MAN-VISITORS): recorded by the shelter's staff, read by its
manager and the coordinator."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Role, keeps_record, oversees_or_keeps
from app.domain.dates import check_in_order
from app.domain.errors import InvalidValue
from app.domain.shelter import VisitFacts, check_visit
from app.errors import Forbidden
from app.models import Shelter, User, Visit
from app.schemas.shelter_visits import CoordinatorApproval, VisitCreate
from app.security import Principal
from app.services import audit, facts
from app.services.audit import AuditAction
from app.services.organisations import get_referenced
from app.services.pagination import PageParams, fetch_page


async def record(
    session: AsyncSession, principal: Principal, shelter: Shelter, data: VisitCreate, now: datetime
) -> Visit:
    if not keeps_record(principal.organisation_id, shelter.organisation_id):
        raise Forbidden("The staff of the shelter keep its visitor log.")
    if data.arrived_at > now:
        raise InvalidValue("arrived_at", "A visit is recorded once the visitor has arrived.")
    if data.left_at is not None:
        check_in_order("left_at", data.left_at, data.arrived_at, "A visitor leaves after arriving.")
    organisation_kind = None
    if data.visitor_organisation_id is not None:
        visitor_org = await get_referenced(
            session, data.visitor_organisation_id, "visitor_organisation_id"
        )
        organisation_kind = visitor_org.kind
    approval = data.approved_by_coordinator
    if approval is not None:
        await _check_approval(session, approval, data.arrived_at)
    check_visit(
        VisitFacts(data.visitor_kind, organisation_kind, data.justification, bool(approval))
    )
    if data.victim_id is not None:
        await facts.resident_on(session, principal, shelter.id, data.victim_id, data.arrived_at)
    visit = Visit(
        **data.model_dump(exclude={"approved_by_coordinator"}),
        approved_by=approval.by_user_id if approval else None,
        approved_on=approval.on if approval else None,
        shelter_id=shelter.id,
        recorded_by=principal.actor_id,
    )
    session.add(visit)
    await session.flush()
    audit.record(
        session, principal, AuditAction.CREATE, "shelter_visit", visit.id, victim_id=visit.victim_id
    )
    return visit


async def _check_approval(
    session: AsyncSession, approval: CoordinatorApproval, arrived_at: datetime
) -> None:
    """MAN-VISITORS: the approval is a coordinator's, given before the visit."""
    approver = await session.get(User, approval.by_user_id)
    if approver is None or approver.role is not Role.COORDINATOR or not approver.active:
        raise InvalidValue("approved_by_coordinator", "No active coordinator has this id.")
    check_in_order(
        "approved_by_coordinator",
        arrived_at.date(),
        approval.on,
        "The approval comes before the visit.",
    )


async def log_of(
    session: AsyncSession, principal: Principal, shelter: Shelter, page: PageParams
) -> tuple[Sequence[Visit], str | None]:
    """The shelter manager of the running organisation and the coordinator read the log."""
    if not oversees_or_keeps(principal.role, principal.organisation_id, shelter.organisation_id):
        raise Forbidden("The shelter's manager and the coordinator read its visitor log.")
    query = select(Visit).where(col(Visit.shelter_id) == shelter.id)
    audit.record(session, principal, AuditAction.LIST, "shelter_visit", shelter.id)
    found, cursor = await fetch_page(session, query, Visit.id, page)
    named = [(v.id, v.victim_id) for v in found if v.victim_id is not None]
    audit.record_reads(session, principal, "shelter_visit", named)
    return found, cursor
