"""Migrations: an empty database upgraded to head matches the models exactly (no drift), and
the chain goes down and up again. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection, make_url
from sqlmodel import SQLModel

import app.models  # noqa: F401 - every table on the metadata
from app.db import create_engine
from tests.conftest import _admin_sql, alembic_config


@pytest.fixture
async def scratch_url(tmp_path: Path) -> AsyncIterator[str]:
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield f"sqlite+aiosqlite:///{tmp_path / 'scratch.db'}"
        return
    name = f"migrations_{uuid.uuid4().hex[:12]}"
    await _admin_sql(server, f'CREATE DATABASE "{name}"')
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        await _admin_sql(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _drift(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


def _tables(connection: Connection) -> set[str]:
    return set(inspect(connection).get_table_names())


async def _run(url: str, check):  # type: ignore[no-untyped-def]
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(check)
    finally:
        await engine.dispose()


async def test_upgrade_to_head_matches_the_models(scratch_url: str) -> None:
    await asyncio.to_thread(command.upgrade, alembic_config(scratch_url), "head")
    assert await _run(scratch_url, _drift) == []
    assert {t.name for t in SQLModel.metadata.sorted_tables} <= await _run(scratch_url, _tables)


async def test_the_chain_goes_down_to_nothing_and_up_again(scratch_url: str) -> None:
    config = alembic_config(scratch_url)
    await asyncio.to_thread(command.upgrade, config, "head")
    await asyncio.to_thread(command.downgrade, config, "base")
    assert await _run(scratch_url, _tables) <= {"alembic_version"}
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await _run(scratch_url, _drift) == []


def test_drift_is_detected_when_a_model_changes_without_a_migration() -> None:
    """The comparison is not vacuous: a column the migrations lack shows up as drift."""
    from sqlalchemy import Column, Integer, MetaData, Table
    from sqlalchemy import create_engine as sync_engine

    engine = sync_engine("sqlite://")
    metadata = MetaData()
    Table("t", metadata, Column("id", Integer, primary_key=True))
    metadata.create_all(engine)
    wanted = MetaData()
    Table("t", wanted, Column("id", Integer, primary_key=True), Column("extra", Integer))
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), wanted)
    assert [d[0] for d in diff] == ["add_column"]
