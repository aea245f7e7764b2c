"""A small world for the shelter tests: the coordinator, the NGO that runs an adult shelter and a
children's centre, its staff, another NGO, and a resident-to-be."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus, Service
from app.domain.rulebook import ShelterKind
from app.domain.shelter import StaySource, StayStatus
from app.domain.vocabulary import OrganisationKind, Sex
from app.models import Assessment, Organisation, Shelter, ShelterStay, Victim
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
    world = ShelterWorld(
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
    await interviewed(actors, world, world.woman)
    return world


async def resident(actors: Actors, world: ShelterWorld, **fields: Any) -> Victim:
    """A person of the running NGO's, with the shelter staff's primary interview done."""
    victim = await actors.victim(world.runner, **fields)
    await interviewed(actors, world, victim)
    return victim


async def shared_with(
    actors: Actors, world: ShelterWorld, victim: Victim, receiver: Organisation | None = None
) -> None:
    """The person's case is shared with ``receiver`` (the shelter's NGO by default): an accepted
    referral from the case's organisation, and the person's consent to share."""
    receiver = receiver or world.runner
    sender = world.outsider if receiver.id == world.runner.id else world.runner
    await actors.share(victim, sender, receiver, service=Service.SHELTER, by=world.coordinator.id)


async def interviewed(actors: Actors, world: ShelterWorld, victim: Victim) -> Assessment:
    """The shelter staff's completed primary interview (MAN-PRIMARY-INTERVIEW), long before any
    day a test admits on, straight into the database."""
    return await actors.add(  # type: ignore[no-any-return]
        Assessment(
            victim_id=victim.id,
            kind=AssessmentKind.PRIMARY_INTERVIEW,
            status=AssessmentStatus.COMPLETED,
            organisation_id=world.runner.id,
            author_id=world.worker.id,
            author_role=Role.SOCIAL_WORKER,
            performed_on=SIGNED,
            findings=PRIMARY_INTERVIEW,
            rulebook_version="kg-2026.1",
        )
    )


PRIMARY_INTERVIEW = {
    "summary": "Recruited abroad with a false job offer; escaped with help.",
    "needs": ["safe place", "medical check"],
    "expectations": "A safe place to stay and help to find work.",
    "safe": True,
}


def stay_body(
    world: ShelterWorld, victim: Victim | None = None, **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "victim_id": str((victim or world.woman).id),
        "shelter_id": str(world.adult.id),
        "source": "ngo_coordinator",
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
            source=StaySource.NGO_COORDINATOR,
            status=StayStatus.PROPOSED,
            rules_signed_on=world.today,
            rights_signed_on=world.today,
            pocket_money_per_day=Decimal("50.00"),
            proposed_on=world.today,
            proposed_by=world.worker.id,
            rulebook_version="kg-2026.1",
        )
    )


EXIT_INFORMATION = "Leaflet with the NGO's hotline and the addresses of the partner services."


def discharge_body(on: date, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "discharged_on": on.isoformat(),
        "reason": "Returned to her family.",
        "exit_information": EXIT_INFORMATION,
    }
    return body | overrides


def annex_7(last_meeting_on: date, **overrides: Any) -> dict[str, Any]:
    """MAN Annex 7 answers of a person who was reached."""
    report: dict[str, Any] = {
        "outcome": "reached",
        "marital_status": "single",
        "children": 1,
        "contact_duration": "Six months, monthly calls.",
        "last_meeting_on": last_meeting_on.isoformat(),
        "employed": False,
        "threats_from_recruiters": False,
        "law_enforcement_contact": False,
        "willing_to_cooperate": False,
    }
    return report | overrides
