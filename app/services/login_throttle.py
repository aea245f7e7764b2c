"""Login throttling (API.md): 5 failed sign-ins per username or 20 per client address within
the window, and further attempts are answered 429 with Retry-After until the window passes."""

from datetime import datetime
from typing import NoReturn

from sqlalchemy import delete, func, text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.errors import InvalidCredentials, RateLimited
from app.models import LoginFailure


async def guard(
    session: AsyncSession, settings: Settings, now: datetime, subject: str, address: str
) -> None:
    """Refuse a throttled attempt. Attempts on one subject or from one address take their turn,
    so concurrent guesses cannot all pass the count before any failure is written."""
    await _take_turn(session, subject, address)
    since = now - settings.login_window
    recent = select(func.count(), func.min(LoginFailure.at)).where(col(LoginFailure.at) > since)
    limits = (
        (col(LoginFailure.username) == subject, settings.login_max_failures_per_username),
        (col(LoginFailure.address) == address, settings.login_max_failures_per_address),
    )
    for condition, limit in limits:
        count, oldest = (await session.exec(recent.where(condition))).one()
        if count >= limit and oldest is not None:
            retry_after = max(1, int((oldest + settings.login_window - now).total_seconds()) + 1)
            raise RateLimited("Too many failed sign-ins; try again later.", retry_after)


async def refuse(session: AsyncSession, now: datetime, subject: str, address: str) -> NoReturn:
    """Count the failure and answer 401. The failure is committed here, on purpose: it must
    outlive the refused request (whose transaction is otherwise rolled back)."""
    session.add(LoginFailure(username=subject, address=address, at=now))
    await session.commit()
    raise InvalidCredentials("The credentials are not valid.")


async def forget(session: AsyncSession, subject: str) -> None:
    """A successful sign-in clears the subject's failures (not the address's)."""
    await session.exec(delete(LoginFailure).where(col(LoginFailure.username) == subject))


async def _take_turn(session: AsyncSession, subject: str, address: str) -> None:
    # SQLite transactions are serial already (BEGIN IMMEDIATE, app/db.py). On PostgreSQL a
    # transaction-scoped advisory lock per subject, then per address (always in that order).
    if session.get_bind().dialect.name != "postgresql":
        return
    for key in (f"login:{subject}", f"login-from:{address}"):
        await session.exec(text("SELECT pg_advisory_xact_lock(hashtext(:key))").bindparams(key=key))  # type: ignore[call-overload]
