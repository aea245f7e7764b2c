"""Edges found in review: replays and roles, NUL characters, naive timestamps, the last-resort
500, CORS, and account changes that must end sessions."""

import logging
from datetime import timedelta
from uuid import uuid4

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


def spellings(client_id: str) -> list[str]:
    """One client id as a UUID may be written: all name the same client."""
    return [
        client_id,
        client_id.upper(),
        client_id.replace("-", ""),
        f"urn:uuid:{client_id}",
        f"{{{client_id.upper()}}}",
    ]


async def test_client_credentials_are_throttled_too(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """However the client id is spelt, the failures count against the one client."""
    partner = await actors.client(Role.PARTNER_SYSTEM)
    for client_id in spellings(partner.name):
        data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": "no"}
        expect_problem(
            await client.post("/api/v1/auth/token", data=data), 401, "invalid_credentials"
        )
    right = data | {"client_id": partner.name, "client_secret": PASSWORD}
    expect_problem(await client.post("/api/v1/auth/token", data=right), 429, "rate_limited")


async def test_a_client_signs_in_with_its_id_in_any_spelling(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    partner = await actors.client(Role.PARTNER_SYSTEM)
    for client_id in [*spellings(partner.name), f"URN:UUID:{partner.name.upper()}"]:
        data = {"grant_type": "client_credentials", "client_id": client_id}
        answer = await client.post("/api/v1/auth/token", data=data | {"client_secret": PASSWORD})
        assert answer.status_code == 200, (client_id, answer.text)


async def test_a_client_id_that_is_no_uuid_is_unknown_and_counts_against_the_address(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    for client_id in ("partner-1", f"{{{uuid4()}", "0" * 31, "urn:uuid:", "x" * 64):
        data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": "x"}
        expect_problem(
            await client.post("/api/v1/auth/token", data=data), 401, "invalid_credentials"
        )
    for attempt in range(15):  # 20 failures from the address with these
        data = {"grant_type": "password", "username": f"guess{attempt}", "password": "x"}
        expect_problem(
            await client.post("/api/v1/auth/token", data=data), 401, "invalid_credentials"
        )
    login = {"grant_type": "password", "username": worker.name, "password": PASSWORD}
    expect_problem(await client.post("/api/v1/auth/token", data=login), 429, "rate_limited")


async def test_a_new_password_ends_the_tokens_issued_in_the_same_second(
    client: httpx.AsyncClient, actors: Actors, clock: FakeClock
) -> None:
    """Not only those issued in an earlier second: the account's token version moved on."""
    clock.set(clock.now().replace(microsecond=100_000))
    admin = await actors.user(Role.ADMIN)
    worker = await actors.user(Role.SOCIAL_WORKER)
    login = {"grant_type": "password", "username": worker.name, "password": PASSWORD}
    issued = (await client.post("/api/v1/auth/token", data=login)).json()
    clock.set(clock.now() + timedelta(milliseconds=500))  # the same second
    answer = await client.patch(
        f"/api/v1/users/{worker.id}",
        json={"password": "a brand new password"},
        headers=admin.headers,
    )
    assert answer.status_code == 200
    for token in (worker.token, issued["access_token"]):
        expect_problem(
            await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"}),
            401,
            "token_invalid",
        )
    rotate = {"grant_type": "refresh_token", "refresh_token": issued["refresh_token"]}
    expect_problem(await client.post("/api/v1/auth/token", data=rotate), 401, "token_invalid")
    new = login | {"password": "a brand new password"}
    token = (await client.post("/api/v1/auth/token", data=new)).json()["access_token"]
    me = await client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200


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
