"""A delivery to a partner's endpoint, signed so that the partner can check where it comes from
and refuse a replay (docs/integrations.md shows the check)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from app.domain.exchange import SIGNATURE_HEADER, signature_header
from app.integrations.http import Outgoing, json_body


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
