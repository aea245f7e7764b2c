"""The outbox: what must leave the system is written here, in the transaction of the change that
causes it, and its delivery is kept here — claimed under a lease, the outcome recorded, a dead
message retried. The sending itself is the worker's (app/integrations/worker.py)."""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import sees_all_deliveries
from app.domain.exchange import (
    OUTBOX_STEPS,
    OutboxStatus,
    Topic,
    WebhookEvent,
)
from app.domain.states import advance
from app.errors import NotFound
from app.models import OutboxMessage, WebhookEndpoint
from app.security import Principal
from app.services import audit
from app.services.audit import AuditAction
from app.services.common import locked
from app.services.pagination import PageParams, fetch_page

MAX_ERROR_LENGTH = 500


def enqueue(
    session: AsyncSession,
    topic: Topic,
    now: datetime,
    *,
    record_id: UUID,
    payload: dict[str, Any] | None = None,
    organisation_id: UUID | None = None,
    endpoint_id: UUID | None = None,
) -> OutboxMessage:
    message = OutboxMessage(
        topic=topic,
        record_id=record_id,
        payload=payload or {},
        organisation_id=organisation_id,
        endpoint_id=endpoint_id,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


async def notify(
    session: AsyncSession,
    event: WebhookEvent,
    organisations: Iterable[UUID],
    data: dict[str, Any],
    now: datetime,
    *,
    known: dict[UUID, list[WebhookEndpoint]] | None = None,
) -> None:
    """One webhook delivery per active endpoint of each organisation the event concerns. The
    body holds ids and states only: the receiver reads the record through the API. ``known``
    keeps the endpoints looked up, by organisation, for the next event of a run of many."""
    organisation_ids = list(dict.fromkeys(organisations))
    if not organisation_ids:
        return
    known = {} if known is None else known
    missing = [org for org in organisation_ids if org not in known]
    if missing:
        query = select(WebhookEndpoint).where(
            col(WebhookEndpoint.organisation_id).in_(missing),
            col(WebhookEndpoint.active).is_(True),
        )
        found = (await session.exec(query)).all()
        for org in missing:
            known[org] = [endpoint for endpoint in found if endpoint.organisation_id == org]
    for endpoint in (endpoint for org in organisation_ids for endpoint in known[org]):
        message = enqueue(
            session,
            Topic.WEBHOOK,
            now,
            record_id=data.get("referral_id") or data["consent_id"],
            organisation_id=endpoint.organisation_id,
            endpoint_id=endpoint.id,
        )
        message.payload = {
            "id": str(message.id),
            "type": event.value,
            "organisation_id": str(endpoint.organisation_id),
            "occurred_at": now.isoformat(),
            "data": {key: str(value) for key, value in data.items()},
        }


# --- what callers see -------------------------------------------------------------------------


def _visible(principal: Principal) -> ColumnElement[bool]:
    if sees_all_deliveries(principal.role):
        return true()
    return col(OutboxMessage.organisation_id) == principal.organisation


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    status: OutboxStatus | None,
    topic: Topic | None,
) -> tuple[Sequence[OutboxMessage], str | None]:
    query = select(OutboxMessage).where(_visible(principal))
    if status is not None:
        query = query.where(col(OutboxMessage.status) == status)
    if topic is not None:
        query = query.where(col(OutboxMessage.topic) == topic)
    return await fetch_page(session, query, OutboxMessage.id, page)


async def get_visible(
    session: AsyncSession, principal: Principal, message_id: UUID
) -> OutboxMessage:
    query = select(OutboxMessage).where(col(OutboxMessage.id) == message_id, _visible(principal))
    message = (await session.exec(query)).first()
    if message is None:
        raise NotFound("No such outbox message.")
    return message


async def retry(
    session: AsyncSession, principal: Principal, message: OutboxMessage, now: datetime
) -> OutboxMessage:
    """A dead message gets a fresh round of attempts, from now."""
    message = await locked(session, OutboxMessage, message.id)
    message.status = advance(OUTBOX_STEPS, "outbox message", message.status, "retry")
    message.attempts, message.next_attempt_at = 0, now
    message.leased_until = message.lease_token = None
    session.add(message)
    await session.flush()
    audit.record(session, principal, AuditAction.RETRY, "outbox_message", message.id)
    return message


# --- the worker's bookkeeping -----------------------------------------------------------------


async def claim(
    session: AsyncSession, now: datetime, lease: timedelta, limit: int
) -> list[OutboxMessage]:
    """Due messages no other worker holds, leased to this one. ``SKIP LOCKED``: workers
    claiming at the same moment take different rows instead of waiting for each other; the
    lease keeps a claimed row from the others until the worker records its outcome (or dies
    and the lease runs out). The attempt is counted now, so a crash mid-send still counts."""
    query = (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.status) == OutboxStatus.PENDING,
            col(OutboxMessage.next_attempt_at) <= now,
            or_(
                col(OutboxMessage.leased_until).is_(None),
                col(OutboxMessage.leased_until) <= now,
            ),
        )
        .order_by(col(OutboxMessage.next_attempt_at))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    messages = list((await session.exec(query)).all())
    for message in messages:
        message.leased_until, message.lease_token = now + lease, uuid4()
        message.attempts += 1
        session.add(message)
    await session.flush()
    return messages


async def delivered(
    session: AsyncSession, message_id: UUID, status_code: int, now: datetime
) -> OutboxMessage | None:
    """The receiver took it. A 2xx is the truth even if the message was cancelled, given up or
    taken over meanwhile: it is recorded as sent (the receiver drops a second copy by its
    Idempotency-Key). None if it was recorded as sent already."""
    message = await locked(session, OutboxMessage, message_id)
    if message.status is OutboxStatus.SENT:
        return None
    message.status = advance(OUTBOX_STEPS, "outbox message", message.status, "deliver")
    message.sent_at, message.last_status_code = now, status_code
    message.leased_until = message.lease_token = None
    session.add(message)
    return message


async def failed(
    session: AsyncSession,
    message_id: UUID,
    lease_token: UUID | None,
    error: str,
    status_code: int | None,
    retry_at: datetime | None,
) -> OutboxMessage | None:
    """Another try at ``retry_at``, or dead with the last error when there is none (attempts
    used up, or refused for good). Only under the worker's own lease: an attempt whose lease
    ran out and was taken over (or retried, or cancelled) records nothing."""
    message = await locked(session, OutboxMessage, message_id)
    if message.status is not OutboxStatus.PENDING or message.lease_token != lease_token:
        return None
    message.last_error, message.last_status_code = error[:MAX_ERROR_LENGTH], status_code
    message.leased_until = message.lease_token = None
    if retry_at is None:
        message.status = advance(OUTBOX_STEPS, "outbox message", message.status, "give up")
    else:
        message.next_attempt_at = retry_at
    session.add(message)
    return message


def give_up(session: AsyncSession, message: OutboxMessage, error: str) -> None:
    message.status = advance(OUTBOX_STEPS, "outbox message", message.status, "give up")
    message.last_error, message.leased_until, message.lease_token = error, None, None
    session.add(message)


def postpone(session: AsyncSession, message: OutboxMessage, until: datetime) -> None:
    """Not now: it waits for another message to go first."""
    message.next_attempt_at, message.leased_until, message.lease_token = until, None, None
    session.add(message)


def cancel(session: AsyncSession, message: OutboxMessage, reason: str) -> None:
    """Not to be sent any more: the consent was withdrawn, the endpoint switched off. A lease
    stays as it is: a worker may be sending it right now, and what follows must wait."""
    message.status = advance(OUTBOX_STEPS, "outbox message", message.status, "cancel")
    message.last_error = reason
    session.add(message)


async def messages_for(
    session: AsyncSession, topic: Topic, record_id: UUID
) -> Sequence[OutboxMessage]:
    """Locked: a worker claiming one of them meanwhile is waited for, and then seen."""
    query = (
        select(OutboxMessage)
        .where(col(OutboxMessage.topic) == topic, col(OutboxMessage.record_id) == record_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(query)).all()
