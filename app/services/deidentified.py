"""The de-identified dataset (issue 20, DEID-K-ANONYMITY): the database generalises each person's
quasi-identifiers as app/domain/deidentified.py does and counts the persons of each combination;
the domain withholds every combination fewer than k share. No person's row is read.

As in the aggregate report, only persons registered before this month count, so the dataset does
not move with each registration; a record merged into another counts once, as the other."""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import String, case, cast, extract, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain import deidentified
from app.domain.deidentified import EXPLOITATION_GROUPS, MULTIPLE, UNKNOWN, Combination
from app.domain.errors import InvalidValue
from app.domain.rulebook import Rulebook
from app.domain.vocabulary import Sex, VictimStatus
from app.models import Victim
from app.schemas.reports import DeidentifiedDataset, DeidentifiedRecord


def _age_band() -> Any:
    """By the years of birth and identification alone: erasure keeps the birth year only."""
    age = extract("year", col(Victim.identified_on)) - extract("year", col(Victim.birth_date))
    return case(
        *[(age < upper, label) for upper, label in deidentified.AGE_BANDS],
        else_=deidentified.OLDEST,
    )


def _exploitation_group() -> Any:
    """The group of the person's exploitation types, read from the stored list's text."""
    listed = cast(col(Victim.exploitation_types), String)
    groups = sorted(set(EXPLOITATION_GROUPS.values()))

    def within(group: str) -> Any:
        kinds = [kind for kind, of in EXPLOITATION_GROUPS.items() if of == group]
        return case((or_(*[listed.like(f'%"{kind.value}"%') for kind in kinds]), 1), else_=0)

    flags = {group: within(group) for group in groups}
    found = sum(flags.values())
    return case((found > 1, MULTIPLE), *[(flags[g] == 1, g) for g in groups], else_=UNKNOWN)


FILTERS = frozenset({"k", "from", "to"})


@dataclass(frozen=True)
class Dataset:
    release: deidentified.Release
    first_year: int | None
    last_year: int | None
    registered_before: date  # persons registered before this day count


def check_filters(names: Iterable[str]) -> None:
    """Only k and the years filter: any other would cut the persons along a line the
    combinations do not follow, and two answers could then be subtracted."""
    for name in names:
        if name not in FILTERS:
            raise InvalidValue(name, "Filter by k, from and to only.", source="query")


async def dataset(
    session: AsyncSession,
    rulebook: Rulebook,
    today: date,
    k: int | None,
    first_year: int | None,
    last_year: int | None,
) -> Dataset:
    k = rulebook.deidentified_k if k is None else k
    deidentified.check_k(k, rulebook)
    if first_year is not None and last_year is not None and first_year > last_year:
        raise InvalidValue("to", "The last year comes after the first.", source="query")
    before = today.replace(day=1)
    found = await counts(session, before, first_year, last_year)
    return Dataset(deidentified.release(found, k), first_year, last_year, before)


def report(found: Dataset) -> DeidentifiedDataset:
    published = found.release
    return DeidentifiedDataset(
        k=published.k,
        quasi_identifiers=list(deidentified.QUASI_IDENTIFIERS),
        first_year=found.first_year,
        last_year=found.last_year,
        registered_before=found.registered_before,
        persons=published.persons,
        withheld=published.withheld,
        records=[DeidentifiedRecord.model_validate(r) for r in published.records()],
    )


async def counts(
    session: AsyncSession, before: date, first_year: int | None, last_year: int | None
) -> dict[Combination, int]:
    """Persons registered before the day, by combination of generalised quasi-identifiers,
    identified in the years asked."""
    closed = datetime.combine(before, time.min, UTC)
    year = extract("year", col(Victim.identified_on))
    where = [
        col(Victim.created_at) < closed,
        col(Victim.status) != VictimStatus.MERGED,
        col(Victim.identified_on).is_not(None),
    ]
    if first_year is not None:
        where.append(year >= first_year)
    if last_year is not None:
        where.append(year <= last_year)
    columns: list[Any] = [
        _age_band(),
        col(Victim.sex),
        func.coalesce(col(Victim.nationality), UNKNOWN),
        year,
        _exploitation_group(),
        func.coalesce(col(Victim.home_region), UNKNOWN),
    ]
    counted: list[Any] = [*columns, func.count()]
    query = select(*counted).where(*where).group_by(*columns)
    rows: Any = await session.exec(query)
    return {
        (band, Sex(sex).value, nationality, int(identified), group, region): n
        for band, sex, nationality, identified, group, region, n in rows
    }


def csv_lines(published: deidentified.Release) -> Iterator[str]:
    """The quasi-identifiers' names, then one line per person published, a line at a time (a
    national dataset is never one string in memory)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(deidentified.QUASI_IDENTIFIERS)
    for record in published.records():
        writer.writerow(record.values())
        if out.tell() > 64 * 1024:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
