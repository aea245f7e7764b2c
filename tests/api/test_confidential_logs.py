"""Logs never carry names, addresses, health data or tokens — not even when something fails."""

import logging

import httpx
import pytest

from app.domain.access import Role
from app.logs import redacted_names
from tests.factories import PASSWORD, Actors, victim_body

SECRETS = ("Gulnara", "Secretname", "Hidden Street 9", "+996 777 13 13 13")


async def test_a_day_of_work_logs_no_personal_data(
    client: httpx.AsyncClient, actors: Actors, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    worker = await actors.user(Role.SOCIAL_WORKER)
    body = victim_body(
        given_name=SECRETS[0],
        family_name=SECRETS[1],
        registered_address=SECRETS[2],
        contact_phone=SECRETS[3],
    )
    created = await client.post("/api/v1/victims", json=body, headers=worker.headers)
    url = created.headers["location"]
    await client.get(url, headers=worker.headers)
    await client.post("/api/v1/victims", json=body | {"sex": "robot"}, headers=worker.headers)
    await client.patch(
        url, json={"given_name": SECRETS[0]}, headers=worker.headers | {"If-Match": '"9"'}
    )
    login = {"grant_type": "password", "username": worker.name, "password": PASSWORD}
    await client.post("/api/v1/auth/token", data=login)
    await client.post("/api/v1/auth/token", data=login | {"password": "wrong-" + PASSWORD})

    logged = "\n".join(record.getMessage() for record in caplog.records)
    for value in (*SECRETS, PASSWORD, worker.token):
        assert value not in logged


def test_access_log_lines_lose_their_query_string() -> None:
    from app.logs import RedactQueryString

    args = (
        "127.0.0.1:5000",
        "GET",
        "/api/v1/victims?registration_number=VT-ABCDE-FGHJK",
        "1.1",
        200,
    )
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d', args, None
    )
    assert RedactQueryString().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /api/v1/victims?… HTTP/1.1" 200'
    plain = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        "",
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/health/live", "1.1", 200),
        None,
    )
    RedactQueryString().filter(plain)
    assert "/health/live HTTP" in plain.getMessage()


@pytest.mark.usefixtures("app")  # the application configured logging
def test_a_personal_value_passed_by_name_is_redacted(caplog: pytest.LogCaptureFixture) -> None:
    """Whatever a future line of code logs under a personal field's name is hidden."""
    log = logging.getLogger("app.example")
    with caplog.at_level(logging.INFO):
        log.info("registered %(given_name)s (%(id)s)", {"given_name": "Gulnara", "id": 7})
        log.info("called %(contact_phone)s", {"contact_phone": "+996 777 13 13 13"})
    assert [r.getMessage() for r in caplog.records] == [
        "registered [redacted] (7)",
        "called [redacted]",
    ]
    assert {"given_name", "registered_address", "notes", "hiv_status"} <= redacted_names()
