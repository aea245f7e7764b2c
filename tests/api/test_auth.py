"""Authentication: the three grants, rotation, revocation, and every way a token is refused."""

import base64
import json
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from jose import jwt

from app.config import Settings
from app.domain.access import Role
from app.models import User
from app.security import JWT_ALGORITHM
from tests.conftest import FakeClock
from tests.factories import PASSWORD, Actor, Actors
from tests.helpers import changed_settings, expect_problem, from_address

TOKEN = "/api/v1/auth/token"
ME = "/api/v1/auth/me"


async def password_login(client: httpx.AsyncClient, username: str, password: str = PASSWORD):
    data = {"grant_type": "password", "username": username, "password": password}
    return await client.post(TOKEN, data=data)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def claims_of(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


async def test_password_grant_issues_short_lived_access_and_a_refresh_token(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    answer = await password_login(client, worker.name)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["token_type"] == "bearer"
    assert 0 < body["expires_in"] <= 900
    assert body["refresh_token"]
    claims = claims_of(body["access_token"])
    assert {"iss", "aud", "exp", "iat", "jti", "sub", "role", "org", "ver"} <= claims.keys()
    assert claims["ver"] == 0
    assert claims["exp"] - claims["iat"] <= 900
    assert claims["role"] == "social_worker"
    assert claims["org"] == str(worker.organisation_id)
    me = await client.get(ME, headers=bearer(body["access_token"]))
    assert me.json() | {} == {
        "actor_type": "user",
        "id": str(worker.id),
        "name": worker.name,
        "role": "social_worker",
        "organisation_id": str(worker.organisation_id),
        "works_on_cases": True,
    }


async def test_usernames_are_case_insensitive(client: httpx.AsyncClient, actors: Actors) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    assert (await password_login(client, worker.name.upper())).status_code == 200


async def test_client_credentials_grant_gives_an_access_token_only(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    partner = await actors.client(Role.PARTNER_SYSTEM)
    data = {
        "grant_type": "client_credentials",
        "client_id": partner.name,
        "client_secret": PASSWORD,
    }
    answer = await client.post(TOKEN, data=data)
    assert answer.status_code == 200, answer.text
    assert answer.json()["refresh_token"] is None
    me = await client.get(ME, headers=bearer(answer.json()["access_token"]))
    assert me.json()["actor_type"] == "client"
    assert me.json()["role"] == "partner_system"


@pytest.mark.parametrize(
    "data",
    [
        {"grant_type": "client_credentials", "client_id": "not-a-uuid", "client_secret": "x"},
        {
            "grant_type": "client_credentials",
            "client_id": "01a2061d-0000-7000-8000-000000000000",
            "client_secret": "x",
        },
    ],
)
async def test_unknown_client_is_refused(client: httpx.AsyncClient, data: dict[str, str]) -> None:
    expect_problem(await client.post(TOKEN, data=data), 401, "invalid_credentials")


async def test_wrong_client_secret_is_refused(client: httpx.AsyncClient, actors: Actors) -> None:
    partner = await actors.client(Role.PARTNER_SYSTEM)
    data = {"grant_type": "client_credentials", "client_id": partner.name, "client_secret": "no"}
    expect_problem(await client.post(TOKEN, data=data), 401, "invalid_credentials")


async def test_bad_password_and_unknown_user_get_the_same_answer(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    wrong = expect_problem(
        await password_login(client, worker.name, "wrong"), 401, "invalid_credentials"
    )
    unknown = expect_problem(await password_login(client, "nobody"), 401, "invalid_credentials")
    assert wrong == unknown


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"grant_type": "password", "username": "someone"}, "password"),
        ({"grant_type": "client_credentials", "client_id": "x"}, "client_secret"),
        ({"grant_type": "refresh_token"}, "refresh_token"),
        ({"grant_type": "authorization_code"}, "grant_type"),
    ],
)
async def test_a_grant_without_its_fields_is_a_validation_error(
    client: httpx.AsyncClient, data: dict[str, str], field: str
) -> None:
    body = expect_problem(await client.post(TOKEN, data=data), 422, "validation_error")
    assert field in {e["loc"][-1] for e in body["errors"]}


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    first = (await password_login(client, worker.name)).json()["refresh_token"]
    rotated = await client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": first})
    assert rotated.status_code == 200, rotated.text
    second = rotated.json()["refresh_token"]
    assert second != first
    assert claims_of(rotated.json()["access_token"])["sub"] == str(worker.id)

    reuse = await client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": first})
    expect_problem(reuse, 401, "token_invalid")
    # the thief's reuse also ended the legitimate holder's newer token
    after = await client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": second})
    expect_problem(after, 401, "token_invalid")


async def test_unknown_refresh_token_is_refused(client: httpx.AsyncClient) -> None:
    data = {"grant_type": "refresh_token", "refresh_token": "made-up"}
    expect_problem(await client.post(TOKEN, data=data), 401, "token_invalid")


async def test_expired_refresh_token_is_refused(
    client: httpx.AsyncClient, actors: Actors, clock: FakeClock, settings: Settings
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    token = (await password_login(client, worker.name)).json()["refresh_token"]
    clock.set(clock.now() + settings.refresh_token_ttl + timedelta(seconds=1))
    data = {"grant_type": "refresh_token", "refresh_token": token}
    expect_problem(await client.post(TOKEN, data=data), 401, "token_expired")


async def test_revoke_ends_the_refresh_family(client: httpx.AsyncClient, actors: Actors) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    token = (await password_login(client, worker.name)).json()["refresh_token"]
    assert (await client.post("/api/v1/auth/revoke", data={"token": token})).status_code == 204
    data = {"grant_type": "refresh_token", "refresh_token": token}
    expect_problem(await client.post(TOKEN, data=data), 401, "token_invalid")


async def test_revoking_an_unknown_token_says_nothing(client: httpx.AsyncClient) -> None:
    assert (await client.post("/api/v1/auth/revoke", data={"token": "nope"})).status_code == 204


# --- refused access tokens -------------------------------------------------------------------


def _payload(
    actor: Actor, settings: Settings, clock: FakeClock, **overrides: Any
) -> dict[str, Any]:
    now = int(clock.now().timestamp())
    payload = {
        "iss": settings.jwt_issuer,
        "aud": settings.jwt_audience,
        "sub": str(actor.id),
        "typ": "user",
        "role": actor.role.value,
        "org": str(actor.organisation_id),
        "ver": 0,
        "iat": now,
        "exp": now + 600,
        "jti": "a" * 32,
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def _unsigned(payload: dict[str, Any]) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(payload)}."


async def test_a_well_formed_token_passes(client, actors, settings, clock) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    token = jwt.encode(
        _payload(worker, settings, clock), settings.jwt_secret.get_secret_value(), JWT_ALGORITHM
    )
    assert (await client.get(ME, headers=bearer(token))).status_code == 200


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"exp": 1}, "token_expired"),
        ({"aud": "another-api"}, "token_invalid"),
        ({"iss": "someone-else"}, "token_invalid"),
        ({"aud": None}, "token_invalid"),
        ({"iss": None}, "token_invalid"),
        ({"exp": None}, "token_invalid"),
        ({"jti": None}, "token_invalid"),
        ({"typ": "robot"}, "token_invalid"),
        ({"role": "emperor"}, "token_invalid"),
        ({"ver": None}, "token_invalid"),
        ({"ver": "0"}, "token_invalid"),
        ({"ver": 1}, "token_invalid"),
    ],
    ids=[
        "expired",
        "wrong-audience",
        "wrong-issuer",
        "no-aud",
        "no-iss",
        "no-exp",
        "no-jti",
        "bad-type",
        "bad-role",
        "no-ver",
        "ver-not-a-count",
        "ver-not-the-accounts",
    ],
)
async def test_tokens_with_bad_claims_are_refused(
    client, actors, settings, clock, overrides: dict[str, Any], code: str
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    payload = _payload(worker, settings, clock, **overrides)
    token = jwt.encode(payload, settings.jwt_secret.get_secret_value(), JWT_ALGORITHM)
    expect_problem(await client.get(ME, headers=bearer(token)), 401, code)


async def test_an_unsigned_alg_none_token_is_refused(client, actors, settings, clock) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    token = _unsigned(_payload(worker, settings, clock))
    expect_problem(await client.get(ME, headers=bearer(token)), 401, "token_invalid")


async def test_a_tampered_payload_is_refused(client, actors, settings, clock) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    header, _, signature = worker.token.split(".")
    forged = _payload(worker, settings, clock, role="coordinator")
    body = base64.urlsafe_b64encode(json.dumps(forged).encode()).decode().rstrip("=")
    tampered = f"{header}.{body}.{signature}"
    expect_problem(await client.get(ME, headers=bearer(tampered)), 401, "token_invalid")


async def test_a_token_signed_with_another_key_or_algorithm_is_refused(
    client, actors, settings, clock
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    payload = _payload(worker, settings, clock)
    for token in (
        jwt.encode(payload, "another-secret-that-is-long-enough-0123456789", JWT_ALGORITHM),
        jwt.encode(payload, settings.jwt_secret.get_secret_value(), "HS512"),
    ):
        expect_problem(await client.get(ME, headers=bearer(token)), 401, "token_invalid")


@pytest.mark.parametrize("header", [None, "Basic abc", "Bearer", "Bearer not.a.jwt"])
async def test_missing_or_malformed_authorization(client, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    answer = await client.get(ME, headers=headers)
    code = "token_invalid" if header == "Bearer not.a.jwt" else "unauthenticated"
    expect_problem(answer, 401, code)
    assert answer.headers["www-authenticate"] == "Bearer"


async def test_a_deactivated_users_tokens_stop_working(client, actors: Actors) -> None:
    admin = await actors.user(Role.ADMIN)
    worker = await actors.user(Role.SOCIAL_WORKER)
    refresh = (await password_login(client, worker.name)).json()["refresh_token"]
    assert (await client.get(ME, headers=worker.headers)).status_code == 200

    answer = await client.post(f"/api/v1/users/{worker.id}/deactivate", headers=admin.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["active"] is False

    expect_problem(await client.get(ME, headers=worker.headers), 401, "token_invalid")
    data = {"grant_type": "refresh_token", "refresh_token": refresh}
    expect_problem(await client.post(TOKEN, data=data), 401, "token_invalid")
    expect_problem(await password_login(client, worker.name), 401, "invalid_credentials")


async def test_a_deactivated_clients_token_stops_working(client, actors: Actors) -> None:
    admin = await actors.user(Role.ADMIN)
    partner = await actors.client(Role.PARTNER_SYSTEM)
    answer = await client.post(f"/api/v1/clients/{partner.id}/deactivate", headers=admin.headers)
    assert answer.status_code == 200, answer.text
    expect_problem(await client.get(ME, headers=partner.headers), 401, "token_invalid")
    data = {
        "grant_type": "client_credentials",
        "client_id": partner.name,
        "client_secret": PASSWORD,
    }
    expect_problem(await client.post(TOKEN, data=data), 401, "invalid_credentials")


async def test_a_token_minted_before_a_role_change_is_refused(client, actors: Actors) -> None:
    admin = await actors.user(Role.ADMIN)
    worker = await actors.user(Role.SOCIAL_WORKER)
    change = await client.patch(
        f"/api/v1/users/{worker.id}", json={"role": "psychologist"}, headers=admin.headers
    )
    assert change.status_code == 200, change.text
    expect_problem(await client.get(ME, headers=worker.headers), 401, "token_invalid")
    assert (await password_login(client, worker.name)).status_code == 200


# --- ending sessions to the instant (the account's token version) ------------------------------


def start_of_a_second(clock: FakeClock) -> None:
    """The clock just past a whole second: what a test does next happens within that second."""
    clock.set(clock.now().replace(microsecond=100_000))


def later_in_the_second(clock: FakeClock) -> None:
    clock.set(clock.now() + timedelta(milliseconds=500))


async def refresh_with(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(TOKEN, data={"grant_type": "refresh_token", "refresh_token": token})


async def test_a_deactivation_ends_the_tokens_of_its_second_for_good(
    client, actors: Actors, clock: FakeClock
) -> None:
    """Even if the account is active again (by hand in the database: no route reactivates),
    what was issued before the deactivation stays refused; a new sign-in works."""
    start_of_a_second(clock)
    admin = await actors.user(Role.ADMIN)
    worker = await actors.user(Role.SOCIAL_WORKER)
    login = (await password_login(client, worker.name)).json()
    later_in_the_second(clock)
    answer = await client.post(f"/api/v1/users/{worker.id}/deactivate", headers=admin.headers)
    assert answer.status_code == 200, answer.text
    async with actors.sessionmaker() as session:
        user = await session.get(User, worker.id)
        assert user is not None
        user.active, user.deactivated_at = True, None
        session.add(user)
        await session.commit()

    for token in (worker.token, login["access_token"]):
        expect_problem(await client.get(ME, headers=bearer(token)), 401, "token_invalid")
    expect_problem(await refresh_with(client, login["refresh_token"]), 401, "token_invalid")
    again = (await password_login(client, worker.name)).json()
    assert claims_of(again["access_token"])["ver"] == 1
    assert (await client.get(ME, headers=bearer(again["access_token"]))).status_code == 200
    assert (await refresh_with(client, again["refresh_token"])).status_code == 200


@pytest.mark.parametrize("field", ["role", "organisation_id"])
async def test_a_change_undone_in_the_same_second_still_ends_the_tokens_issued_before(
    client, actors: Actors, clock: FakeClock, field: str
) -> None:
    """A role or organisation changed and changed back: the token claims what is true again,
    and is refused all the same, because two changes ended the account's sessions."""
    start_of_a_second(clock)
    admin = await actors.user(Role.ADMIN)
    worker = await actors.user(Role.SOCIAL_WORKER)
    login = (await password_login(client, worker.name)).json()
    later_in_the_second(clock)
    if field == "role":
        there, back = "psychologist", "social_worker"
    else:
        there, back = str((await actors.organisation()).id), str(worker.organisation_id)
    for value in (there, back):
        change = await client.patch(
            f"/api/v1/users/{worker.id}", json={field: value}, headers=admin.headers
        )
        assert change.status_code == 200, change.text

    for token in (worker.token, login["access_token"]):
        expect_problem(await client.get(ME, headers=bearer(token)), 401, "token_invalid")
    expect_problem(await refresh_with(client, login["refresh_token"]), 401, "token_invalid")
    again = (await password_login(client, worker.name)).json()
    assert claims_of(again["access_token"])["ver"] == 2
    assert (await client.get(ME, headers=bearer(again["access_token"]))).status_code == 200


async def test_a_refresh_token_issued_before_the_sessions_ended_is_refused_at_rotation(
    client, actors: Actors
) -> None:
    """A rotation racing a password change can leave a refresh token the change's revocation
    did not see: it carries the token version it was issued under, and rotation refuses it."""
    worker = await actors.user(Role.SOCIAL_WORKER)
    refresh = (await password_login(client, worker.name)).json()["refresh_token"]
    async with actors.sessionmaker() as session:  # the change, and no revocation
        user = await session.get(User, worker.id)
        assert user is not None
        user.token_version += 1
        session.add(user)
        await session.commit()
    expect_problem(await refresh_with(client, refresh), 401, "token_invalid")


# --- throttling (OWASP: per address, per username and address, a ceiling per username) --------

ELSEWHERE = "198.51.100.7"  # an address that has not failed (the test client is 127.0.0.1)


async def test_five_failures_throttle_the_username_from_that_address_only(
    app: FastAPI, client, actors: Actors, clock: FakeClock
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    for _ in range(5):
        expect_problem(
            await password_login(client, worker.name, "wrong"), 401, "invalid_credentials"
        )
    throttled = await password_login(client, worker.name)  # even the right password waits
    expect_problem(throttled, 429, "rate_limited")
    assert 0 < int(throttled.headers["retry-after"]) <= 15 * 60 + 1

    async with from_address(app, ELSEWHERE) as owner:  # the owner, from a clean address
        assert (await password_login(owner, worker.name)).status_code == 200
    other = await actors.user(Role.SOCIAL_WORKER)
    assert (await password_login(client, other.name)).status_code == 200  # others unaffected

    clock.set(clock.now() + timedelta(minutes=15, seconds=1))
    assert (await password_login(client, worker.name)).status_code == 200


async def test_four_failures_then_success_clears_the_count(client, actors: Actors) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    for _ in range(4):
        await password_login(client, worker.name, "wrong")
    assert (await password_login(client, worker.name)).status_code == 200
    for _ in range(4):
        await password_login(client, worker.name, "wrong")
    assert (await password_login(client, worker.name)).status_code == 200


async def test_the_owners_sign_in_does_not_clear_another_addresss_failures(
    app: FastAPI, client, actors: Actors
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    for _ in range(4):
        await password_login(client, worker.name, "wrong")
    async with from_address(app, ELSEWHERE) as owner:
        assert (await password_login(owner, worker.name)).status_code == 200
    expect_problem(await password_login(client, worker.name, "wrong"), 401, "invalid_credentials")
    expect_problem(await password_login(client, worker.name), 429, "rate_limited")


async def test_twenty_failures_from_one_address_throttle_that_address(
    app: FastAPI, client, actors: Actors
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    for attempt in range(20):
        expect_problem(
            await password_login(client, f"guess{attempt}", "x"), 401, "invalid_credentials"
        )
    throttled = await password_login(client, worker.name)
    expect_problem(throttled, 429, "rate_limited")
    assert int(throttled.headers["retry-after"]) > 0
    async with from_address(app, ELSEWHERE) as owner:
        assert (await password_login(owner, worker.name)).status_code == 200


def test_the_ceiling_per_username_is_no_tool_for_a_lockout() -> None:
    defaults = {name: field.default for name, field in Settings.model_fields.items()}
    assert defaults["login_max_failures_per_username_and_address"] == 5
    assert defaults["login_max_failures_per_address"] == 20
    assert defaults["login_max_failures_per_account"] == 100


async def test_failures_from_many_addresses_meet_the_ceiling_per_username(
    app: FastAPI, actors: Actors
) -> None:
    """Spread over addresses that each stay under their own limits, a username's failures stop
    at its ceiling (lowered here from 100, to keep the test short): then every address waits."""
    worker = await actors.user(Role.SOCIAL_WORKER)

    async def sign_in(address: str, password: str = PASSWORD) -> httpx.Response:
        async with from_address(app, address) as caller:
            return await password_login(caller, worker.name, password)

    with changed_settings(app, login_max_failures_per_account=8):
        for guess in range(8):  # two from each of four addresses
            if guess == 6:  # 6 failures: under the ceiling
                assert (await sign_in(ELSEWHERE)).status_code == 200
            wrong = await sign_in(f"203.0.113.{guess // 2}", "wrong")
            expect_problem(wrong, 401, "invalid_credentials")
        expect_problem(await sign_in(ELSEWHERE), 429, "rate_limited")  # 8: at the ceiling
