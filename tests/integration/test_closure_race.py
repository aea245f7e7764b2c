"""MAN-CASE-CLOSE under concurrency: a case closed while a shelter stay is proposed for the
person ends either closed with nothing open or open with the stay, never closed with an open
stay. On PostgreSQL the closure locks the person's row and a new record share-locks it."""

import asyncio

import httpx

from tests.api.shelter_world import API, build_shelter_world, resident, stay_body
from tests.factories import Actors

ROUNDS = 12


async def test_a_case_is_never_closed_with_a_record_opened_meanwhile(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    outcomes = set()
    for _ in range(ROUNDS):
        person = await resident(actors, world)
        closing, proposing = await asyncio.gather(
            client.post(
                f"{API}/victims/{person.id}/close",
                json={"reason": "declined_further_help"},
                headers=world.worker.headers,
            ),
            client.post(
                f"{API}/shelter-stays",
                json=stay_body(world, person),
                headers=world.worker.headers,
            ),
        )
        pair = (closing.status_code, proposing.status_code)
        assert pair in {(200, 409), (409, 201)}, (closing.text, proposing.text)
        code = (closing if pair == (409, 201) else proposing).json()["code"]
        assert code == ("open_work" if pair == (409, 201) else "invalid_transition")
        stays = await client.get(
            f"{API}/shelter-stays",
            params={"victim_id": str(person.id)},
            headers=world.worker.headers,
        )
        status = (
            await client.get(f"{API}/victims/{person.id}", headers=world.worker.headers)
        ).json()["status"]
        assert (status, len(stays.json()["items"])) in {("closed", 0), ("active", 1)}
        outcomes.add(pair)
    assert outcomes  # every round ended one of the two ways
