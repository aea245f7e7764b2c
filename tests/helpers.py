"""Assertions shared by the API tests."""

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
