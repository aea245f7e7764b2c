"""One HTTP request to an outside system, and what came of it."""

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class Outgoing:
    url: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Answer:
    status_code: int | None  # None: no answer (network error, timeout)
    error: str | None = None
    retry_after: str | None = None  # the receiver's header, as sent


def json_body(document: dict[str, Any]) -> bytes:
    """Compact and stable: the bytes signed are the bytes sent."""
    return json.dumps(document, separators=(",", ":"), sort_keys=True).encode()


async def post(client: httpx.AsyncClient, outgoing: Outgoing, deadline: float) -> Answer:
    """POST once, within ``deadline`` seconds all told (a receiver that drips its answer does
    not hold the worker). Every failure becomes an Answer, never an exception. The answer's
    body is not read: nothing of it is needed, and it may be large or hold a person's data."""
    try:
        async with asyncio.timeout(deadline):
            request = client.build_request(
                "POST", outgoing.url, content=outgoing.body, headers=outgoing.headers
            )
            response = await client.send(request, stream=True)
            await response.aclose()
    except (TimeoutError, httpx.TimeoutException):
        return Answer(None, "timeout: no answer in time")
    except httpx.TransportError as exc:
        return Answer(None, f"connection failed: {type(exc).__name__}")
    except Exception as exc:
        return Answer(None, f"request failed: {type(exc).__name__}")
    if response.is_success:
        return Answer(response.status_code)
    return Answer(response.status_code, f"HTTP {response.status_code}", _header(response))


def _header(response: httpx.Response) -> str | None:
    value: str | None = response.headers.get("Retry-After")
    return value
