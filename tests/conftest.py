"""Test databases, the app under test, and the callers that talk to it.

SQLite by default; PostgreSQL when TEST_DATABASE_URL is set, in a fresh database made for this
run (and dropped after it), so parallel runs and CI never see each other's rows. The schema comes
from the migrations, as in production.

Each test runs inside one transaction of its own, rolled back at its end: every session the
application and the test open joins it as a savepoint (SQLAlchemy's
``join_transaction_mode="create_savepoint"``), so a commit commits the savepoint and nothing
reaches the next test. A test that needs real commits — parallel connections racing, a second
process or application on the database — is marked ``commits``: it runs on a second database
of its own, whose tables are emptied after each such test.
"""

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import pytest
from alembic import command
from alembic.config import Config
from fastapi import FastAPI
from sqlalchemy import delete
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.clock import Clock
from app.config import Settings
from app.domain.access import Role
from app.main import create_app
from tests.factories import Actor, Actors

ROOT = Path(__file__).resolve().parent.parent
pytest_plugins = ["tests.fakes"]


class FakeClock(Clock):
    """A clock the test sets; it stands still until moved."""

    def __init__(self, zone: str = "UTC") -> None:
        super().__init__(ZoneInfo(zone))
        self.current = datetime.now(UTC)

    def now(self) -> datetime:
        return self.current

    def set(self, moment: datetime) -> None:
        self.current = moment


def alembic_config(url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    return config


async def _admin_sql(server_url: str, *statements: str) -> None:
    import asyncpg

    url = make_url(server_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


@contextmanager
def migrated_postgres_database(prefix: str) -> Iterator[str]:
    """A new database on the TEST_DATABASE_URL server, migrated to head, dropped after use."""
    server_url = os.environ["TEST_DATABASE_URL"]
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_sql(server_url, f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    try:
        command.upgrade(alembic_config(url), "head")
        yield url
    finally:
        asyncio.run(_admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def is_postgres() -> bool:
    return bool(os.environ.get("TEST_DATABASE_URL"))


@pytest.fixture(scope="session")
def empty_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A new, empty database for this run."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    name = f"test_{uuid.uuid4().hex[:12]}"
    asyncio.run(_admin_sql(server_url, f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def database_url(empty_database_url: str) -> str:
    command.upgrade(alembic_config(empty_database_url), "head")
    return empty_database_url


@pytest.fixture(scope="session")
def committing_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A second migrated database, for the tests that must really commit."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('commits') / 'commits.db'}"
        command.upgrade(alembic_config(url), "head")
        yield url
        return
    with migrated_postgres_database("commits") as url:
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # the fake partner receiver listens on plain HTTP on loopback
    return Settings(
        database_url=database_url,
        env="test",
        webhook_allow_http=True,
        document_dir=tmp_path_factory.mktemp("documents"),
    )


@pytest.fixture(scope="session")
def session_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def clock(session_clock: FakeClock) -> FakeClock:
    """Set to the real time at the start of each test; the test may move it."""
    session_clock.set(datetime.now(UTC))
    return session_clock


@pytest.fixture(scope="session")
async def shared_app(settings: Settings, session_clock: FakeClock) -> AsyncIterator[FastAPI]:
    """One application for the run (as in production: one process, many requests)."""
    application = create_app(settings, session_clock)
    yield application
    await application.state.engine.dispose()


@pytest.fixture(scope="session")
async def committing_app(
    settings: Settings, session_clock: FakeClock, committing_url: str
) -> AsyncIterator[FastAPI]:
    """The application of the tests that must really commit, on a database of their own."""
    committing = settings.model_copy(update={"database_url": committing_url})
    application = create_app(committing, session_clock)
    yield application
    await application.state.engine.dispose()


@pytest.fixture
async def app(
    request: pytest.FixtureRequest,
    shared_app: FastAPI,
    committing_app: FastAPI,
    clock: FakeClock,
) -> AsyncIterator[FastAPI]:
    """The application of this test: the run's, inside a transaction rolled back at the end;
    or, for a test marked ``commits``, the committing one, whose tables are emptied after it."""
    if request.node.get_closest_marker("commits"):
        try:
            yield committing_app
        finally:
            async with committing_app.state.engine.begin() as connection:
                for table in reversed(SQLModel.metadata.sorted_tables):
                    await connection.execute(delete(table))
        return
    async with shared_app.state.engine.connect() as connection:
        transaction = await connection.begin()
        run_wide = shared_app.state.sessionmaker
        shared_app.state.sessionmaker = async_sessionmaker(
            connection,
            class_=AsyncSession,
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )
        try:
            yield shared_app
        finally:
            shared_app.state.sessionmaker = run_wide
            await transaction.rollback()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


@pytest.fixture
def actors(app: FastAPI, settings: Settings, clock: FakeClock) -> Actors:
    return Actors(app.state.sessionmaker, settings, clock)


@pytest.fixture
async def admin(actors: Actors) -> Actor:
    return await actors.user(Role.ADMIN)


@pytest.fixture
async def coordinator(actors: Actors) -> Actor:
    return await actors.user(Role.COORDINATOR)


@pytest.fixture
async def worker(actors: Actors) -> Actor:
    """A social worker of an NGO."""
    return await actors.user(Role.SOCIAL_WORKER)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if is_postgres():
        return
    skip = pytest.mark.skip(reason="needs real parallel connections: set TEST_DATABASE_URL")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
