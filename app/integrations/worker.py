"""The outbox worker: claims due messages, sends them, records what came of it.

Three steps, so that no transaction is open while a request waits on an outside system:
1. claim (one transaction): lease due messages and build their requests from the records as they
   are now (an SCME message only while the consent holds; a webhook only to an active endpoint);
2. send, outside any transaction, with a timeout; every request carries the message id as its
   ``Idempotency-Key``, the same on every attempt, so a receiver drops a second copy;
3. record (a transaction per message): sent; or another attempt later with exponential backoff
   and jitter; or dead with the last error once the attempts are used up.

Run as ``python -m app worker``, or in the API process with ``APP_OUTBOX_IN_PROCESS=true``.
Several workers may run at once: a claimed message is locked (``FOR UPDATE SKIP LOCKED``) and
leased, so each is sent by one of them.
"""

import asyncio
import contextlib
import logging
import random
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from app.clock import Clock
from app.config import Settings
from app.domain.exchange import (
    OutboxStatus,
    Outcome,
    RetryPolicy,
    Topic,
    next_attempt,
    retry_after_seconds,
)
from app.integrations import digests, scme, webhooks
from app.integrations.http import Answer, post
from app.integrations.sending import Sender, Skip
from app.models import OutboxMessage
from app.services import outbox, webhook_endpoints

log = logging.getLogger(__name__)

# who sends each topic: a new integration is a module with its sender and a line here
SENDERS: Mapping[Topic, Sender] = {
    Topic.SCME_JOB_REFERRAL: scme.JOB_REFERRAL,
    Topic.SCME_WITHDRAWAL: scme.WITHDRAWAL,
    Topic.WEBHOOK: webhooks.DELIVERY,
    Topic.DIGEST: digests.DAILY,
}


@dataclass(frozen=True)
class Claimed:
    message_id: UUID
    topic: Topic
    record_id: UUID
    lease_token: UUID | None
    attempt: int
    request: Any  # an Outgoing, or what the sender's own transport sends


class OutboxWorker:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        settings: Settings,
        clock: Clock,
        client: httpx.AsyncClient | None = None,
        jitter: Callable[[], float] = random.random,
    ) -> None:
        self.sessionmaker = sessionmaker
        self.settings = settings
        self.clock = clock
        # no redirects: a delivery goes where it was addressed, or fails; a connection for
        # every message of a batch, so none waits for a free one
        self.client = client or httpx.AsyncClient(
            timeout=settings.outbox_timeout_seconds,
            follow_redirects=False,
            limits=httpx.Limits(max_connections=max(100, settings.outbox_batch_size)),
        )
        self.jitter = jitter
        self.policy = RetryPolicy(
            settings.outbox_max_attempts,
            settings.outbox_backoff_seconds,
            settings.outbox_backoff_max_seconds,
        )

    async def aclose(self) -> None:
        await self.client.aclose()

    async def run(self, stop: asyncio.Event) -> None:
        """Until ``stop`` is set: a batch, and a pause when there was nothing to do. A failing
        batch (the database away) is logged and tried again after the pause. First, the
        webhook secrets are re-encrypted under the first of the keys (a rotation)."""
        try:
            await self.reencrypt_secrets()
        except Exception:
            log.exception("re-encrypting the webhook secrets failed")
        while not stop.is_set():
            try:
                handled = await self.run_once()
            except Exception:
                log.exception("outbox batch failed")
                handled = 0
            if handled == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.settings.outbox_poll_seconds)

    async def reencrypt_secrets(self) -> int:
        """Every webhook secret under the first of ``APP_WEBHOOK_SECRET_KEYS``, so that a key
        put behind a new one can then be dropped; how many secrets were re-encrypted."""
        async with self.sessionmaker() as session, session.begin():
            changed = await webhook_endpoints.reencrypt_secrets(session, self.settings)
        if changed:
            log.info("re-encrypted %d webhook secrets under the first key", changed)
        return changed

    async def run_once(self) -> int:
        """One batch: claim, send at once, record. Returns how many messages it took up (sent,
        failed, cancelled or postponed); 0 when nothing was due."""
        taken, ready = await self._claim()
        deadline = self.settings.outbox_timeout_seconds
        answers = await asyncio.gather(*(self._send(c, deadline) for c in ready))
        for item, answer in zip(ready, answers, strict=True):
            try:
                await self._record(item, answer)
            except Exception:  # the others are still recorded; this one's lease runs out
                log.exception("outbox %s: recording the outcome failed", item.message_id)
        return taken

    async def _send(self, item: Claimed, deadline: float) -> Answer:
        send = SENDERS[item.topic].send
        if send is None:
            return await post(self.client, item.request, deadline)
        return await send(item.request, self.settings, deadline)

    async def _claim(self) -> tuple[int, list[Claimed]]:
        now = self.clock.now()
        ready: list[Claimed] = []
        async with self.sessionmaker() as session, session.begin():
            lease, batch = self.settings.outbox_lease, self.settings.outbox_batch_size
            claimed = await outbox.claim(session, now, lease, batch)
            for message in claimed:
                request = await self._prepare(session, message, now)
                if isinstance(request, Skip):
                    await self._skip(session, message, request, now)
                    continue
                ready.append(
                    Claimed(
                        message.id,
                        message.topic,
                        message.record_id,
                        message.lease_token,
                        message.attempts,
                        request,
                    )
                )
        return len(claimed), ready

    async def _prepare(self, session: AsyncSession, message: OutboxMessage, now: datetime) -> Any:
        if message.attempts > self.policy.max_attempts:  # a worker died mid-send, repeatedly
            return Skip("Gave up: the attempts were used up.", "give up")
        return await SENDERS[message.topic].prepare(session, message, self.settings, now)

    async def _skip(
        self, session: AsyncSession, message: OutboxMessage, skip: Skip, now: datetime
    ) -> None:
        if skip.action == "give up":
            outbox.give_up(session, message, skip.reason)
            return
        message.attempts -= 1  # nothing was sent
        if skip.action == "postpone" and skip.until is not None:
            outbox.postpone(session, message, skip.until)
            return
        await SENDERS[message.topic].cancelled(session, message.record_id, now)
        if message.status is OutboxStatus.PENDING:
            outbox.cancel(session, message, skip.reason)

    async def _record(self, item: Claimed, answer: Answer) -> None:
        now = self.clock.now()
        sender = SENDERS[item.topic]
        outcome = sender.outcome(answer.status_code)
        async with self.sessionmaker() as session, session.begin():
            if outcome is Outcome.DELIVERED:
                status_code = answer.status_code or 0
                sent = await outbox.delivered(session, item.message_id, status_code, now)
                if sent is not None:
                    await sender.delivered(session, item.record_id, now)
                return
            retry_at = None
            if outcome is Outcome.RETRY:
                retry_at = next_attempt(now, item.attempt, self.policy, self.jitter())
                wait = retry_after_seconds(answer.retry_after, self.policy)
                if retry_at is not None and wait is not None:
                    retry_at = max(retry_at, now + timedelta(seconds=wait))
            error = answer.error or "refused"
            await outbox.failed(
                session, item.message_id, item.lease_token, error, answer.status_code, retry_at
            )
        log.info("outbox %s attempt %d failed: %s", item.message_id, item.attempt, answer.error)


@contextlib.asynccontextmanager
async def worker_in_background(
    sessionmaker: async_sessionmaker[AsyncSession], settings: Settings, clock: Clock
) -> AsyncIterator[OutboxWorker]:
    """The worker as a task of the running process (``APP_OUTBOX_IN_PROCESS``), stopped with it."""
    worker = OutboxWorker(sessionmaker, settings, clock)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop), name="outbox-worker")
    try:
        yield worker
    finally:
        stop.set()
        await task
        await worker.aclose()
