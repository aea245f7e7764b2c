"""The conventions of API.md, implemented once: pagination, ETag/If-Match, Idempotency-Key,
body limits, problem bodies, health."""

import httpx
import pytest

from app.domain.access import Role
from app.domain.vocabulary import OrganisationKind
from tests.factories import Actor, Actors, victim_body
from tests.helpers import expect_problem

VICTIMS = "/api/v1/victims"


# --- pagination -------------------------------------------------------------------------------


async def test_keyset_pages_cover_every_record_once_newest_first(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    home = await actors.home_of(worker)
    made = [str((await actors.victim(home)).id) for _ in range(7)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(VICTIMS, params=params, headers=worker.headers)).json()
        assert len(page["items"]) <= 3
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(made))


async def test_a_record_added_between_pages_does_not_shift_the_next_page(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    home = await actors.home_of(worker)
    made = [str((await actors.victim(home)).id) for _ in range(4)]
    first = (await client.get(VICTIMS, params={"limit": 2}, headers=worker.headers)).json()
    await actors.victim(home)
    second = await client.get(
        VICTIMS, params={"limit": 2, "cursor": first["next_cursor"]}, headers=worker.headers
    )
    assert [i["id"] for i in second.json()["items"]] == [made[1], made[0]]


@pytest.mark.parametrize(("limit", "ok"), [(200, True), (201, False), (0, False), (1, True)])
async def test_limit_is_between_1_and_200(
    client: httpx.AsyncClient, worker: Actor, limit: int, ok: bool
) -> None:
    answer = await client.get(VICTIMS, params={"limit": limit}, headers=worker.headers)
    if ok:
        assert answer.status_code == 200
    else:
        body = expect_problem(answer, 422, "validation_error")
        assert body["errors"][0]["loc"] == ["query", "limit"]


async def test_a_forged_cursor_is_a_validation_error(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    answer = await client.get(VICTIMS, params={"cursor": "%%%not-base64"}, headers=worker.headers)
    body = expect_problem(answer, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["query", "cursor"]


# --- ETag / If-Match --------------------------------------------------------------------------


async def test_etag_and_if_match(client: httpx.AsyncClient, worker: Actor) -> None:
    created = await client.post(VICTIMS, json=victim_body(), headers=worker.headers)
    url = created.headers["location"]
    assert created.headers["etag"] == '"1"'
    read = await client.get(url, headers=worker.headers)
    etag = read.headers["etag"]
    assert etag == '"1"'

    change = {"contact_phone": "+996 555 000 111"}
    ok = await client.patch(url, json=change, headers=worker.headers | {"If-Match": etag})
    assert ok.status_code == 200
    assert ok.headers["etag"] == '"2"'

    stale = await client.patch(
        url, json={"contact_phone": "+996 555 000 222"}, headers=worker.headers | {"If-Match": etag}
    )
    expect_problem(stale, 412, "version_mismatch")
    assert (await client.get(url, headers=worker.headers)).json()[
        "contact_phone"
    ] == "+996 555 000 111"


async def test_a_wildcard_if_match_matches_any_version(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    url = (await client.post(VICTIMS, json=victim_body(), headers=worker.headers)).headers[
        "location"
    ]
    change = {"contact_phone": None}
    answer = await client.patch(url, json=change, headers=worker.headers | {"If-Match": "*"})
    assert answer.status_code == 200


@pytest.mark.parametrize("value", ['"abc"', 'W/"1"', "1"])
async def test_weak_or_foreign_if_match_values_never_match(
    client: httpx.AsyncClient, worker: Actor, value: str
) -> None:
    """If-Match compares strongly (RFC 9110): even W/"1" for version 1 does not match."""
    url = (await client.post(VICTIMS, json=victim_body(), headers=worker.headers)).headers[
        "location"
    ]
    answer = await client.patch(
        url, json={"contact_phone": None}, headers=worker.headers | {"If-Match": value}
    )
    expect_problem(answer, 412, "version_mismatch")


# --- Idempotency-Key --------------------------------------------------------------------------


async def test_a_retried_post_with_the_same_key_replays_without_a_second_write(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    headers = worker.headers | {"Idempotency-Key": "create-person-1"}
    first = await client.post(VICTIMS, json=victim_body(), headers=headers)
    again = await client.post(VICTIMS, json=victim_body(), headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert len((await client.get(VICTIMS, headers=worker.headers)).json()["items"]) == 1


async def test_the_same_key_with_another_body_is_refused(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    headers = worker.headers | {"Idempotency-Key": "create-person-2"}
    await client.post(VICTIMS, json=victim_body(), headers=headers)
    other = await client.post(VICTIMS, json=victim_body(given_name="Other"), headers=headers)
    expect_problem(other, 422, "idempotency_key_reused")
    assert len((await client.get(VICTIMS, headers=worker.headers)).json()["items"]) == 1


async def test_keys_are_scoped_to_the_caller(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    home = await actors.home_of(worker)
    colleague = await actors.user(Role.SOCIAL_WORKER, home)
    key = {"Idempotency-Key": "same-key"}
    await client.post(VICTIMS, json=victim_body(), headers=worker.headers | key)
    second = await client.post(VICTIMS, json=victim_body(), headers=colleague.headers | key)
    assert second.status_code == 201
    assert "idempotent-replayed" not in second.headers
    assert len((await client.get(VICTIMS, headers=worker.headers)).json()["items"]) == 2


async def test_a_refused_request_is_not_remembered(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    headers = worker.headers | {"Idempotency-Key": "fix-and-retry"}
    refused = await client.post(VICTIMS, json=victim_body(sex="robot"), headers=headers)
    assert refused.status_code == 422
    fixed = await client.post(VICTIMS, json=victim_body(), headers=headers)
    assert fixed.status_code == 201


async def test_keys_expire_after_the_retention(
    client: httpx.AsyncClient, worker: Actor, clock, settings
) -> None:
    from datetime import timedelta

    headers = worker.headers | {"Idempotency-Key": "old-key"}
    await client.post(VICTIMS, json=victim_body(), headers=headers)
    clock.set(clock.now() + timedelta(hours=settings.idempotency_retention_hours, minutes=1))
    later = await client.post(VICTIMS, json=victim_body(given_name="Later"), headers=headers)
    assert later.status_code == 201
    assert "idempotent-replayed" not in later.headers


async def test_a_replayed_client_creation_never_shows_the_secret_again(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    admin = await actors.user(Role.ADMIN)
    ngo = await actors.organisation(OrganisationKind.NGO)
    body = {"name": "Partner system", "role": "partner_system", "organisation_id": str(ngo.id)}
    headers = admin.headers | {"Idempotency-Key": "new-client"}
    first = await client.post("/api/v1/clients", json=body, headers=headers)
    assert first.json()["client_secret"]
    again = await client.post("/api/v1/clients", json=body, headers=headers)
    assert again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert "client_secret" not in again.json()


# --- bodies -----------------------------------------------------------------------------------


async def test_a_body_over_one_mebibyte_is_refused(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    big = victim_body(registered_address="x" * (1024 * 1024))
    answer = await client.post(VICTIMS, json=big, headers=worker.headers)
    expect_problem(answer, 413, "payload_too_large")
    assert (await client.get(VICTIMS, headers=worker.headers)).json()["items"] == []


async def test_a_streamed_body_without_length_over_the_limit_is_refused(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    async def chunks():
        for _ in range(20):
            yield b"x" * (64 * 1024)

    headers = worker.headers | {"Content-Type": "application/json"}
    answer = await client.post(VICTIMS, content=chunks(), headers=headers)
    expect_problem(answer, 413, "payload_too_large")


@pytest.mark.parametrize("raw", [b"{not json", b"\xff\xfe\x00garbage", b""])
async def test_malformed_bodies_are_validation_errors(
    client: httpx.AsyncClient, worker: Actor, raw: bytes
) -> None:
    headers = worker.headers | {"Content-Type": "application/json"}
    answer = await client.post(VICTIMS, content=raw, headers=headers)
    expect_problem(answer, 422, "validation_error")
    assert (await client.get(VICTIMS, headers=worker.headers)).json()["items"] == []


# --- problems and health ----------------------------------------------------------------------


async def test_unknown_paths_and_methods_answer_with_problems(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    expect_problem(await client.get("/api/v1/nothing-here"), 404, "not_found")
    expect_problem(await client.delete(VICTIMS, headers=worker.headers), 405, "method_not_allowed")


async def test_an_unknown_id_is_not_found(client: httpx.AsyncClient, worker: Actor) -> None:
    url = f"{VICTIMS}/01a2061d-0000-7000-8000-000000000000"
    expect_problem(await client.get(url, headers=worker.headers), 404, "not_found")
    expect_problem(
        await client.get(f"{VICTIMS}/not-a-uuid", headers=worker.headers), 422, "validation_error"
    )


async def test_responses_are_never_cached_and_not_sniffed(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    answer = await client.get(VICTIMS, headers=worker.headers)
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in answer.headers["content-security-policy"]


@pytest.mark.commits  # readiness asks the database on a connection of its own
async def test_health(client: httpx.AsyncClient) -> None:
    assert (await client.get("/health/live")).json() == {"status": "ok"}
    assert (await client.get("/health/ready")).json() == {"status": "ok"}


async def test_ready_reports_a_database_that_does_not_answer() -> None:
    from app.config import Settings
    from app.main import create_app

    nowhere = "postgresql+asyncpg://postgres@127.0.0.1:9/none"  # the discard port: refused
    broken = create_app(Settings(database_url=nowhere, env="test"))
    transport = httpx.ASGITransport(app=broken)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        expect_problem(await http.get("/health/ready"), 503, "not_ready")
        assert (await http.get("/health/live")).status_code == 200
    await broken.state.engine.dispose()
