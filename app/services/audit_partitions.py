"""The audit trail's monthly partitions (PostgreSQL; SQLite keeps one plain table).

Every read is audited, so the trail is the largest table by far. On PostgreSQL it is partitioned
by month of ``at``: a month's events are one table, its indexes stay small, and an old month can
be detached and archived whole. Months are prepared ahead (at start-up and by
``python -m app audit partitions``); an event that finds no month of its own lands in the
``audit_events_default`` partition rather than failing, and the command reports such rows.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

PARENT = "audit_events"
DEFAULT = "audit_events_default"
PREFIX = "audit_events_p"
AHEAD_MONTHS = 3


@dataclass(frozen=True)
class Partition:
    name: str
    bounds: str
    rows: int  # the planner's estimate (pg_class.reltuples)


def is_partition(table_name: str) -> bool:
    """A partition of the trail, which the models do not declare (migrations/env.py)."""
    return table_name == DEFAULT or table_name.startswith(PREFIX)


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    return f"{PREFIX}{month.year:04d}_{month.month:02d}"


def months(since: date, until: date) -> list[date]:
    """The first days of every month from ``since``'s to ``until``'s, both included."""
    found, month = [], month_start(since)
    while month <= until:
        found.append(month)
        month = next_month(month)
    return found


async def is_partitioned(connection: AsyncConnection) -> bool:
    if connection.dialect.name != "postgresql":
        return False
    kind = await connection.scalar(
        text("SELECT relkind::text FROM pg_class WHERE relname = :name"), {"name": PARENT}
    )
    return bool(kind == "p")


async def prepare(
    connection: AsyncConnection, today: date, *, since: date | None = None
) -> list[str]:
    """Create the missing monthly partitions from ``since`` (default: this month) to
    ``AHEAD_MONTHS`` ahead; the names created. A month whose events already sit in the default
    partition is left for the operator (``show`` counts them)."""
    if not await is_partitioned(connection):
        return []
    last = today
    for _ in range(AHEAD_MONTHS):
        last = next_month(last)
    created = []
    for month in months(since or today, last):
        name = partition_name(month)
        if await _exists(connection, name) or await _in_default(connection, month):
            continue
        await connection.execute(
            text(
                f'CREATE TABLE "{name}" PARTITION OF {PARENT} '
                f"FOR VALUES FROM ('{_utc(month)}') TO ('{_utc(next_month(month))}')"
            )
        )
        created.append(name)
    return created


async def show(connection: AsyncConnection) -> list[Partition]:
    if not await is_partitioned(connection):
        return []
    rows = await connection.execute(
        text(
            "SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint "
            "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = :parent ORDER BY 1"
        ),
        {"parent": PARENT},
    )
    return [Partition(name, bounds, max(rows_, 0)) for name, bounds, rows_ in rows]


async def rows_in_default(connection: AsyncConnection) -> int:
    if not await is_partitioned(connection):
        return 0
    return int(await connection.scalar(text("SELECT count(*) FROM audit_events_default")) or 0)


def _at(month: date) -> datetime:
    return datetime(month.year, month.month, 1, tzinfo=UTC)


def _utc(month: date) -> str:
    """A bound in UTC, whatever the session's time zone."""
    return f"{month.isoformat()} 00:00:00+00"


async def _exists(connection: AsyncConnection, name: str) -> bool:
    found = await connection.scalar(
        text("SELECT 1 FROM pg_class WHERE relname = :name"), {"name": name}
    )
    return found is not None


async def _in_default(connection: AsyncConnection, month: date) -> bool:
    found = await connection.scalar(
        text("SELECT 1 FROM audit_events_default WHERE at >= :start AND at < :end LIMIT 1"),
        {"start": _at(month), "end": _at(next_month(month))},
    )
    return found is not None
