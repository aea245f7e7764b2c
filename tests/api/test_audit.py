"""The audit trail: every read and change of a person's data, in the same transaction."""

import httpx
import pytest

from app.domain.access import Role
from tests.factories import Actor, Actors, victim_body
from tests.helpers import expect_problem

AUDIT = "/api/v1/audit-events"


async def _trail(client: httpx.AsyncClient, reader: Actor, **filters: str) -> list[dict]:
    answer = await client.get(AUDIT, params=filters, headers=reader.headers)
    assert answer.status_code == 200, answer.text
    return answer.json()["items"]


async def test_every_read_and_change_of_a_person_is_recorded(
    client: httpx.AsyncClient, coordinator: Actor, worker: Actor
) -> None:
    created = (
        await client.post("/api/v1/victims", json=victim_body(), headers=worker.headers)
    ).json()
    url = f"/api/v1/victims/{created['id']}"
    await client.get(url, headers=worker.headers)
    await client.patch(url, json={"contact_phone": None}, headers=worker.headers)
    await client.get("/api/v1/victims", headers=worker.headers)
    await client.get(f"{url}/export", headers=worker.headers)
    consent = (
        await client.post(
            f"{url}/consents", json={"purpose": "data_processing"}, headers=worker.headers
        )
    ).json()
    await client.get(f"{url}/consents", headers=worker.headers)
    await client.post(f"{url}/consents/{consent['id']}/withdraw", headers=worker.headers)

    trail = await _trail(client, coordinator, victim_id=created["id"])
    actions = [(e["action"], e["record_type"]) for e in reversed(trail)]
    assert actions == [
        ("create", "victim"),
        ("read", "victim"),
        ("update", "victim"),
        ("list", "victim"),
        ("export", "victim"),
        ("create", "consent"),
        ("list", "consent"),
        ("withdraw", "consent"),
    ]
    event = trail[-1]
    assert event["actor_id"] == str(worker.id)
    assert event["actor_type"] == "user"
    assert event["role"] == "social_worker"
    assert event["organisation_id"] == str(worker.organisation_id)
    assert event["client_address"] == "127.0.0.1"
    assert event["at"]


async def test_events_hold_no_personal_data(
    client: httpx.AsyncClient, coordinator: Actor, worker: Actor
) -> None:
    body = victim_body(
        given_name="Zarina", family_name="Uniquename", contact_phone="+996 700 424242"
    )
    created = (await client.post("/api/v1/victims", json=body, headers=worker.headers)).json()
    await client.get(f"/api/v1/victims/{created['id']}", headers=worker.headers)
    raw = (await client.get(AUDIT, headers=coordinator.headers)).text
    for value in ("Zarina", "Uniquename", "424242", created["registration_number"]):
        assert value not in raw


async def test_a_refused_change_leaves_no_event(
    client: httpx.AsyncClient, coordinator: Actor, worker: Actor
) -> None:
    created = (
        await client.post("/api/v1/victims", json=victim_body(), headers=worker.headers)
    ).json()
    url = f"/api/v1/victims/{created['id']}"
    stale = await client.patch(
        url, json={"contact_phone": None}, headers=worker.headers | {"If-Match": '"7"'}
    )
    assert stale.status_code == 412
    assert await _trail(client, coordinator, victim_id=created["id"], action="update") == []


async def test_reads_through_the_coordinators_eyes_are_recorded_too(
    client: httpx.AsyncClient, actors: Actors, coordinator: Actor
) -> None:
    victim = await actors.victim(await actors.organisation())
    await client.get(f"/api/v1/victims/{victim.id}", headers=coordinator.headers)
    trail = await _trail(client, coordinator, victim_id=str(victim.id))
    assert [(e["action"], e["actor_id"]) for e in trail] == [("read", str(coordinator.id))]


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_only_coordinator_and_admin_read_the_trail(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    answer = await client.get(AUDIT, headers=caller.headers)
    if role in (Role.COORDINATOR, Role.ADMIN):
        assert answer.status_code == 200
    else:
        expect_problem(answer, 403, "forbidden")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
async def test_events_cannot_be_changed_or_deleted(
    client: httpx.AsyncClient, coordinator: Actor, worker: Actor, method: str
) -> None:
    await client.post("/api/v1/victims", json=victim_body(), headers=worker.headers)
    event = (await _trail(client, coordinator))[0]
    for url in (AUDIT, f"{AUDIT}/{event['id']}"):
        answer = await client.request(method, url, json={}, headers=coordinator.headers)
        assert answer.status_code in (404, 405)
    assert (await _trail(client, coordinator))[0] == event


async def test_admin_actions_on_accounts_are_recorded(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    admin = await actors.user(Role.ADMIN)
    worker = await actors.user(Role.SOCIAL_WORKER)
    await client.post(f"/api/v1/users/{worker.id}/deactivate", headers=admin.headers)
    trail = await _trail(client, admin, record_type="user")
    assert [(e["action"], e["record_id"]) for e in trail] == [("deactivate", str(worker.id))]
