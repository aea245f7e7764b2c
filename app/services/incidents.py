"""Incidents at a shelter (MAN-INCIDENT, MAN 4.0.5): recorded by the shelter's staff, read by
them and the coordinator, on the worklists of the shelter manager and the coordinator until one
of them acknowledges it. Residents are named by id, and a reader is shown only those whose case
they see; the shelter is named by id (its address stays where MAN-CONFIDENTIAL-LOCATION puts it)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record, oversees_or_keeps
from app.domain.errors import InvalidValue
from app.domain.states import check_not_done
from app.errors import Forbidden, NotFound
from app.models import Incident, IncidentResident, Shelter
from app.schemas.incidents import IncidentCreate
from app.security import Principal
from app.services import audit, facts, records
from app.services.audit import AuditAction
from app.services.common import locked
from app.services.pagination import PageParams, fetch_page
from app.services.scope import kept_by_caller

RECORD_TYPE = "incident"


@dataclass(frozen=True)
class IncidentFile:
    record: Incident
    victim_ids: list[UUID]  # the residents it names whom the caller sees
    others: int  # and how many more


async def record(
    session: AsyncSession, principal: Principal, data: IncidentCreate, now: datetime, today: date
) -> IncidentFile:
    shelter = await session.get(Shelter, data.shelter_id)
    if shelter is None:
        raise InvalidValue("shelter_id", "No shelter has this id.")
    if not keeps_record(principal.organisation_id, shelter.organisation_id):
        raise Forbidden("The staff of the shelter record its incidents.")
    if data.occurred_at > now:
        raise InvalidValue("occurred_at", "An incident is recorded once it has happened.")
    residents = sorted(set(data.victim_ids))
    for victim_id in residents:
        await facts.resident_on(
            session, principal, shelter.id, victim_id, data.occurred_at, "victim_ids"
        )
    incident = Incident(
        **data.model_dump(exclude={"victim_ids"}),
        organisation_id=shelter.organisation_id,
        recorded_by=principal.actor_id,
        reported_on=today,
    )
    session.add(incident)
    await session.flush()
    session.add_all([IncidentResident(incident_id=incident.id, victim_id=v) for v in residents])
    _audit(session, principal, AuditAction.CREATE, incident.id, residents)
    return IncidentFile(incident, residents, 0)


def _audit(
    session: AsyncSession,
    principal: Principal,
    action: AuditAction,
    incident_id: UUID,
    residents: Sequence[UUID],
) -> None:
    named: Sequence[UUID | None] = residents or [None]  # an incident that names no one, too
    for victim_id in named:
        audit.record(session, principal, action, RECORD_TYPE, incident_id, victim_id=victim_id)


async def get_visible(session: AsyncSession, principal: Principal, incident_id: UUID) -> Incident:
    """The staff of the organisation that runs the shelter, and the coordinator."""
    query = select(Incident).where(
        col(Incident.id) == incident_id, kept_by_caller(principal, Incident.organisation_id)
    )
    incident = (await session.exec(query)).first()
    if incident is None:
        raise NotFound("No such incident.")
    return incident


async def read(session: AsyncSession, principal: Principal, incident: Incident) -> IncidentFile:
    (shown,) = await _files(session, principal, [incident])
    _audit(session, principal, AuditAction.READ, incident.id, shown.victim_ids)
    return shown


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    shelter_id: UUID | None,
    open_only: bool,
) -> tuple[list[IncidentFile], str | None]:
    query = select(Incident).where(kept_by_caller(principal, Incident.organisation_id))
    if shelter_id is not None:
        query = query.where(col(Incident.shelter_id) == shelter_id)
    if open_only:
        query = query.where(col(Incident.acknowledged_at).is_(None))
    rows, cursor = await fetch_page(session, query, Incident.id, page)
    shown = await _files(session, principal, rows)
    reads = [(f.record.id, v) for f in shown for v in f.victim_ids]
    audit.record_reads(session, principal, RECORD_TYPE, reads)
    return shown, cursor


async def acknowledge(
    session: AsyncSession, principal: Principal, incident: Incident, now: datetime
) -> IncidentFile:
    """MAN-INCIDENT: the manager of the shelter's organisation, or the coordinator. The row is
    locked first: of two acknowledgements at once the later sees the earlier and is refused."""
    if not oversees_or_keeps(principal.role, principal.organisation_id, incident.organisation_id):
        raise Forbidden("The shelter's manager, or the coordinator, acknowledges it.")
    incident = await locked(session, Incident, incident.id)
    check_not_done("incident", incident.acknowledged_at is not None, "acknowledged", "acknowledge")
    incident.acknowledged_at, incident.acknowledged_by = now, principal.actor_id
    session.add(incident)
    await session.flush()
    (shown,) = await _files(session, principal, [incident])
    _audit(session, principal, AuditAction.UPDATE, incident.id, shown.victim_ids)
    return shown


async def of_person(
    session: AsyncSession, principal: Principal, victim_id: UUID
) -> list[IncidentFile]:
    """The incidents that name the person (their export), as far as the caller reads them;
    the other residents they name are counted, not named: the person takes the file away."""
    named = select(IncidentResident.incident_id).where(col(IncidentResident.victim_id) == victim_id)
    query = (
        select(Incident)
        .where(col(Incident.id).in_(named), kept_by_caller(principal, Incident.organisation_id))
        .order_by(col(Incident.id))
    )
    files = await _files(session, principal, (await session.exec(query)).all())
    return [IncidentFile(f.record, [victim_id], f.others + len(f.victim_ids) - 1) for f in files]


async def _files(
    session: AsyncSession, principal: Principal, rows: Sequence[Incident]
) -> list[IncidentFile]:
    """The residents of a page of incidents: those the caller sees, and a count of the rest."""
    link = (col(IncidentResident.incident_id), col(IncidentResident.victim_id))
    named = await records.persons_named(session, principal, link, [r.id for r in rows])
    return [IncidentFile(r, *named[r.id]) for r in rows]
