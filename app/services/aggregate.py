"""Counts for donors and evaluators (the auditor role): persons by month, exploitation type,
sex, age band and service, each cell below the threshold suppressed, so that no person can be
singled out. The database counts; no person's row is read."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import String, case, cast, extract, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.casework import Service
from app.domain.dates import add_months
from app.domain.vocabulary import ExploitationType, Sex
from app.models import Referral, Victim
from app.schemas.reports import AggregateReport, Cell

THRESHOLD = 5
# (upper age, label): younger than 18 → "0-17", and so on; 45 and over → "45+"
AGE_BANDS = ((18, "0-17"), (25, "18-24"), (35, "25-34"), (45, "35-44"))


def cells(counts: Iterable[tuple[str, int]], threshold: int = THRESHOLD) -> list[Cell]:
    """Every count below the threshold (zero included) is shown as null, flagged."""
    return [
        Cell(key=key, count=None, suppressed=True)
        if count < threshold
        else Cell(key=key, count=count, suppressed=False)
        for key, count in counts
    ]


async def report(session: AsyncSession, today: date) -> AggregateReport:
    return AggregateReport(
        as_of=today,
        threshold=THRESHOLD,
        by_identification_month=cells(await _by_month(session)),
        by_exploitation_type=cells(await _by_exploitation(session)),
        by_sex=cells(await _by_sex(session)),
        by_age_band=cells(await _by_age_band(session, today)),
        by_service=cells(await _by_service(session)),
    )


async def _by_month(session: AsyncSession) -> list[tuple[str, int]]:
    year = extract("year", col(Victim.identified_on))
    month = extract("month", col(Victim.identified_on))
    rows = await session.exec(
        select(year, month, func.count())
        .where(col(Victim.identified_on).is_not(None))
        .group_by(year, month)
        .order_by(year, month)
    )
    return [(f"{int(y):04d}-{int(m):02d}", n) for y, m, n in rows]


async def _by_exploitation(session: AsyncSession) -> list[tuple[str, int]]:
    """One pass over the persons: a count for each type their list contains."""
    listed = cast(col(Victim.exploitation_types), String)
    columns = [func.count().filter(listed.like(f'%"{kind.value}"%')) for kind in ExploitationType]
    row: Any = (await session.exec(select(*columns))).one()
    counts: tuple[int, ...] = tuple(row)
    return [(kind.value, n) for kind, n in zip(ExploitationType, counts, strict=True)]


async def _by_sex(session: AsyncSession) -> list[tuple[str, int]]:
    found = dict(
        (await session.exec(select(col(Victim.sex), func.count()).group_by(col(Victim.sex)))).all()
    )
    return [(sex.value, found.get(sex, 0)) for sex in Sex]


async def _by_age_band(session: AsyncSession, today: date) -> list[tuple[str, int]]:
    """Age today, in bands; born before the cut-off date of a band's upper age means older."""
    band = case(
        *[
            (col(Victim.birth_date) > add_months(today, -12 * age), label)
            for age, label in AGE_BANDS
        ],
        else_="45+",
    )
    found = dict((await session.exec(select(band, func.count()).group_by(band))).all())
    labels = [label for _, label in AGE_BANDS] + ["45+"]
    return [(label, found.get(label, 0)) for label in labels]


async def _by_service(session: AsyncSession) -> list[tuple[str, int]]:
    """Persons referred for each service."""
    rows = await session.exec(
        select(col(Referral.service), func.count(func.distinct(col(Referral.victim_id)))).group_by(
            col(Referral.service)
        )
    )
    found = {str(service): n for service, n in rows}
    return [(service.value, found.get(service.value, 0)) for service in Service]
