"""The audit trail's monthly partitions: made by the migration and ahead of time on PostgreSQL,
every event in its month, a stray one in the default partition rather than lost; SQLite keeps
one plain table."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from app.db import create_engine
from app.services import audit_partitions as partitions
from tests.conftest import alembic_config, migrated_postgres_database

TODAY = date(2026, 12, 2)


@pytest.fixture
def partitioned_url() -> Iterator[str]:
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("partitions are PostgreSQL's: set TEST_DATABASE_URL")
    with migrated_postgres_database("partitions") as url:
        yield url


@pytest.fixture
async def engine(partitioned_url: str) -> AsyncIterator[AsyncEngine]:
    made = create_engine(partitioned_url)
    yield made
    await made.dispose()


async def _event_at(engine: AsyncEngine, at: datetime) -> str:
    """Write one event at ``at``; the partition it landed in."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO audit_events (id, at, actor_type, actor_id, role, action, "
                "record_type) VALUES (:id, :at, 'user', :actor, 'coordinator', 'read', 'victim')"
            ),
            {"id": uuid.uuid4(), "at": at, "actor": uuid.uuid4()},
        )
        found = await connection.scalar(
            text("SELECT tableoid::regclass::text FROM audit_events WHERE at = :at"), {"at": at}
        )
    return str(found)


def test_the_months_from_one_day_to_another() -> None:
    assert partitions.months(date(2026, 11, 15), date(2027, 2, 1)) == [
        date(2026, 11, 1),
        date(2026, 12, 1),
        date(2027, 1, 1),
        date(2027, 2, 1),
    ]
    assert partitions.partition_name(date(2027, 1, 1)) == "audit_events_p2027_01"


@pytest.mark.postgres_only
async def test_the_months_ahead_are_prepared_once(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        assert await partitions.is_partitioned(connection)
        created = await partitions.prepare(connection, TODAY, since=date(2026, 10, 1))
        again = await partitions.prepare(connection, TODAY, since=date(2026, 10, 1))
        shown = {p.name for p in await partitions.show(connection)}
    assert {"audit_events_p2026_10", "audit_events_p2027_03"} <= set(created) | shown
    assert again == []
    assert {"audit_events_default", "audit_events_p2026_12", "audit_events_p2027_03"} <= shown


@pytest.mark.postgres_only
async def test_an_event_lands_in_its_month_and_a_stray_one_in_the_default(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as connection:
        await partitions.prepare(connection, TODAY)
    assert await _event_at(engine, datetime(2026, 12, 31, 23, 59, tzinfo=UTC)) == (
        "audit_events_p2026_12"
    )
    assert await _event_at(engine, datetime(2031, 5, 1, tzinfo=UTC)) == "audit_events_default"
    async with engine.begin() as connection:
        assert await partitions.rows_in_default(connection) == 1
        # the stray month is left for the operator: its partition would not take the row
        assert await partitions.prepare(connection, date(2031, 5, 1)) == [
            "audit_events_p2031_06",
            "audit_events_p2031_07",
            "audit_events_p2031_08",
        ]


async def test_sqlite_keeps_one_plain_table(tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/plain.db"
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            assert not await partitions.is_partitioned(connection)
            assert await partitions.prepare(connection, TODAY) == []
            assert await partitions.show(connection) == []
    finally:
        await engine.dispose()
