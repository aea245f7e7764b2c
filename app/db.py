"""Async engine, sessions and the one transaction per request."""

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import Request
from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

log = logging.getLogger(__name__)
# statements a request leaves in ``session.info`` under this key are executed after its
# transaction was rolled back, in a transaction of their own (a refusal's audit event)
KEPT_AFTER_ROLLBACK = "kept_after_rollback"


@dataclass(frozen=True)
class Timeouts:
    """How long a request waits for the database before it answers 503 (seconds): to open a
    connection, for a statement's answer, for a free connection of the pool."""

    connect: float = 3.0
    command: float = 10.0
    pool: float = 3.0


def create_engine(
    url: str, *, echo: bool = False, pool_size: int = 5, timeouts: Timeouts | None = None
) -> AsyncEngine:
    timeouts = timeouts or Timeouts()
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # hide_parameters: an IntegrityError message must never carry a person's data into a log.
        # No pre-ping: it cost a round trip per request; a connection the server dropped fails
        # its request once and SQLAlchemy then replaces the whole pool. The pool holds as many
        # connections as requests run at once: an overflow connection is opened and closed per
        # request, and opening one was 4 % of a request under load (bench/README.md).
        return create_async_engine(
            url,
            echo=echo,
            hide_parameters=True,
            pool_recycle=1800,
            pool_size=pool_size,
            max_overflow=pool_size // 2,
            pool_timeout=timeouts.pool,
            # asyncpg's own: the connection's handshake, and every statement's answer (a frozen
            # network otherwise holds a request for as long as it lasts)
            connect_args={"timeout": timeouts.connect, "command_timeout": timeouts.command},
        )
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(url, echo=echo, hide_parameters=True)
    _make_sqlite_serializable(engine)
    return engine


def _make_sqlite_serializable(engine: AsyncEngine) -> None:
    """Every SQLite transaction takes the write lock up front (BEGIN IMMEDIATE).

    The driver's own implicit BEGIN is switched off, so SAVEPOINTs work and a transaction that
    reads before it writes (capacity checks, version checks) cannot interleave with another one.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fsync at checkpoints
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per request: commit when the handler succeeded, roll back otherwise.

    Used with ``scope="function"`` so the commit happens before the response is sent: a client
    never sees a 2xx for a write that did not commit.
    """
    sessionmaker: async_sessionmaker[AsyncSession] = request.app.state.sessionmaker
    async with sessionmaker() as session:
        request.state.session = session
        try:
            yield session
        except BaseException:
            await _roll_back(session)
            await _write_kept(session)
            raise
        for statement in session.info.pop(KEPT_AFTER_ROLLBACK, ()):
            await session.exec(statement)  # committed with the rest
        await session.commit()


async def _roll_back(session: AsyncSession) -> None:
    """Roll back; a connection the database dropped cannot be, and the request's own error is
    the answer (the connection is then discarded by the pool)."""
    try:
        await session.rollback()
    except (OSError, TimeoutError, SQLAlchemyError) as exc:
        log.warning("could not roll back: %s", type(exc).__name__)


async def _write_kept(session: AsyncSession) -> None:
    kept = session.info.pop(KEPT_AFTER_ROLLBACK, None)
    if not kept:
        return
    try:
        for statement in kept:
            await session.exec(statement)
        await session.commit()
    except Exception:  # the request's own error is the answer; this one is only logged
        log.exception("could not write what a rolled-back request keeps")
        await session.rollback()
