"""``Idempotency-Key`` on POST: the same key and body replay the first answer, without a second
write; the same key with another body is refused (API.md, conventions).

Keys are scoped to the caller *as they are now* (account, role and organisation): after a change
of role or organisation an old key replays nothing. A replay is itself audited for every person
whose data the stored answer holds; the stored answers are purged after the retention period.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.responses import Response

from app.errors import IdempotencyKeyReused
from app.models import IdempotencyRecord
from app.security import Principal
from app.services import audit

REPLAYED_HEADERS = ("content-type", "location", "etag")


@dataclass(frozen=True)
class PendingKey:
    principal: Principal
    key: str
    fingerprint: str
    expired_before: datetime

    @property
    def caller(self) -> str:
        """Scoped to the account as it is now: a new role or organisation starts afresh."""
        p = self.principal
        return f"{p.caller_key}:{p.role}:{p.organisation_id}"


class Replay(Exception):
    """Carries the stored answer out of the (rolled back) request, ready to send."""

    def __init__(self, response: Response, principal: Principal, victim_ids: list[UUID]) -> None:
        super().__init__("idempotent replay")
        self.response = response
        self.principal = principal
        self.victim_ids = victim_ids


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


async def check(session: AsyncSession, pending: PendingKey) -> None:
    """Raise ``Replay`` with the stored answer, or refuse a reused key; let a new key pass."""
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.caller == pending.caller,
        IdempotencyRecord.key == pending.key,
        col(IdempotencyRecord.created_at) >= pending.expired_before,
    )
    stored = (await session.exec(query)).first()
    if stored is None:
        return
    if stored.fingerprint != pending.fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used with another request; use a new key."
        )
    headers = dict(stored.headers) | {"Idempotent-Replayed": "true"}
    response = Response(stored.body.encode(), status_code=stored.status_code, headers=headers)
    raise Replay(response, pending.principal, [UUID(v) for v in stored.victim_ids])


async def remember(
    session: AsyncSession, pending: PendingKey, response: Response, body: str | None = None
) -> None:
    """Store the answer in the request's transaction: it exists if and only if the change does.
    ``body`` replaces the answer's body where that holds something never to be stored again.
    Expired answers (and an expired one under this key) go at the same time."""
    await session.exec(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < pending.expired_before)
    )
    session.add(
        IdempotencyRecord(
            caller=pending.caller,
            key=pending.key,
            fingerprint=pending.fingerprint,
            status_code=response.status_code,
            headers={k: v for k, v in response.headers.items() if k in REPLAYED_HEADERS},
            body=body if body is not None else bytes(response.body).decode(),
            victim_ids=[str(v) for v in sorted(audit.victims_touched(session))],
        )
    )
    await session.flush()


async def audit_replay(session: AsyncSession, replay: Replay) -> None:
    for victim_id in replay.victim_ids:
        action = audit.AuditAction.REPLAY
        audit.record(session, replay.principal, action, "response", None, victim_id=victim_id)


async def purge_expired(session: AsyncSession, before: datetime) -> int:
    result = await session.exec(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < before)
    )
    return result.rowcount
