"""Erasure of a person's data once the retention period has passed (MAN-RETENTION-6M). What
goes and what stays is read from the classification (app/models/personal_data.py): every value
of an erased class in every table that holds the person's data goes; anonymous counts (sex,
birth year, nationality, home region, exploitation, stages and outcomes), what was done and
when, and the audit trail stay."""

from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import JSON, ColumnElement, String, Table, cast, delete, exists, or_, update
from sqlmodel import SQLModel, col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.matching import Resolution
from app.domain.rulebook import Rulebook
from app.domain.shelter import OPEN_STAY_STATES, OwedReport, StayStatus, check_erasable
from app.domain.vocabulary import VictimStatus
from app.models import (
    CaseAssignment,
    IdempotencyRecord,
    MonitoringReport,
    PersonMatchKey,
    PossibleDuplicate,
    ShelterStay,
    Victim,
)
from app.models.personal_data import (
    DELETED_ON_ERASURE,
    PERSON_LINKS,
    erased_columns,
)
from app.security import Principal
from app.services import audit, job_referrals
from app.services.audit import AuditAction

ERASED = "(erased)"


async def erase(
    session: AsyncSession,
    principal: Principal,
    victim: Victim,
    now: datetime,
    today: date,
    rulebook: Rulebook,
) -> Victim:
    open_stays, last_discharge = (
        await session.exec(
            select(
                func.count().filter(col(ShelterStay.status).in_(OPEN_STAY_STATES)),
                func.max(ShelterStay.discharged_on),
            ).where(col(ShelterStay.victim_id) == victim.id)
        )
    ).one()
    check_erasable(
        open_stays, last_discharge, await _owed_reports(session, victim), today, rulebook
    )
    await job_referrals.withdraw_open(session, victim.id, now)  # SCME deletes its copy too
    await scrub(session, victim)
    audit.record(session, principal, AuditAction.ERASE, "victim", victim.id, victim_id=victim.id)
    return victim


async def _owed_reports(session: AsyncSession, victim: Victim) -> list[OwedReport]:
    """MAN-RETENTION-6M: discharged stays whose Annex 7 report is not filed yet."""
    filed = exists().where(col(MonitoringReport.stay_id) == col(ShelterStay.id))
    query = select(col(ShelterStay.id), col(ShelterStay.monitoring_due_on)).where(
        col(ShelterStay.victim_id) == victim.id,
        col(ShelterStay.status) == StayStatus.DISCHARGED,
        ~filed,
    )
    return [
        OwedReport(stay_id, due_on)
        for stay_id, due_on in (await session.exec(query)).all()
        if due_on is not None
    ]


async def scrub(session: AsyncSession, victim: Victim) -> None:
    """Every erased-class value of the person, in every table that holds their data."""
    tables = SQLModel.metadata.tables
    for name in PERSON_LINKS:
        if name == "victims":
            continue
        table = tables[name]
        if name in DELETED_ON_ERASURE:
            await session.exec(delete(table).where(_of_person(table, victim.id)))
            continue
        values = {c: _erased_value(table, c) for c in erased_columns(name)}
        if values:
            await session.exec(update(table).where(_of_person(table, victim.id)).values(**values))
    await session.exec(delete(PersonMatchKey).where(col(PersonMatchKey.victim_id) == victim.id))
    # nobody holds the case any more (CASELOAD-TRANSFER)
    await session.exec(delete(CaseAssignment).where(col(CaseAssignment.victim_id) == victim.id))
    await session.exec(  # the person's possible duplicates are no one's to settle any more
        update(PossibleDuplicate)
        .where(
            or_(
                col(PossibleDuplicate.victim_id) == victim.id,
                col(PossibleDuplicate.candidate_id) == victim.id,
            ),
            col(PossibleDuplicate.resolution).is_(None),
        )
        .values(resolution=Resolution.ERASED)
    )
    # stored answers to retried requests that showed this person
    await session.exec(
        delete(IdempotencyRecord).where(
            cast(IdempotencyRecord.victim_ids, String).like(f"%{victim.id}%")
        )
    )
    _scrub_person(victim)
    session.add(victim)
    await session.flush()


def _of_person(table: Table, victim_id: UUID) -> ColumnElement[bool]:
    link = PERSON_LINKS[table.name]
    if link.via is None:
        return table.c[link.column] == victim_id
    parent = SQLModel.metadata.tables[link.via]
    of_person = select(parent.c[link.via_column]).where(_of_person(parent, victim_id))
    return table.c[link.column].in_(of_person)


def _erased_value(table: Table, name: str) -> Any:
    """Nothing where the column allows it; a mark where it needs a value."""
    column = table.c[name]
    if column.nullable:
        return None
    if isinstance(column.type, JSON):
        return []
    if isinstance(getattr(column.type, "impl", column.type), String):  # String, or SQLModel's
        return ERASED
    raise TypeError(f"{table.name}.{name}: no erased value for a required {column.type}")


# the person's own record: what singles them out goes, the age band and the counts stay
_PERSON_MARKS: Mapping[str, Callable[[Victim], object]] = {
    "registration_number": lambda victim: f"ERASED-{victim.id.hex[:12]}",
    "birth_date": lambda victim: date(victim.birth_date.year, 1, 1),
}


def _scrub_person(victim: Victim) -> None:
    table = SQLModel.metadata.tables["victims"]
    for name in erased_columns("victims"):
        mark = _PERSON_MARKS.get(name)
        setattr(victim, name, mark(victim) if mark else _erased_value(table, name))
    victim.status = VictimStatus.ERASED
