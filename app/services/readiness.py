"""Readiness: the database answers, within a bound whatever it does."""

import asyncio
import logging

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)
# an orchestrator's probe waits about 2 s: answer before it gives up, even when the network to
# the database is frozen (the connect and pool timeouts are longer than that)
READY_WITHIN_SECONDS = 1.5


async def database_answers(engine: AsyncEngine) -> bool:
    try:
        async with asyncio.timeout(READY_WITHIN_SECONDS):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
    except (OSError, TimeoutError, SQLAlchemyError) as exc:
        log.warning("readiness check failed: %s", type(exc).__name__)
        return False
    return True
