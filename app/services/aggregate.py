"""Counts for donors and evaluators (the auditor role): persons by month, exploitation type,
sex, age band and service, so that no person can be singled out:

- only closed months count (persons registered before this month began), so the figures do not
  move with each registration and cannot be differenced day by day;
- age is the age at identification, which never changes;
- every cell below the threshold (zero included) is shown as null, flagged;
- where a dimension splits the persons into parts and only one part is suppressed, the next
  smallest part is suppressed too, so that no total gives the hidden one away.

The database counts; no person's row is read.
"""

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import String, case, cast, extract, func
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.casework import Service
from app.domain.deidentified import AGE_BANDS, OLDEST
from app.domain.vocabulary import ExploitationType, Sex, VictimStatus
from app.models import Referral, Victim
from app.schemas.reports import AggregateReport, Cell

THRESHOLD = 5
AGE_LABELS = (*(label for _, label in AGE_BANDS), OLDEST, "unknown")


def suppress(counts: Sequence[tuple[str, int]], partition: bool) -> list[Cell]:
    """Below the threshold → null; in a partition, never exactly one hidden cell."""
    hidden = {key for key, count in counts if count < THRESHOLD}
    shown = sorted((count, key) for key, count in counts if key not in hidden)
    if partition and len(hidden) == 1 and shown:
        hidden.add(shown[0][1])
    return [
        Cell(key=key, count=None, suppressed=True)
        if key in hidden
        else Cell(key=key, count=count, suppressed=False)
        for key, count in counts
    ]


async def report(session: AsyncSession, today: date) -> AggregateReport:
    month_start = today.replace(day=1)
    closed = datetime.combine(month_start, time.min, UTC)  # registered before this month
    # a record merged into another of the same person counts once, as the other (DATA-DUPLICATE)
    counted = (col(Victim.created_at) < closed) & (col(Victim.status) != VictimStatus.MERGED)
    return AggregateReport(
        as_of=month_start - timedelta(days=1),
        threshold=THRESHOLD,
        by_identification_month=suppress(await _by_month(session, counted, month_start), True),
        by_exploitation_type=suppress(await _by_exploitation(session, counted), False),
        by_sex=suppress(await _by_sex(session, counted), True),
        by_age_band=suppress(await _by_age_band(session, counted), True),
        by_service=suppress(await _by_service(session, counted), False),
    )


def _months(first: date, before: date) -> Iterable[str]:
    year, month = first.year, first.month
    while (year, month) < (before.year, before.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


async def _by_month(
    session: AsyncSession, counted: ColumnElement[bool], before: date
) -> list[tuple[str, int]]:
    """Every month from the first identification to the last closed month, zeros included."""
    identified = col(Victim.identified_on)
    year, month = extract("year", identified), extract("month", identified)
    rows = await session.exec(
        select(year, month, func.count())
        .where(counted, identified.is_not(None), identified < before)
        .group_by(year, month)
    )
    found = {f"{int(y):04d}-{int(m):02d}": n for y, m, n in rows}
    if not found:
        return []
    first = date.fromisoformat(f"{min(found)}-01")
    return [(key, found.get(key, 0)) for key in _months(first, before)]


async def _by_exploitation(
    session: AsyncSession, counted: ColumnElement[bool]
) -> list[tuple[str, int]]:
    """One pass over the persons: a count for each type their list contains."""
    listed = cast(col(Victim.exploitation_types), String)
    columns = [func.count().filter(listed.like(f'%"{kind.value}"%')) for kind in ExploitationType]
    row: Any = (await session.exec(select(*columns).where(counted))).one()
    return [(kind.value, n) for kind, n in zip(ExploitationType, tuple(row), strict=True)]


async def _by_sex(session: AsyncSession, counted: ColumnElement[bool]) -> list[tuple[str, int]]:
    query = select(col(Victim.sex), func.count()).where(counted).group_by(col(Victim.sex))
    found = dict((await session.exec(query)).all())
    return [(sex.value, found.get(sex, 0)) for sex in Sex]


def _age_at_identification() -> Any:
    born, seen = col(Victim.birth_date), col(Victim.identified_on)

    def day_of_year(day: Any) -> Any:
        return extract("month", day) * 100 + extract("day", day)

    before_birthday = case((day_of_year(seen) < day_of_year(born), 1), else_=0)
    return extract("year", seen) - extract("year", born) - before_birthday


async def _by_age_band(
    session: AsyncSession, counted: ColumnElement[bool]
) -> list[tuple[str, int]]:
    age = _age_at_identification()
    band = case(
        (col(Victim.identified_on).is_(None), "unknown"),
        *[(age < upper, label) for upper, label in AGE_BANDS],
        else_=OLDEST,
    )
    found = dict(
        (await session.exec(select(band, func.count()).where(counted).group_by(band))).all()
    )
    return [(label, found.get(label, 0)) for label in AGE_LABELS]


async def _by_service(session: AsyncSession, counted: ColumnElement[bool]) -> list[tuple[str, int]]:
    """Persons referred for each service."""
    rows = await session.exec(
        select(col(Referral.service), func.count(func.distinct(col(Referral.victim_id))))
        .join(Victim, col(Victim.id) == col(Referral.victim_id))
        .where(counted)
        .group_by(col(Referral.service))
    )
    found = {str(service): n for service, n in rows}
    return [(service.value, found.get(service.value, 0)) for service in Service]
