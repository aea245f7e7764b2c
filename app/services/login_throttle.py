"""Login throttling (API.md), as OWASP advises against locking accounts: a failed sign-in counts
against its client address, its (username, address) pair, and its username across addresses.
Within the window, further attempts are answered 429 with Retry-After until the window passes
once any of these is reached:

- 5 failures of the pair: one address guessing one account's password;
- 20 failures from the address: one address guessing many accounts;
- 100 failures of the username from all addresses together: a ceiling on a guess spread over
  many addresses, high enough that it is no tool for locking the owner out.

So the right password from an address that has not failed passes, even while another address
is throttled for the same username. A machine client's "username" is ``client:<its UUID>``."""

from datetime import datetime
from typing import Any, NoReturn

from sqlalchemy import ColumnElement, delete, func, select, text
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.errors import InvalidCredentials, RateLimited
from app.models import LoginFailure

# PostgreSQL advisory lock classes (the first key of the two-key form), one per kind of key:
# a username and an address never share a lock, whatever their hashes
_LOCK_USERNAME, _LOCK_ADDRESS = 1, 2


async def guard(
    session: AsyncSession, settings: Settings, now: datetime, subject: str, address: str
) -> None:
    """Refuse a throttled attempt. Attempts on one subject or from one address take their turn,
    so concurrent guesses cannot all pass the count before any failure is written."""
    await _take_turn(session, subject, address)
    window = col(LoginFailure.at) > now - settings.login_window
    by_subject = col(LoginFailure.username) == subject
    by_address = col(LoginFailure.address) == address
    limits = (
        (by_subject & by_address, settings.login_max_failures_per_username_and_address),
        (by_address, settings.login_max_failures_per_address),
        (by_subject, settings.login_max_failures_per_account),
    )
    # one statement: each limit's count and its oldest failure, over the rows of either key
    counted: list[ColumnElement[Any]] = [
        aggregate.filter(condition)
        for condition, _limit in limits
        for aggregate in (func.count(), func.min(LoginFailure.at))
    ]
    connection = await session.connection()
    query = select(*counted).where(window, by_subject | by_address)
    row = (await connection.execute(query)).one()
    for index, (_condition, limit) in enumerate(limits):
        count, oldest = row[2 * index], row[2 * index + 1]
        if count >= limit and oldest is not None:
            retry_after = max(1, int((oldest + settings.login_window - now).total_seconds()) + 1)
            raise RateLimited("Too many failed sign-ins; try again later.", retry_after)


async def refuse(session: AsyncSession, now: datetime, subject: str, address: str) -> NoReturn:
    """Count the failure and answer 401. The failure is committed here, on purpose: it must
    outlive the refused request (whose transaction is otherwise rolled back)."""
    session.add(LoginFailure(username=subject, address=address, at=now))
    await session.commit()
    raise InvalidCredentials("The credentials are not valid.")


async def forget(session: AsyncSession, subject: str, address: str) -> None:
    """A successful sign-in clears the failures of its pair: not those of other addresses on
    the subject (another address's guesses stay counted), nor the address's on other subjects."""
    await session.exec(
        delete(LoginFailure)
        .where(col(LoginFailure.username) == subject)
        .where(col(LoginFailure.address) == address)
    )


async def _take_turn(session: AsyncSession, subject: str, address: str) -> None:
    # SQLite transactions are serial already (BEGIN IMMEDIATE, app/db.py). On PostgreSQL a
    # transaction-scoped advisory lock per subject, then per address (always in that order):
    # every count an attempt reads or adds to (pair, address, subject) is behind one of them.
    if session.get_bind().dialect.name != "postgresql":
        return
    lock = text("SELECT pg_advisory_xact_lock(:kind, hashtext(:key))")
    for kind, key in ((_LOCK_USERNAME, subject), (_LOCK_ADDRESS, address)):
        await session.exec(lock.bindparams(kind=kind, key=key))  # type: ignore[call-overload]
