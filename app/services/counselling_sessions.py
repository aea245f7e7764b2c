"""Counselling sessions (MAN-SESSIONS): individual, group and family work with the method used,
recorded by the organisation that held them. A session is visible to whoever sees one of the
persons in it, and shows only the persons the caller sees; its notes speak of everyone in it,
so they are shown only to a caller who sees them all."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlalchemy import ColumnElement, exists
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.care import (
    PlanPeriod,
    SessionRequest,
    check_family_session,
    check_session,
    check_session_in_plan,
)
from app.domain.casework import AssessmentKind, SessionKind
from app.domain.closure import check_in_work
from app.domain.dates import check_event_date
from app.domain.errors import InvalidValue
from app.errors import NotFound
from app.models import CarePlan, CounsellingSession, SessionParticipant, Victim
from app.models.personal_data import readable
from app.schemas.counselling_sessions import SessionCreate
from app.security import Principal
from app.services import audit, facts, records
from app.services.audit import AuditAction
from app.services.pagination import PageParams, fetch_page
from app.services.scope import victim_is_visible, visible_victims

RECORD_TYPE = "counselling_session"


@dataclass(frozen=True)
class SessionFile:
    record: CounsellingSession
    victim_ids: list[UUID]  # the persons in it the caller sees
    others: int  # and how many more took part


async def record(
    session: AsyncSession, principal: Principal, data: SessionCreate, today: date
) -> SessionFile:
    persons = await _participants(session, principal, data.victim_ids)
    notes_given = data.notes is not None
    reads_notes = readable(principal.role, CounsellingSession.__tablename__, "notes")
    check_session(SessionRequest(data.kind, len(persons), notes_given, reads_notes))
    for person in persons:
        check_event_date("held_on", data.held_on, today, person.identified_on)
    if data.kind is SessionKind.FAMILY:
        person = persons[0]
        family_risk = await facts.has_completed(session, person.id, AssessmentKind.FAMILY_RISK)
        check_family_session(await facts.consents_of(session, person.id), family_risk)
    if data.care_plan_id is not None:
        await _check_plan(session, principal, data.care_plan_id, data.victim_ids, data.held_on)
    row = CounsellingSession(
        **data.model_dump(exclude={"victim_ids"}),
        organisation_id=principal.organisation,
        author_id=principal.actor_id,
        author_role=principal.role,
    )
    session.add(row)
    await session.flush()
    session.add_all([SessionParticipant(session_id=row.id, victim_id=p.id) for p in persons])
    for person in persons:
        audit.record(
            session, principal, AuditAction.CREATE, RECORD_TYPE, row.id, victim_id=person.id
        )
    return SessionFile(row, sorted(p.id for p in persons), 0)


async def _participants(
    session: AsyncSession, principal: Principal, victim_ids: Sequence[UUID]
) -> list[Victim]:
    """Each person must be one whose case the caller sees (404 otherwise: another's case is
    not disclosed), in case work (MAN-CASE-CLOSE)."""
    query = (
        select(Victim)
        .where(col(Victim.id).in_(victim_ids), visible_victims(principal))
        .with_for_update(read=True, of=Victim)
    )
    found = {v.id: v for v in (await session.exec(query)).all()}
    if len(found) != len(victim_ids):
        raise NotFound("No such person.")
    persons = [found[vid] for vid in victim_ids]
    for person in persons:
        check_in_work(person.status, "record a session")
    return persons


async def _check_plan(
    session: AsyncSession,
    principal: Principal,
    plan_id: UUID,
    victim_ids: Sequence[UUID],
    held_on: date,
) -> None:
    plan = await session.get(CarePlan, plan_id)
    if (
        plan is None
        or plan.victim_id not in victim_ids
        or not keeps_record(principal.organisation_id, plan.organisation_id)
    ):
        raise InvalidValue("care_plan_id", "Not a plan of these persons kept by your organisation.")
    check_session_in_plan(held_on, PlanPeriod(plan.activated_on, plan.ended_on))


def _visible(principal: Principal) -> ColumnElement[bool]:
    """A session is seen by whoever sees one of the persons in it."""
    return exists().where(
        col(SessionParticipant.session_id) == col(CounsellingSession.id),
        victim_is_visible(principal, col(SessionParticipant.victim_id)),
    )


async def get_visible(
    session: AsyncSession, principal: Principal, session_id: UUID
) -> CounsellingSession:
    query = select(CounsellingSession).where(
        col(CounsellingSession.id) == session_id, _visible(principal)
    )
    row = (await session.exec(query)).first()
    if row is None:
        raise NotFound("No such session.")
    return row


async def read(session: AsyncSession, principal: Principal, row: CounsellingSession) -> SessionFile:
    (shown,) = await _files(session, principal, [row])
    for victim_id in shown.victim_ids:
        audit.record(session, principal, AuditAction.READ, RECORD_TYPE, row.id, victim_id=victim_id)
    return shown


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    victim_id: UUID | None,
    care_plan_id: UUID | None,
) -> tuple[list[SessionFile], str | None]:
    query = select(CounsellingSession).where(_visible(principal))
    if victim_id is not None:  # a person the caller does not see took part in nothing it sees
        took_part = exists().where(
            col(SessionParticipant.session_id) == col(CounsellingSession.id),
            col(SessionParticipant.victim_id) == victim_id,
            victim_is_visible(principal, col(SessionParticipant.victim_id)),
        )
        query = query.where(took_part)
    if care_plan_id is not None:
        query = query.where(col(CounsellingSession.care_plan_id) == care_plan_id)
    rows, cursor = await fetch_page(session, query, CounsellingSession.id, page)
    shown = await _files(session, principal, rows)
    reads = [(f.record.id, vid) for f in shown for vid in f.victim_ids]
    audit.record_reads(session, principal, RECORD_TYPE, reads)
    return shown, cursor


async def of_person(
    session: AsyncSession, principal: Principal, victim_id: UUID
) -> list[SessionFile]:
    """Every session the person took part in (their export): read as the caller may."""
    took_part = select(SessionParticipant.session_id).where(
        col(SessionParticipant.victim_id) == victim_id
    )
    query = (
        select(CounsellingSession)
        .where(col(CounsellingSession.id).in_(took_part))
        .order_by(col(CounsellingSession.id))
    )
    return await _files(session, principal, (await session.exec(query)).all())


async def _files(
    session: AsyncSession, principal: Principal, rows: Sequence[CounsellingSession]
) -> list[SessionFile]:
    """The persons of a page of sessions: those the caller sees, and a count of the rest."""
    link = (col(SessionParticipant.session_id), col(SessionParticipant.victim_id))
    named = await records.persons_named(session, principal, link, [r.id for r in rows])
    return [SessionFile(r, *named[r.id]) for r in rows]
