"""Edges found in review: replays and roles, NUL characters, naive timestamps, the last-resort
500, CORS, and account changes that must end sessions."""

import logging
from datetime import timedelta

import httpx
import pytest

from app.config import Settings
from app.domain.access import Role
from app.main import create_app
from tests.conftest import FakeClock
from tests.factories import PASSWORD, Actor, Actors, victim_body
from tests.helpers import expect_problem

VICTIMS = "/api/v1/victims"


async def test_a_replay_is_refused_to_a_caller_who_lost_the_role(
    client: httpx.AsyncClient, admin: Actor, worker: Actor
) -> None:
    key = {"Idempotency-Key": "before-the-change"}
    assert (
        await client.post(VICTIMS, json=victim_body(), headers=worker.headers | key)
    ).status_code == 201
    change = await client.patch(
        f"/api/v1/users/{worker.id}", json={"role": "medical_officer"}, headers=admin.headers
    )
    assert change.status_code == 200
    login = {"grant_type": "password", "username": worker.name, "password": PASSWORD}
    token = (await client.post("/api/v1/auth/token", data=login)).json()["access_token"]
    replay = await client.post(
        VICTIMS, json=victim_body(), headers={"Authorization": f"Bearer {token}"} | key
    )
    expect_problem(replay, 403, "forbidden")


async def test_a_replay_is_audited_for_the_person_it_shows(
    client: httpx.AsyncClient, worker: Actor, coordinator: Actor
) -> None:
    headers = worker.headers | {"Idempotency-Key": "audited"}
    first = await client.post(VICTIMS, json=victim_body(), headers=headers)
    await client.post(VICTIMS, json=victim_body(), headers=headers)
    trail = await client.get(
        "/api/v1/audit-events",
        params={"victim_id": first.json()["id"]},
        headers=coordinator.headers,
    )
    assert [e["action"] for e in trail.json()["items"]] == ["replay", "create"]


@pytest.mark.parametrize("field", ["given_name", "registered_address"])
async def test_nul_characters_in_a_body_are_a_validation_error(
    client: httpx.AsyncClient, worker: Actor, field: str
) -> None:
    answer = await client.post(
        VICTIMS, json=victim_body(**{field: "A\u0000B"}), headers=worker.headers
    )
    expect_problem(answer, 422, "validation_error")


async def test_nul_characters_in_a_login_or_a_query_are_a_validation_error(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    login = {"grant_type": "password", "username": "ab\u0000c", "password": "x"}
    expect_problem(await client.post("/api/v1/auth/token", data=login), 422, "validation_error")
    answer = await client.get(
        VICTIMS, params={"registration_number": "VT\u0000"}, headers=worker.headers
    )
    expect_problem(answer, 422, "validation_error")


async def test_audit_filters_need_timestamps_with_an_offset(
    client: httpx.AsyncClient, coordinator: Actor
) -> None:
    url = "/api/v1/audit-events"
    naive = await client.get(
        url, params={"since": "2026-01-01T00:00:00"}, headers=coordinator.headers
    )
    expect_problem(naive, 422, "validation_error")
    aware = await client.get(
        url, params={"since": "2026-01-01T00:00:00+06:00"}, headers=coordinator.headers
    )
    assert aware.status_code == 200


async def test_an_unexpected_failure_is_a_bare_500_that_logs_no_data(
    settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    broken = create_app(settings)

    @broken.get("/boom")
    async def boom() -> None:
        raise RuntimeError("Gulnara Secretname, Hidden Street 9")

    caplog.set_level(logging.DEBUG)
    transport = httpx.ASGITransport(app=broken)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        answer = await http.get("/boom")
    await broken.state.engine.dispose()
    body = expect_problem(answer, 500, "internal_error")
    assert "Gulnara" not in str(body)
    assert answer.headers["cache-control"] == "no-store"
    assert "Gulnara" not in caplog.text
    assert "RuntimeError" in caplog.text


async def test_cors_allows_only_the_configured_origins(settings: Settings) -> None:
    configured = create_app(settings.model_copy(update={"cors_origins": ["https://case.example"]}))
    transport = httpx.ASGITransport(app=configured)
    preflight = {
        "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "if-match",
    }
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        allowed = await http.options(
            VICTIMS, headers=preflight | {"Origin": "https://case.example"}
        )
        refused = await http.options(
            VICTIMS, headers=preflight | {"Origin": "https://evil.example"}
        )
    await configured.state.engine.dispose()
    assert allowed.headers["access-control-allow-origin"] == "https://case.example"
    assert "access-control-allow-origin" not in refused.headers


async def test_client_credentials_are_throttled_too(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    partner = await actors.client(Role.PARTNER_SYSTEM)
    data = {"grant_type": "client_credentials", "client_id": partner.name, "client_secret": "wrong"}
    for _ in range(5):
        expect_problem(
            await client.post("/api/v1/auth/token", data=data), 401, "invalid_credentials"
        )
    right = data | {"client_secret": PASSWORD}
    expect_problem(await client.post("/api/v1/auth/token", data=right), 429, "rate_limited")


async def test_a_new_password_ends_the_access_tokens_already_issued(
    client: httpx.AsyncClient, admin: Actor, worker: Actor, clock: FakeClock
) -> None:
    clock.set(clock.now() + timedelta(seconds=2))  # the change happens after the token was made
    answer = await client.patch(
        f"/api/v1/users/{worker.id}",
        json={"password": "a brand new password"},
        headers=admin.headers,
    )
    assert answer.status_code == 200
    expect_problem(
        await client.get("/api/v1/auth/me", headers=worker.headers), 401, "token_invalid"
    )


async def test_an_admin_cannot_lock_themselves_out(client: httpx.AsyncClient, admin: Actor) -> None:
    own = f"/api/v1/users/{admin.id}"
    expect_problem(await client.post(f"{own}/deactivate", headers=admin.headers), 403, "forbidden")
    expect_problem(
        await client.patch(own, json={"role": "auditor"}, headers=admin.headers), 403, "forbidden"
    )
    expect_problem(
        await client.patch(own, json={"role": None}, headers=admin.headers), 422, "validation_error"
    )
    assert (await client.get("/api/v1/auth/me", headers=admin.headers)).status_code == 200


async def test_an_organisation_may_change_the_case_of_its_own_name(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    created = await client.post(
        "/api/v1/organisations", json={"name": "Приют Сезим", "kind": "ngo"}, headers=admin.headers
    )
    url = created.headers["location"]
    renamed = await client.patch(url, json={"name": "ПРИЮТ СЕЗИМ"}, headers=admin.headers)
    assert renamed.status_code == 200, renamed.text
    clash = await client.post(
        "/api/v1/organisations", json={"name": "приют  сезим", "kind": "ngo"}, headers=admin.headers
    )
    expect_problem(clash, 409, "duplicate")
