"""A delivery to a partner's endpoint, signed so that the partner can check where it comes from
and refuse a replay (docs/integrations.md shows the check)."""

import asyncio
import socket
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.domain.exchange import SIGNATURE_HEADER, is_public_address, signature_header
from app.integrations.http import Outgoing, json_body
from app.integrations.sending import Sender, Skip
from app.models import OutboxMessage
from app.services import webhook_endpoints as endpoints


def delivery_request(
    url: str, secret: str, message_id: UUID, payload: dict[str, Any], now: datetime
) -> Outgoing:
    body = json_body(payload)
    headers = {
        "Content-Type": "application/json",
        "Idempotency-Key": str(message_id),
        "VoT-Event": str(payload.get("type", "")),
        SIGNATURE_HEADER: signature_header(secret, int(now.timestamp()), body),
    }
    return Outgoing(url, body, headers)


async def resolves_publicly(url: str) -> bool:
    """Every address the endpoint's host resolves to now is public: a partner's endpoint must
    not turn deliveries against the service's own network (a name that resolves to 10.0.0.5,
    say). If the name does not resolve, the send itself fails and is retried."""
    parts = urlsplit(url)
    if parts.hostname is None:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        found = await asyncio.get_running_loop().getaddrinfo(
            parts.hostname, port, type=socket.SOCK_STREAM
        )
    except (OSError, UnicodeError):
        return True
    return all(is_public_address(str(info[4][0])) for info in found)


async def _prepare(
    session: AsyncSession, message: OutboxMessage, settings: Settings, now: datetime
) -> Outgoing | Skip:
    endpoint = await endpoints.active_endpoint(session, message.endpoint_id)
    if endpoint is None:
        return Skip("Not sent: the endpoint was deactivated.")
    if not settings.webhook_allow_http and not await resolves_publicly(endpoint.url):
        return Skip("Refused: the endpoint's host is not a public address.", "give up")
    return delivery_request(endpoint.url, endpoint.secret, message.id, message.payload, now)


DELIVERY = Sender(prepare=_prepare)
