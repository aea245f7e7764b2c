"""One HTTP request to an outside system, and what came of it."""

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outgoing:
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    status_code: int | None  # None: no answer (network error, timeout)
    error: str | None = None
    retry_after_seconds: float | None = None


def json_body(document: dict[str, Any]) -> bytes:
    """Compact and stable: the bytes signed are the bytes sent."""
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


async def post(client: httpx.AsyncClient, outgoing: Outgoing) -> Answer:
    """POST once; every failure becomes an Answer. Nothing of the body or the answer's body is
    logged or kept: either may hold a person's data."""
    try:
        response = await client.post(outgoing.url, content=outgoing.body, headers=outgoing.headers)
    except httpx.TimeoutException:
        return Answer(None, "timeout: no answer in time")
    except httpx.TransportError as exc:
        return Answer(None, f"connection failed: {type(exc).__name__}")
    if response.is_success:
        return Answer(response.status_code)
    error = f"HTTP {response.status_code}"
    return Answer(response.status_code, error, _retry_after(response))


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else None
