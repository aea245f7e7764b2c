"""The past, recorded honestly: a record of an event takes the day it happened (entered late is
fine, never in the future, never before the person's identification), keeps when it was entered,
and its deadlines run from the event."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.pathway import API, World, build_world, refer
from tests.api.shelter_world import ShelterWorld, build_shelter_world, propose
from tests.factories import Actors
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> World:
    return await build_world(actors)


def entered_now(record: dict[str, Any], field: str = "created_at") -> bool:
    entered = datetime.fromisoformat(record[field])
    return abs(entered - datetime.now(UTC)) < timedelta(minutes=5)


async def test_a_referral_made_by_phone_on_monday_is_entered_on_wednesday(
    client: httpx.AsyncClient, world: World
) -> None:
    monday = world.today - timedelta(days=2)
    made = await refer_on(client, world, monday)
    assert made.status_code == 201, made.text
    assert made.json()["referred_on"] == monday.isoformat()
    assert entered_now(made.json())
    assert (await refer(client, world)).json()["referred_on"] == world.today.isoformat()


async def refer_on(client: httpx.AsyncClient, world: World, day: date) -> httpx.Response:
    body = {
        "victim_id": str(world.victim.id),
        "to_organisation_id": str(world.provider.id),
        "service": "social_counselling",
        "funding": "project",
        "referred_on": day.isoformat(),
    }
    return await client.post(
        f"{API}/referrals", json=body, headers=world.directorate_worker.headers
    )


async def test_a_referral_is_never_dated_in_the_future_or_before_identification(
    client: httpx.AsyncClient, world: World
) -> None:
    identified = world.victim.identified_on
    assert identified is not None
    for day in (world.today + timedelta(days=1), identified - timedelta(days=1)):
        problem = expect_problem(await refer_on(client, world, day), 422, "validation_error")
        assert problem["errors"][0]["loc"] == ["body", "referred_on"]
    assert (await refer_on(client, world, identified)).status_code == 201


async def test_a_referral_entered_late_is_overdue_at_once_and_shows_so(
    client: httpx.AsyncClient, world: World
) -> None:
    """The 20 days run from the initial contact, which lay 25 days back."""
    referred = world.today - timedelta(days=30)
    referral = (await refer_on(client, world, referred)).json()
    url = f"{API}/referrals/{referral['id']}"
    headers = world.provider_worker.headers
    await client.post(f"{url}/accept", headers=headers)
    contact_on = world.today - timedelta(days=25)
    expect_problem(  # and not before the referral
        await client.post(
            f"{url}/initial-contact",
            json={"contact_on": (referred - timedelta(days=1)).isoformat()},
            headers=headers,
        ),
        422,
        "validation_error",
    )
    contact = await client.post(
        f"{url}/initial-contact", json={"contact_on": contact_on.isoformat()}, headers=headers
    )
    due = (contact_on + timedelta(days=20)).isoformat()
    assert contact.json()["individual_assessment_due_on"] == due
    items = (await client.get(f"{API}/worklist", headers=headers)).json()["items"]
    assert [(i["kind"], i["due_on"], i["overdue"]) for i in items] == [
        ("individual_needs_assessment", due, True)
    ]


async def test_a_paper_consent_keeps_the_day_it_was_signed_and_when_it_was_entered(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{API}/victims/{world.victim.id}/consents"
    headers = world.directorate_worker.headers
    signed = world.today - timedelta(days=10)
    made = await client.post(
        url,
        json={"purpose": "family_involvement", "given_on": signed.isoformat()},
        headers=headers,
    )
    assert made.status_code == 201, made.text
    assert made.json()["given_on"] == signed.isoformat()
    assert made.json()["recorded_at"] == made.json()["given_at"]
    assert entered_now(made.json(), "recorded_at")
    identified = world.victim.identified_on
    assert identified is not None
    for day in (world.today + timedelta(days=1), identified - timedelta(days=1)):
        expect_problem(
            await client.post(
                url,
                json={"purpose": "law_enforcement_cooperation", "given_on": day.isoformat()},
                headers=headers,
            ),
            422,
            "validation_error",
        )
    today = await client.post(url, json={"purpose": "scme_job_referral"}, headers=headers)
    assert today.json()["given_on"] == world.today.isoformat()


async def test_a_resident_admitted_last_week_is_entered_today(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """Proposed and admitted a week ago: the medical examination was due four days ago."""
    shelter: ShelterWorld = await build_shelter_world(actors)
    last_week = shelter.today - timedelta(days=7)
    proposed = await propose(client, shelter, proposed_on=last_week.isoformat())
    assert proposed.status_code == 201, proposed.text
    assert proposed.json()["proposed_on"] == last_week.isoformat()
    assert entered_now(proposed.json())
    admitted = await client.post(
        f"{API}/shelter-stays/{proposed.json()['id']}/admit",
        json={"admitted_on": last_week.isoformat()},
        headers=shelter.coordinator.headers,
    )
    assert admitted.status_code == 200, admitted.text
    exam_due = (last_week + timedelta(days=3)).isoformat()
    items = (await client.get(f"{API}/worklist", headers=shelter.manager.headers)).json()["items"]
    assert [(i["kind"], i["due_on"], i["overdue"]) for i in items] == [
        ("medical_examination", exam_due, True)
    ]


async def test_a_stay_is_never_proposed_in_the_future_or_before_identification(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    shelter = await build_shelter_world(actors)
    person = await actors.victim(shelter.runner, identified_on=shelter.today - timedelta(days=3))
    for day in (shelter.today + timedelta(days=1), shelter.today - timedelta(days=4)):
        expect_problem(
            await propose(client, shelter, victim=person, proposed_on=day.isoformat()),
            422,
            "validation_error",
        )
