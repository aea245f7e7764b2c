"""``Idempotency-Key`` on POST: the same key and body replay the first answer, without a second
write; the same key with another body is refused (API.md, conventions)."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from starlette.responses import Response

from app.errors import IdempotencyKeyReused
from app.models import IdempotencyRecord

REPLAYED_HEADERS = ("content-type", "location", "etag")


@dataclass(frozen=True)
class PendingKey:
    caller: str
    key: str
    fingerprint: str


class Replay(Exception):
    """Carries the stored answer out of the (rolled back) request, ready to send."""

    def __init__(self, response: Response) -> None:
        super().__init__("idempotent replay")
        self.response = response


def request_fingerprint(method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([method.encode(), path.encode(), body])).hexdigest()


async def check(session: AsyncSession, pending: PendingKey, expired_before: datetime) -> None:
    """Raise ``Replay`` with the stored answer, or refuse a reused key; pass a new key."""
    query = select(IdempotencyRecord).where(
        IdempotencyRecord.caller == pending.caller, IdempotencyRecord.key == pending.key
    )
    stored = (await session.exec(query)).first()
    if stored is None:
        return
    if stored.created_at < expired_before:
        await session.delete(stored)
        await session.flush()
        return
    if stored.fingerprint != pending.fingerprint:
        raise IdempotencyKeyReused(
            "This Idempotency-Key was used with another request; use a new key."
        )
    raise Replay(_replay_response(stored))


def remember(
    session: AsyncSession, pending: PendingKey, response: Response, body: str | None = None
) -> None:
    """Store the answer in the request's transaction: it exists if and only if the change does.
    ``body`` replaces the answer's body where that holds something never to be stored."""
    headers = {k: v for k, v in response.headers.items() if k in REPLAYED_HEADERS}
    session.add(
        IdempotencyRecord(
            caller=pending.caller,
            key=pending.key,
            fingerprint=pending.fingerprint,
            status_code=response.status_code,
            headers=headers,
            body=body if body is not None else bytes(response.body).decode(),
        )
    )


def _replay_response(record: IdempotencyRecord) -> Response:
    headers = dict(record.headers) | {"Idempotent-Replayed": "true"}
    return Response(record.body.encode(), status_code=record.status_code, headers=headers)


async def purge_expired(session: AsyncSession, before: datetime) -> int:
    result = await session.exec(
        delete(IdempotencyRecord).where(col(IdempotencyRecord.created_at) < before)
    )
    return result.rowcount
