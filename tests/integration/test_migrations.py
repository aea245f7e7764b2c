"""Migrations: an empty database upgraded to head matches the models exactly (no drift), and
the chain goes down and up again. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, Table, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlmodel import SQLModel

import app.models  # noqa: F401 - every table on the metadata
from app.db import create_engine
from app.services.audit_partitions import is_partition
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


def include_name(name: str | None, type_: str, _parent: object) -> bool:
    """As migrations/env.py: the audit trail's partitions are the app's, not the models'."""
    return not (type_ == "table" and name is not None and is_partition(name))


def _drift(connection: Connection) -> list[object]:
    opts = {"compare_type": True, "include_name": include_name}
    context = MigrationContext.configure(connection, opts=opts)
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


# --- the care revision fills its new columns for the rows that were there ----------------------

BEFORE_CARE = "0bcd7ca29466"
GIVEN_AT = datetime(2026, 11, 30, 23, 30)  # stored UTC; the form's day is that UTC day


def _python_type(column: Any) -> type:
    try:
        return column.type.python_type  # type: ignore[no-any-return]
    except NotImplementedError:
        return object  # JSON, as SQLite reflects it


def _filler(column: Any) -> Any:
    """A value for a required column the seed does not care about."""
    if column.name == "id" or column.name.endswith(("_id", "_by")):
        return uuid.uuid4()
    values = {
        object: "[]",
        str: "x",
        int: 1,
        bool: False,
        date: date(2026, 11, 1),
        datetime: GIVEN_AT,
        dict: {},
        list: [],
    }
    return values[_python_type(column)]


def _insert(connection: Connection, table: str, **values: Any) -> uuid.UUID:
    """A row with every required column; ids as the database reflects them (on SQLite a UUID
    column is CHAR(32))."""
    reflected = Table(table, MetaData(), autoload_with=connection)
    row = {
        c.name: _filler(c)
        for c in reflected.columns
        if not c.nullable and c.server_default is None and c.name not in values
    }
    row |= values
    stored = {
        name: value.hex
        if isinstance(value, uuid.UUID) and _python_type(reflected.c[name]) is str
        else value
        for name, value in row.items()
    }
    connection.execute(reflected.insert().values(**stored))
    return uuid.UUID(str(row["id"]))


def _seed_before_care(connection: Connection) -> None:
    org = _insert(connection, "organisations", kind="ngo")
    user = _insert(connection, "users", role="coordinator", organisation_id=None)
    victim = _insert(connection, "victims", organisation_id=org, status="active")
    _insert(connection, "consents", victim_id=victim, purpose="data_processing", given_at=GIVEN_AT)
    shelter = _insert(connection, "shelters", organisation_id=org, kind="adult")
    stay = _insert(
        connection,
        "shelter_stays",
        victim_id=victim,
        shelter_id=shelter,
        status="discharged",
        proposed_by=user,
    )
    _insert(connection, "monitoring_reports", stay_id=stay, victim_id=victim, author_id=user)
    _insert(connection, "shelter_visits", shelter_id=shelter, recorded_by=user)
    _insert(connection, "follow_up_contacts", victim_id=victim, organisation_id=org, status="due")


def _after_care(connection: Connection) -> dict[str, Any]:
    def one(sql: str) -> Any:
        return connection.execute(text(sql)).scalar_one()

    return {
        "given_on": one("SELECT given_on FROM consents"),
        "trigger": one("SELECT trigger FROM follow_up_contacts"),
        "outcome": one("SELECT outcome FROM monitoring_reports"),
        "source": one("SELECT source FROM shelter_stays"),
        "visitor_kind": one("SELECT visitor_kind FROM shelter_visits"),
    }


async def test_the_care_revision_keeps_the_rows_and_says_what_they_were(scratch_url: str) -> None:
    config = alembic_config(scratch_url)
    await asyncio.to_thread(command.upgrade, config, BEFORE_CARE)
    engine = create_engine(scratch_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_seed_before_care)
    finally:
        await engine.dispose()
    await asyncio.to_thread(command.upgrade, config, "head")
    found = await _run(scratch_url, _after_care)
    given_on = found.pop("given_on")
    assert str(given_on)[:10] == "2026-11-30"
    assert found == {
        "trigger": "agreement_ended",
        "outcome": "reached",
        "source": "other",
        "visitor_kind": "other",
    }
    # and back: the old form's answers are restored for every report
    await asyncio.to_thread(command.downgrade, config, BEFORE_CARE)
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await _run(scratch_url, _drift) == []


# --- the token-version revision starts the accounts and refresh tokens there were at 0 --------

BEFORE_TOKEN_VERSIONS = "eeba5799c9d4"


def _seed_before_token_versions(connection: Connection) -> None:
    user = _insert(
        connection,
        "users",
        role="social_worker",
        organisation_id=None,
        credentials_changed_at=GIVEN_AT,
    )
    _insert(connection, "refresh_tokens", user_id=user)


def _token_versions(connection: Connection) -> list[int]:
    found = connection.execute(
        text("SELECT token_version FROM users UNION ALL SELECT token_version FROM refresh_tokens")
    )
    return [row[0] for row in found]


async def test_the_token_version_revision_starts_what_was_there_at_zero(scratch_url: str) -> None:
    config = alembic_config(scratch_url)
    await asyncio.to_thread(command.upgrade, config, BEFORE_TOKEN_VERSIONS)
    engine = create_engine(scratch_url)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_seed_before_token_versions)
    finally:
        await engine.dispose()
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await _run(scratch_url, _token_versions) == [0, 0]
    await asyncio.to_thread(command.downgrade, config, BEFORE_TOKEN_VERSIONS)
    await asyncio.to_thread(command.upgrade, config, "head")
    assert await _run(scratch_url, _drift) == []
