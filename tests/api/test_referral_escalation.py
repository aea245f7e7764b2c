"""REFERRAL-ANSWER-14D and REFERRAL-CONTACT-14D: a referral nobody answers, or accepted and never
contacted, is escalated to the referring organisation and the coordinator after the rulebook's
days — not a day before — and leaves the worklist once it moves on."""

from datetime import date, timedelta

import httpx
import pytest

from tests.api.pathway import API, World, build_world
from tests.conftest import FakeClock
from tests.factories import Actor, Actors


@pytest.fixture
async def world(actors: Actors) -> World:
    return await build_world(actors)


async def escalations(client: httpx.AsyncClient, by: Actor) -> list[tuple[str, str, str, str]]:
    """The caller's escalated referrals: (kind, rule, referral, due day)."""
    answer = await client.get(f"{API}/worklist", params={"limit": 200}, headers=by.headers)
    assert answer.status_code == 200, answer.text
    kinds = ("referral_unanswered", "referral_no_contact")
    return [
        (item["kind"], item["rule"], item["record_id"], item["due_on"])
        for item in answer.json()["items"]
        if item["kind"] in kinds and item["overdue"]
    ]


async def referred(client: httpx.AsyncClient, world: World, on: date) -> str:
    body = {
        "victim_id": str(world.victim.id),
        "to_organisation_id": str(world.provider.id),
        "service": "social_counselling",
        "funding": "project",
        "referred_on": on.isoformat(),
    }
    made = await client.post(
        f"{API}/referrals", json=body, headers=world.directorate_worker.headers
    )
    assert made.status_code == 201, made.text
    return str(made.json()["id"])


@pytest.mark.parametrize(("waited", "escalated"), [(14, False), (15, True)])
async def test_a_referral_nobody_answers_is_escalated_after_14_days(
    client: httpx.AsyncClient, world: World, waited: int, escalated: bool
) -> None:
    referred_on = world.today - timedelta(days=waited)
    referral = await referred(client, world, referred_on)
    due = (referred_on + timedelta(days=14)).isoformat()
    expected = [("referral_unanswered", "REFERRAL-ANSWER-14D", referral, due)] if escalated else []
    assert await escalations(client, world.directorate_worker) == expected
    assert await escalations(client, world.coordinator) == expected
    assert await escalations(client, world.provider_worker) == []  # the receiver's own list
    assert await escalations(client, world.ngo_worker) == []
    accepted = await client.post(
        f"{API}/referrals/{referral}/accept", headers=world.provider_worker.headers
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["accepted_on"] == world.today.isoformat()
    assert await escalations(client, world.directorate_worker) == []  # answered: it goes


@pytest.mark.parametrize(("waited", "escalated"), [(14, False), (15, True)])
async def test_a_referral_accepted_without_contact_is_escalated_after_14_days(
    client: httpx.AsyncClient, world: World, clock: FakeClock, waited: int, escalated: bool
) -> None:
    referral = await referred(client, world, world.today)
    url = f"{API}/referrals/{referral}"
    accepted = await client.post(f"{url}/accept", headers=world.provider_worker.headers)
    assert accepted.status_code == 200, accepted.text
    clock.set(clock.now() + timedelta(days=waited))
    due = (world.today + timedelta(days=14)).isoformat()
    expected = [("referral_no_contact", "REFERRAL-CONTACT-14D", referral, due)] if escalated else []
    assert await escalations(client, world.directorate_worker) == expected
    assert await escalations(client, world.coordinator) == expected
    assert await escalations(client, world.provider_worker) == []
    contact = {"contact_on": clock.today().isoformat()}
    made = await client.post(
        f"{url}/initial-contact", json=contact, headers=world.provider_worker.headers
    )
    assert made.status_code == 200, made.text
    assert await escalations(client, world.directorate_worker) == []  # contacted: it goes


async def test_the_rulebook_publishes_the_escalation_days(
    client: httpx.AsyncClient, world: World
) -> None:
    rulebook = await client.get(f"{API}/rulebook", headers=world.coordinator.headers)
    assert rulebook.status_code == 200, rulebook.text
    days = rulebook.json()
    assert (days["referral_answer_days"], days["referral_contact_days"]) == (14, 14)
