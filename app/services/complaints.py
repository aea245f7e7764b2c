"""Residents' complaints (MAN-COMPLAINT, MAN 1.2.2, Annex 3): whoever the resident tells records
it; the shelter manager of the organisation concerned and the coordinator read and handle it,
never the member of staff it names (a complaint about the manager reaches the coordinator
only). A private meeting is due within the rulebook's days, on their worklists until held."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import (
    STAFF_ROLES,
    Action,
    CaseScope,
    can,
    case_scope,
    handles_complaint,
)
from app.domain.dates import check_event_date, check_in_order, check_not_future
from app.domain.errors import InvalidValue
from app.domain.protection import (
    COMPLAINT_STEPS,
    ComplaintKind,
    check_complaint,
    complaint_meeting_due,
)
from app.domain.rulebook import Rulebook
from app.domain.shelter import StayStatus
from app.domain.states import advance
from app.errors import NotFound
from app.models import Complaint, Shelter, ShelterStay, User, Victim
from app.schemas.complaints import ComplaintCreate, ComplaintMeeting, ComplaintResolution
from app.security import Principal
from app.services import audit, facts, records
from app.services.audit import AuditAction
from app.services.pagination import PageParams, fetch_page
from app.services.scope import victim_is_visible

RECORD_TYPE = "complaint"


def handled_by(principal: Principal, complaint: Complaint) -> bool:
    return handles_complaint(
        principal.role,
        principal.actor_id,
        principal.organisation_id,
        complaint.organisation_id,
        complaint.about_user_id,
    )


async def record(
    session: AsyncSession,
    principal: Principal,
    data: ComplaintCreate,
    today: date,
    rulebook: Rulebook,
) -> Complaint:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    check_event_date("received_on", data.received_on, today, victim.identified_on)
    with audit.refusals_recorded(session, principal, RECORD_TYPE, victim.id):
        check_complaint(data.kind, data.about_user_id, principal.actor_id)
    complaint = Complaint(
        **data.model_dump(),
        organisation_id=await _handling_organisation(session, principal, data, victim),
        meeting_due_on=complaint_meeting_due(data.received_on, rulebook),
        recorded_by=principal.actor_id,
        rulebook_version=rulebook.version,
    )
    session.add(complaint)
    await session.flush()
    records.audit_change(session, principal, complaint, AuditAction.CREATE)
    return complaint


async def _handling_organisation(
    session: AsyncSession, principal: Principal, data: ComplaintCreate, victim: Victim
) -> UUID:
    """Whose shelter manager handles it: the named staff member's organisation for a complaint
    about conduct; else the organisation running the shelter the person lives in, the
    recorder's, or the case's."""
    if data.kind is ComplaintKind.STAFF_CONDUCT:
        named = await session.get(User, data.about_user_id)
        if named is None or not named.active or named.role not in STAFF_ROLES:
            raise InvalidValue("about_user_id", "No member of staff has this id.")
        if named.organisation_id is not None:
            return named.organisation_id
    runner = (
        select(Shelter.organisation_id)
        .join(ShelterStay, col(ShelterStay.shelter_id) == col(Shelter.id))
        .where(
            col(ShelterStay.victim_id) == victim.id,
            col(ShelterStay.status) == StayStatus.ADMITTED,
        )
    )
    shelter_runner = (await session.exec(runner)).first()
    if shelter_runner is not None:
        return shelter_runner
    if principal.role in STAFF_ROLES and principal.organisation_id is not None:
        return principal.organisation_id
    return victim.organisation_id


async def get_handled(session: AsyncSession, principal: Principal, complaint_id: UUID) -> Complaint:
    """A complaint the caller handles; any other is unknown to them (404). The named member of
    staff asking for it is a refusal worth keeping in the trail."""
    query = select(Complaint).where(
        col(Complaint.id) == complaint_id, victim_is_visible(principal, col(Complaint.victim_id))
    )
    complaint = (await session.exec(query)).first()
    if complaint is None or not handled_by(principal, complaint):
        if complaint is not None and complaint.about_user_id == principal.actor_id:
            audit.record_refusal(
                session, principal, RECORD_TYPE, complaint.id, victim_id=complaint.victim_id
            )
        raise NotFound("No such complaint.")
    return complaint


def _handled(principal: Principal) -> ColumnElement[bool]:
    """``handles_complaint`` as SQL, for lists."""
    not_named = or_(
        col(Complaint.about_user_id).is_(None), col(Complaint.about_user_id) != principal.actor_id
    )
    if case_scope(principal.role) is CaseScope.ALL:
        return not_named
    return and_(not_named, col(Complaint.organisation_id) == principal.organisation_id)


async def list_handled(
    session: AsyncSession, principal: Principal, page: PageParams, victim_id: UUID | None
) -> tuple[Sequence[Complaint], str | None]:
    query = select(Complaint).where(
        _handled(principal), victim_is_visible(principal, col(Complaint.victim_id))
    )
    if victim_id is not None:
        query = query.where(col(Complaint.victim_id) == victim_id)
    found, cursor = await fetch_page(session, query, Complaint.id, page)
    audit.record_reads(session, principal, RECORD_TYPE, [(c.id, c.victim_id) for c in found])
    return found, cursor


async def hold_meeting(
    session: AsyncSession,
    principal: Principal,
    complaint: Complaint,
    data: ComplaintMeeting,
    today: date,
) -> Complaint:
    status = advance(COMPLAINT_STEPS, "complaint", complaint.status, "meeting")
    check_not_future("held_on", data.held_on, today)
    check_in_order("held_on", data.held_on, complaint.received_on, "The meeting follows it.")
    complaint.meeting_held_on, complaint.meeting_notes = data.held_on, data.notes
    return await records.save_step(session, principal, complaint, status)


async def resolve(
    session: AsyncSession,
    principal: Principal,
    complaint: Complaint,
    data: ComplaintResolution,
    today: date,
) -> Complaint:
    status = advance(COMPLAINT_STEPS, "complaint", complaint.status, "resolve")
    check_not_future("resolved_on", data.resolved_on, today)
    earliest = complaint.meeting_held_on or complaint.received_on
    check_in_order("resolved_on", data.resolved_on, earliest, "It is resolved after it came.")
    complaint.resolved_on, complaint.resolution = data.resolved_on, data.resolution
    return await records.save_step(session, principal, complaint, status)


async def of_person(
    session: AsyncSession, principal: Principal, victim_id: UUID
) -> Sequence[Complaint]:
    """The person's complaints that the caller handles (their export); none for a role that
    handles none."""
    if not can(principal.role, Action.COMPLAINT_HANDLE):
        return []
    query = select(Complaint).where(col(Complaint.victim_id) == victim_id, _handled(principal))
    return (await session.exec(query.order_by(col(Complaint.id)))).all()
