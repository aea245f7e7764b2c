"""Assertions shared by the API tests."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx


def expect_problem(
    response: httpx.Response, status: int, code: str, rule: str | None = None
) -> dict[str, Any]:
    """The answer is an RFC 9457 problem with this status, stable code and (if given) rule id."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert {"type", "title", "detail"} <= body.keys()
    if rule is not None:
        assert body["rule"] == rule
    return body


def from_address(app: Any, host: str) -> httpx.AsyncClient:
    """A client of the app whose requests come from this address (``request.client.host``)."""
    transport = httpx.ASGITransport(app=app, client=(host, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


@contextmanager
def changed_settings(app: Any, **changes: Any) -> Iterator[None]:
    """The app's settings with these changes, within the block (the app reads them per request)."""
    before = app.state.settings
    app.state.settings = before.model_copy(update=changes)
    try:
        yield
    finally:
        app.state.settings = before
