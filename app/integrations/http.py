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
    # the addresses to connect to, in turn, checked when the request was prepared, instead of
    # the URL's name resolved again (a partner's webhook: see ``pinned``)
    addresses: tuple[str, ...] = ()
    # why this attempt fails without connecting (the endpoint's name did not resolve): it
    # counts as an attempt without an answer, and is tried again later
    unsent: str | None = None


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
    if outgoing.unsent is not None:
        return Answer(None, outgoing.unsent)
    try:
        async with asyncio.timeout(deadline):
            response = await _send(client, outgoing)
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


async def _send(client: httpx.AsyncClient, outgoing: Outgoing) -> httpx.Response:
    if not outgoing.addresses:
        request = client.build_request(
            "POST", outgoing.url, content=outgoing.body, headers=outgoing.headers
        )
        return await client.send(request, stream=True)
    *others, last = outgoing.addresses
    for address in others:
        try:
            return await client.send(pinned(client, outgoing, address), stream=True)
        except httpx.ConnectError:
            continue  # no connection, nothing sent: the next address (as a resolver's order)
    return await client.send(pinned(client, outgoing, last), stream=True)


def pinned(client: httpx.AsyncClient, outgoing: Outgoing, address: str) -> httpx.Request:
    """The request to ``outgoing.url`` on a connection to ``address``, the address that was
    checked, so that a name whose DNS answer changes between the check and the connection (DNS
    rebinding: public for the check, 10.0.0.5 a second later) cannot redirect the request.

    The URL names the address, so httpx connects there and resolves nothing; the ``Host``
    header names the host, and so does the TLS handshake: httpcore passes the ``sni_hostname``
    extension as the ``server_hostname`` of the handshake, which sends it as SNI and verifies the
    certificate against it (httpx's default context checks host names), exactly as for a request
    to the name. ``Connection: close``: a connection is pooled by the URL's origin, here the
    address, so it must not be kept for a later request to another name at the same address,
    which would then skip its certificate check."""
    url = httpx.URL(outgoing.url)
    name = url.raw_host.decode("ascii").removesuffix(".")  # SNI carries no trailing dot
    headers = {"Host": url.netloc.decode("ascii"), "Connection": "close"} | outgoing.headers
    return client.build_request(
        "POST",
        url.copy_with(host=address),
        content=outgoing.body,
        headers=headers,
        extensions={"sni_hostname": name},
    )


def _header(response: httpx.Response) -> str | None:
    value: str | None = response.headers.get("Retry-After")
    return value
