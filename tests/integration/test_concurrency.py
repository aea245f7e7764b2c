"""Races that only real parallel connections show (PostgreSQL; SQLite serialises writers)."""

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from app.domain.access import Role
from tests.factories import Actor, Actors, victim_body
from tests.helpers import changed_settings, from_address

pytestmark = [pytest.mark.postgres_only, pytest.mark.commits]


async def test_concurrent_wrong_passwords_cannot_outrun_the_throttle(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """One username from one address: the pair's limit (5)."""
    worker = await actors.user(Role.SOCIAL_WORKER)
    data = {"grant_type": "password", "username": worker.name, "password": "a wrong guess"}
    answers = await asyncio.gather(
        *(client.post("/api/v1/auth/token", data=data) for _ in range(12))
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [401] * 5 + [429] * 7


async def test_concurrent_guesses_from_many_addresses_cannot_outrun_the_ceiling_per_username(
    app: FastAPI, actors: Actors
) -> None:
    """One username from three addresses at once, each allowed 5: the username's ceiling (here
    10, not 100) is met exactly, because every attempt on the username takes its turn."""
    worker = await actors.user(Role.SOCIAL_WORKER)
    data = {"grant_type": "password", "username": worker.name, "password": "a wrong guess"}
    guessers = [from_address(app, f"203.0.113.{n}") for n in (1, 2, 3)]
    try:
        with changed_settings(app, login_max_failures_per_account=10):
            answers = await asyncio.gather(
                *(g.post("/api/v1/auth/token", data=data) for g in guessers for _ in range(6))
            )
    finally:
        for guesser in guessers:
            await guesser.aclose()
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [401] * 10 + [429] * 8


async def test_concurrent_guesses_at_many_usernames_cannot_outrun_the_address_limit(
    client: httpx.AsyncClient,
) -> None:
    """One address guessing 25 usernames at once: the address's limit (20), exactly."""
    answers = await asyncio.gather(
        *(
            client.post(
                "/api/v1/auth/token",
                data={"grant_type": "password", "username": f"guess{n}", "password": "x"},
            )
            for n in range(25)
        )
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [401] * 20 + [429] * 5


async def test_concurrent_retries_with_one_key_write_once_and_all_get_the_first_answer(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    headers = worker.headers | {"Idempotency-Key": "raced"}
    answers = await asyncio.gather(
        *(client.post("/api/v1/victims", json=victim_body(), headers=headers) for _ in range(6))
    )
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    listed = await client.get("/api/v1/victims", headers=worker.headers)
    assert len(listed.json()["items"]) == 1


async def test_concurrent_refreshes_with_one_token_leave_at_most_one_winner(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    from tests.factories import PASSWORD

    worker = await actors.user(Role.SOCIAL_WORKER)
    login = {"grant_type": "password", "username": worker.name, "password": PASSWORD}
    refresh = (await client.post("/api/v1/auth/token", data=login)).json()["refresh_token"]
    data = {"grant_type": "refresh_token", "refresh_token": refresh}
    answers = await asyncio.gather(
        *(client.post("/api/v1/auth/token", data=data) for _ in range(6))
    )
    winners = [a for a in answers if a.status_code == 200]
    assert len(winners) <= 1
    # the reuse revoked the family: even the winner's new token is dead
    for winner in winners:
        again = {"grant_type": "refresh_token", "refresh_token": winner.json()["refresh_token"]}
        assert (await client.post("/api/v1/auth/token", data=again)).status_code == 401


async def test_concurrent_edits_and_decisions_of_a_grant_never_mix(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """Same-total edits at once leave one set of lines; a decision racing an edit leaves the
    grant as decided (never an approved grant with other lines)."""
    from app.domain.vocabulary import OrganisationKind

    ngo = await actors.organisation(OrganisationKind.NGO)
    manager = await actors.user(Role.SHELTER_MANAGER, ngo)
    coordinator = await actors.user(Role.COORDINATOR)
    person = await actors.victim(ngo)
    lines = [  # the blue form: not tied to a shelter stay (GRANT-PINK-SHELTER)
        {"category": "other", "amount": "100.00", "justification": "Bus fares."},
        {"category": "lawyer", "amount": "900.00", "purpose": "civil_rights"},
    ]
    body = {
        "victim_id": str(person.id),
        "form": "blue",
        "ngo_organisation_id": str(ngo.id),
        "period_start": "2026-01-01",
        "period_end": "2026-01-31",
        "lines": lines,
    }
    made = await client.post("/api/v1/reintegration-grants", json=body, headers=manager.headers)
    url = f"/api/v1/reintegration-grants/{made.json()['id']}"
    swapped = [lines[0] | {"amount": "900.00"}, lines[1] | {"amount": "100.00"}]
    await asyncio.gather(
        *(
            client.patch(url, json={"lines": swapped if i % 2 else lines}, headers=manager.headers)
            for i in range(6)
        )
    )
    after = (await client.get(url, headers=manager.headers)).json()
    assert len(after["lines"]) == 2
    assert sum(float(line["amount"]) for line in after["lines"]) == 1000.0

    await client.post(f"{url}/submit", headers=manager.headers)
    answers = await asyncio.gather(
        client.post(f"{url}/approve", json={}, headers=coordinator.headers),
        client.post(f"{url}/reject", json={"reason": "no"}, headers=coordinator.headers),
        client.patch(url, json={"lines": swapped}, headers=manager.headers),
    )
    assert sorted(a.status_code for a in answers) == [200, 409, 409]
    decided = (await client.get(url, headers=manager.headers)).json()
    assert decided["status"] in ("approved", "rejected")
    assert [line["amount"] for line in decided["lines"]] == [
        line["amount"] for line in after["lines"]
    ]


async def test_concurrent_acknowledgements_of_an_incident_leave_one_acknowledger(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """MAN-INCIDENT: the incident's row is locked; the later acknowledgement sees the earlier
    one and is refused, never overwriting who acknowledged it."""
    from tests.api.shelter_world import build_shelter_world

    world = await build_shelter_world(actors)
    body = {
        "shelter_id": str(world.adult.id),
        "kind": "threat",
        "occurred_at": actors.clock.now().isoformat(),
        "police_called": False,
        "summary": "A man waited at the gate and shouted threats.",
    }
    made = await client.post("/api/v1/incidents", json=body, headers=world.worker.headers)
    assert made.status_code == 201, made.text
    url = f"/api/v1/incidents/{made.json()['id']}"
    answers = await asyncio.gather(
        *(
            client.post(f"{url}/acknowledge", headers=overseer.headers)
            for overseer in (world.manager, world.coordinator) * 3
        )
    )
    assert sorted(a.status_code for a in answers) == [200] + [409] * 5
    [won] = [a.json() for a in answers if a.status_code == 200]
    shown = (await client.get(url, headers=world.coordinator.headers)).json()
    assert (shown["acknowledged_by"], shown["acknowledged_at"]) == (
        won["acknowledged_by"],
        won["acknowledged_at"],
    )
