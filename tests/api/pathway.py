"""A small world for the SOP pathway tests: the Social Assistance Directorate whose case it is,
a licensed state-delegated provider, an NGO, their staff, and one person."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx

from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.domain.vocabulary import OrganisationKind
from app.models import Organisation, Victim
from tests.factories import Actor, Actors, licence

API = "/api/v1"


@dataclass
class World:
    today: date
    directorate: Organisation
    provider: Organisation
    ngo: Organisation
    directorate_worker: Actor
    provider_worker: Actor
    provider_psychologist: Actor
    ngo_worker: Actor
    coordinator: Actor
    victim: Victim


async def build_world(actors: Actors) -> World:
    today = actors.clock.today()
    valid = [licence(today + timedelta(days=365))]
    directorate = await actors.organisation(OrganisationKind.STATE_AGENCY)
    # a licensed provider that runs state-delegated and project-funded services alike
    provider = await actors.organisation(OrganisationKind.SERVICE_PROVIDER, licences=valid)
    ngo = await actors.organisation(OrganisationKind.NGO, licences=valid)
    victim = await actors.victim(
        directorate,
        identified_on=today - timedelta(days=60),
        registered_address="3 Example Street, Bishkek",
    )
    await actors.consent(victim, ConsentPurpose.DATA_PROCESSING)
    await actors.consent(victim, ConsentPurpose.SHARE_WITH_ORGANISATION, provider)
    return World(
        today=today,
        directorate=directorate,
        provider=provider,
        ngo=ngo,
        directorate_worker=await actors.user(Role.SOCIAL_WORKER, directorate),
        provider_worker=await actors.user(Role.SOCIAL_WORKER, provider),
        provider_psychologist=await actors.user(Role.PSYCHOLOGIST, provider),
        ngo_worker=await actors.user(Role.SOCIAL_WORKER, ngo),
        coordinator=await actors.user(Role.COORDINATOR),
        victim=victim,
    )


NEEDS = {"summary": "Needs a safe place and counselling.", "needs": ["housing", "counselling"]}


async def completed_ina(client: httpx.AsyncClient, world: World) -> str:
    body = {
        "victim_id": str(world.victim.id),
        "kind": "initial_needs",
        "performed_on": world.today.isoformat(),
        "findings": NEEDS,
    }
    headers = world.directorate_worker.headers
    created = await client.post(f"{API}/assessments", json=body, headers=headers)
    assert created.status_code == 201, created.text
    done = await client.post(
        f"{API}/assessments/{created.json()['id']}/complete", json={}, headers=headers
    )
    assert done.status_code == 200, done.text
    return str(created.json()["id"])


async def refer(
    client: httpx.AsyncClient,
    world: World,
    *,
    to: Organisation | None = None,
    service: str = "social_counselling",
    funding: str = "project",
    ina: str | None = None,
    by: Actor | None = None,
) -> httpx.Response:
    body: dict[str, Any] = {
        "victim_id": str(world.victim.id),
        "to_organisation_id": str((to or world.provider).id),
        "service": service,
        "funding": funding,
    }
    if ina:
        body["ina_assessment_id"] = ina
    return await client.post(
        f"{API}/referrals", json=body, headers=(by or world.directorate_worker).headers
    )


async def referral_in_progress(
    client: httpx.AsyncClient, world: World, contact_on: date | None = None
) -> dict[str, Any]:
    """Referred to the provider, accepted, and the initial contact made."""
    created = await refer(client, world)
    assert created.status_code == 201, created.text
    url = f"{API}/referrals/{created.json()['id']}"
    headers = world.provider_worker.headers
    assert (await client.post(f"{url}/accept", headers=headers)).status_code == 200
    contact = {"contact_on": (contact_on or world.today).isoformat()}
    answer = await client.post(f"{url}/initial-contact", json=contact, headers=headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def completed_individual_assessment(
    client: httpx.AsyncClient, world: World, referral: dict[str, Any]
) -> dict[str, Any]:
    body = {
        "victim_id": str(world.victim.id),
        "kind": "individual_needs",
        "referral_id": referral["id"],
        "findings": NEEDS,
    }
    headers = world.provider_worker.headers
    created = await client.post(f"{API}/assessments", json=body, headers=headers)
    assert created.status_code == 201, created.text
    done_on = {"performed_on": referral["contact_on"]}
    url = f"{API}/assessments/{created.json()['id']}/complete"
    done = await client.post(url, json=done_on, headers=headers)
    assert done.status_code == 200, done.text
    return dict(done.json())


async def active_plan(
    client: httpx.AsyncClient, world: World, assessment_id: str, kind: str = "care"
) -> dict[str, Any]:
    body = {
        "victim_id": str(world.victim.id),
        "assessment_id": assessment_id,
        "kind": kind,
        "goals": [{"area": "housing", "objective": "A safe place to live."}],
        "recovery_stage": "I",
        "planned_months": 6,
    }
    headers = world.provider_worker.headers
    created = await client.post(f"{API}/care-plans", json=body, headers=headers)
    assert created.status_code == 201, created.text
    url = f"{API}/care-plans/{created.json()['id']}/activate"
    active = await client.post(url, json={"consent_given": True}, headers=headers)
    assert active.status_code == 200, active.text
    return dict(active.json())


PSYCHOLOGICAL = {
    "summary": "Flashbacks and poor sleep; wants to talk.",
    "recovery_stage": "I",
    "plan": {
        "informational": "History of exploitation abroad; no family support.",
        "content": "Stabilisation, then trauma work; art therapy.",
        "organisational": "Twice a week, individual, in the counselling room.",
    },
    "signs_of_mental_disorder": False,
}


async def completed_psychological(
    client: httpx.AsyncClient, world: World, by: Actor | None = None
) -> dict[str, Any]:
    """The psychologist's completed interview, the basis of a rehabilitation plan
    (MAN-REHAB-BASIS)."""
    headers = (by or world.provider_psychologist).headers
    body = {
        "victim_id": str(world.victim.id),
        "kind": "psychological",
        "performed_on": world.today.isoformat(),
        "findings": PSYCHOLOGICAL,
    }
    created = await client.post(f"{API}/assessments", json=body, headers=headers)
    assert created.status_code == 201, created.text
    done = await client.post(
        f"{API}/assessments/{created.json()['id']}/complete", json={}, headers=headers
    )
    assert done.status_code == 200, done.text
    return dict(done.json())
