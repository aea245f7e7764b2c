"""A delivery to a partner's endpoint, signed so that the partner can check where it comes from
and refuse a replay (docs/integrations.md shows the check)."""

from dataclasses import replace
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.domain.exchange import (
    SIGNATURE_HEADER,
    endpoint_target,
    is_public_address,
    signature_header,
)
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


async def checked_addresses(url: str, public_only: bool) -> tuple[str, ...] | Skip:
    """Where a delivery to ``url`` connects: the endpoint's host is resolved once, here, every
    address it resolves to must be public (a partner's endpoint must not turn deliveries
    against the service's own network: a name that resolves to 10.0.0.5, say), and the request
    then goes to these addresses, the first that takes the connection, never to the name
    resolved again (``http.pinned``). No address when the name does not resolve now (the attempt
    fails, and is tried again later). ``public_only`` is off where the settings allow local
    endpoints (development, tests)."""
    addresses = tuple(await endpoints.resolve(*endpoint_target(url)))
    if public_only and not all(is_public_address(address) for address in addresses):
        return Skip("Refused: the endpoint's host is not a public address.", "give up")
    return addresses


async def _prepare(
    session: AsyncSession, message: OutboxMessage, settings: Settings, now: datetime
) -> Outgoing | Skip:
    endpoint = await endpoints.active_endpoint(session, message.endpoint_id)
    if endpoint is None:
        return Skip("Not sent: the endpoint was deactivated.")
    secret = endpoints.signing_secret(endpoint, settings)
    if secret is None:
        return Skip(
            "Refused: none of APP_WEBHOOK_SECRET_KEYS opens the endpoint's secret.", "give up"
        )
    addresses = await checked_addresses(endpoint.url, not settings.webhook_allow_http)
    if isinstance(addresses, Skip):
        return addresses
    request = delivery_request(endpoint.url, secret, message.id, message.payload, now)
    if not addresses:
        return replace(request, unsent="connection failed: the endpoint's host did not resolve")
    return replace(request, addresses=addresses)


DELIVERY = Sender(prepare=_prepare)
