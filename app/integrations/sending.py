"""What the worker asks of the sender of each outbox topic: the request to send, built from the
records as they are now (or why not to send it), and what follows a delivery or a cancellation.
A new integration is one module that defines its sender, and one entry in ``worker.SENDERS``."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.domain.exchange import Outcome, outcome_of
from app.integrations.http import Answer
from app.models import OutboxMessage


@dataclass(frozen=True)
class Skip:
    """Not sent this time, and not an attempt: cancelled, postponed ``until``, or given up."""

    reason: str
    action: Literal["cancel", "postpone", "give up"] = "cancel"
    until: datetime | None = None


# what a sender prepares: an HTTP request (Outgoing), or what its own transport sends (a Mail)
Prepare = Callable[[AsyncSession, OutboxMessage, Settings, datetime], Awaitable[Any]]
# (what was prepared, settings, deadline in seconds): the answer, never an exception
Send = Callable[[Any, Settings, float], Awaitable[Answer]]
# (session, the message's record id, now)
Follow = Callable[[AsyncSession, UUID, datetime], Awaitable[None]]


async def nothing_follows(_session: AsyncSession, _record_id: UUID, _now: datetime) -> None:
    return None


@dataclass(frozen=True)
class Sender:
    prepare: Prepare
    delivered: Follow = nothing_follows  # in the transaction that records the delivery
    cancelled: Follow = nothing_follows  # in the transaction that cancels the message
    gone_is_done: bool = False  # a 404 or 410 answer means the receiver has nothing to do
    # another transport than an HTTP POST with the worker's client (email), and how its
    # answers read: a new channel (web push, SMS) is a transport and a sender like these
    send: Send | None = None
    read: Callable[[int | None], Outcome] | None = None

    def outcome(self, status_code: int | None) -> Outcome:
        if self.read is not None:
            return self.read(status_code)
        return outcome_of(status_code, gone_is_done=self.gone_is_done)
