"""A small world for the shelter tests: the coordinator, the NGO that runs an adult shelter and a
children's centre, its staff, another NGO, and a resident-to-be."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from app.domain.access import Role
from app.domain.rulebook import ShelterKind
from app.domain.shelter import StayStatus
from app.domain.vocabulary import OrganisationKind, Sex
from app.models import Organisation, Shelter, ShelterStay, Victim
from tests.factories import Actor, Actors

API = "/api/v1"
ADDRESS = "14 Quiet Lane, Bishkek"
SIGNED = date(2025, 12, 1)


@dataclass
class ShelterWorld:
    today: date
    runner: Organisation
    outsider: Organisation
    coordinator: Actor
    manager: Actor
    worker: Actor
    psychologist: Actor
    medic: Actor
    outside_worker: Actor
    outside_manager: Actor
    adult: Shelter
    children: Shelter
    woman: Victim


async def build_shelter_world(actors: Actors) -> ShelterWorld:
    runner = await actors.organisation(OrganisationKind.NGO)
    outsider = await actors.organisation(OrganisationKind.NGO)
    adult = await actors.add(
        Shelter(
            name="Safe house",
            organisation_id=runner.id,
            kind=ShelterKind.ADULT,
            capacity=2,
            address=ADDRESS,
        )
    )
    children = await actors.add(
        Shelter(
            name="Children's centre",
            organisation_id=runner.id,
            kind=ShelterKind.CHILDREN,
            capacity=16,
            address="9 Hidden Road, Osh",
        )
    )
    return ShelterWorld(
        today=actors.clock.today(),
        runner=runner,
        outsider=outsider,
        coordinator=await actors.user(Role.COORDINATOR),
        manager=await actors.user(Role.SHELTER_MANAGER, runner),
        worker=await actors.user(Role.SOCIAL_WORKER, runner),
        psychologist=await actors.user(Role.PSYCHOLOGIST, runner),
        medic=await actors.user(Role.MEDICAL_OFFICER, runner),
        outside_worker=await actors.user(Role.SOCIAL_WORKER, outsider),
        outside_manager=await actors.user(Role.SHELTER_MANAGER, outsider),
        adult=adult,
        children=children,
        woman=await actors.victim(runner, sex=Sex.FEMALE, birth_date=date(1995, 5, 17)),
    )


def stay_body(
    world: ShelterWorld, victim: Victim | None = None, **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "victim_id": str((victim or world.woman).id),
        "shelter_id": str(world.adult.id),
        # signed well before any clock a test sets: signatures never lie in the future
        "rules_signed_on": SIGNED.isoformat(),
        "rights_signed_on": SIGNED.isoformat(),
        "pocket_money_per_day": "50.00",
    }
    return body | overrides


async def propose(
    client: httpx.AsyncClient, world: ShelterWorld, **overrides: Any
) -> httpx.Response:
    victim = overrides.pop("victim", None)
    by = overrides.pop("by", world.worker)
    return await client.post(
        f"{API}/shelter-stays", json=stay_body(world, victim, **overrides), headers=by.headers
    )


async def admitted_stay(
    client: httpx.AsyncClient, world: ShelterWorld, victim: Victim | None = None
) -> dict[str, Any]:
    proposed = await propose(client, world, victim=victim)
    assert proposed.status_code == 201, proposed.text
    url = f"{API}/shelter-stays/{proposed.json()['id']}/admit"
    admitted = await client.post(url, json={}, headers=world.coordinator.headers)
    assert admitted.status_code == 200, admitted.text
    return dict(admitted.json())


async def proposed_directly(actors: Actors, world: ShelterWorld, victim: Victim) -> ShelterStay:
    """A proposed stay with signed documents, straight into the database (for volume tests)."""
    return await actors.add(  # type: ignore[no-any-return]
        ShelterStay(
            victim_id=victim.id,
            shelter_id=world.adult.id,
            status=StayStatus.PROPOSED,
            rules_signed_on=world.today,
            rights_signed_on=world.today,
            pocket_money_per_day=Decimal("50.00"),
            proposed_on=world.today,
            proposed_by=world.worker.id,
            rulebook_version="kg-2026.1",
        )
    )
