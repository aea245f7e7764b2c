"""MAN-CAPACITY under concurrency: 32 simultaneous admissions into a shelter with k free places
admit exactly k and answer the rest 409 shelter_full. Runs on both databases: on PostgreSQL with
real parallel connections (the admissions wait on a row lock of the shelter), on SQLite with its
serial writers."""

import asyncio

import httpx
import pytest

from app.models import Shelter
from tests.api.shelter_world import API, build_shelter_world, proposed_directly, resident
from tests.factories import Actors

pytestmark = pytest.mark.commits  # real parallel connections, or a second app

ATTEMPTS = 32


@pytest.mark.parametrize("free", [0, 1, 3])
async def test_concurrent_admissions_never_overfill_a_shelter(
    client: httpx.AsyncClient, actors: Actors, free: int
) -> None:
    world = await build_shelter_world(actors)
    async with actors.sessionmaker() as session:
        shelter = await session.get_one(Shelter, world.adult.id)
        shelter.capacity = max(free, 1)
        session.add(shelter)
        await session.commit()
    if free == 0:  # one resident already fills the single place
        first = await proposed_directly(actors, world, await resident(actors, world))
        admitted = await client.post(
            f"{API}/shelter-stays/{first.id}/admit", json={}, headers=world.coordinator.headers
        )
        assert admitted.status_code == 200
    stays = [
        await proposed_directly(actors, world, await resident(actors, world))
        for _ in range(ATTEMPTS)
    ]

    answers = await asyncio.gather(
        *(
            client.post(
                f"{API}/shelter-stays/{stay.id}/admit", json={}, headers=world.coordinator.headers
            )
            for stay in stays
        )
    )

    statuses = sorted(a.status_code for a in answers)
    assert statuses == [200] * free + [409] * (ATTEMPTS - free), statuses
    assert {a.json()["code"] for a in answers if a.status_code == 409} <= {"shelter_full"}
    occupancy = await client.get(
        f"{API}/shelters/{world.adult.id}/occupancy", headers=world.coordinator.headers
    )
    assert occupancy.json()["admitted"] == max(free, 1)
    assert occupancy.json()["free"] == 0


@pytest.mark.postgres_only
async def test_one_stay_admitted_five_times_at_once_is_admitted_once(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    stay = await proposed_directly(actors, world, world.woman)
    url = f"{API}/shelter-stays/{stay.id}/admit"
    answers = await asyncio.gather(
        *(client.post(url, json={}, headers=world.coordinator.headers) for _ in range(5))
    )
    assert sorted(a.status_code for a in answers) == [200, 409, 409, 409, 409]
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"invalid_transition"}


@pytest.mark.postgres_only
async def test_one_person_proposed_ten_times_at_once_gets_one_stay(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    from tests.api.shelter_world import stay_body

    answers = await asyncio.gather(
        *(
            client.post(f"{API}/shelter-stays", json=stay_body(world), headers=world.worker.headers)
            for _ in range(10)
        )
    )
    assert sorted(a.status_code for a in answers) == [201] + [409] * 9
    assert {a.json()["code"] for a in answers if a.status_code == 409} == {"already_in_shelter"}


@pytest.mark.postgres_only
async def test_lowering_the_capacity_during_admissions_never_leaves_more_residents(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)  # capacity 2
    stays = [
        await proposed_directly(actors, world, await resident(actors, world)) for _ in range(2)
    ]
    shelter_url = f"{API}/shelters/{world.adult.id}"
    answers = await asyncio.gather(
        *(
            client.post(
                f"{API}/shelter-stays/{s.id}/admit", json={}, headers=world.coordinator.headers
            )
            for s in stays
        ),
        client.patch(shelter_url, json={"capacity": 1}, headers=world.coordinator.headers),
    )
    occupancy = (
        await client.get(f"{shelter_url}/occupancy", headers=world.coordinator.headers)
    ).json()
    assert occupancy["admitted"] <= occupancy["capacity"], (
        occupancy,
        [a.status_code for a in answers],
    )
