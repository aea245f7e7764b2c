"""One person walked through the SOP (Measure 3.1), end to end over HTTP, with the worklist
checked on the way: INA → referral to a licensed state-delegated provider → accept → initial
contact → individual needs assessment → care plan → agreement → terminate → follow-up."""

from datetime import timedelta

import httpx

from tests.api.pathway import API, NEEDS, build_world
from tests.conftest import FakeClock
from tests.factories import Actors


async def worklist(
    client: httpx.AsyncClient, headers: dict[str, str]
) -> list[tuple[str, str, bool, str]]:
    items = (await client.get(f"{API}/worklist", headers=headers)).json()["items"]
    return [(i["kind"], i["due_on"], i["overdue"], i["rule"]) for i in items]


async def test_one_person_through_the_sop(
    client: httpx.AsyncClient, actors: Actors, clock: FakeClock
) -> None:
    world = await build_world(actors)
    directorate, provider = world.directorate_worker.headers, world.provider_worker.headers
    person = str(world.victim.id)
    start = clock.now()

    # 1. The Directorate's social worker issues the initial needs assessment (the INA).
    ina = await client.post(
        f"{API}/assessments",
        json={
            "victim_id": person,
            "kind": "initial_needs",
            "performed_on": world.today.isoformat(),
            "findings": NEEDS,
        },
        headers=directorate,
    )
    assert ina.status_code == 201, ina.text
    assert (
        await client.post(
            f"{API}/assessments/{ina.json()['id']}/complete", json={}, headers=directorate
        )
    ).json()["status"] == "completed"

    # 2. With the INA, the person is referred to a licensed, state-delegated provider.
    referral = await client.post(
        f"{API}/referrals",
        json={
            "victim_id": person,
            "to_organisation_id": str(world.provider.id),
            "service": "long_term_psychosocial",
            "funding": "state_delegated",
            "ina_assessment_id": ina.json()["id"],
        },
        headers=directorate,
    )
    assert referral.status_code == 201, referral.text
    referral_url = f"{API}/referrals/{referral.json()['id']}"

    # 3. The provider accepts: from now on it sees the case (consent to share was given).
    accepted = await client.post(f"{referral_url}/accept", headers=provider)
    assert accepted.json()["status"] == "accepted"
    assert (await client.get(f"{API}/victims/{person}", headers=provider)).status_code == 200
    assert await worklist(client, provider) == []

    # 4. The initial contact starts the 20-day clock: the assessment is on the worklist.
    contact = await client.post(
        f"{referral_url}/initial-contact",
        json={"contact_on": world.today.isoformat()},
        headers=provider,
    )
    due = (world.today + timedelta(days=20)).isoformat()
    assert contact.json()["individual_assessment_due_on"] == due
    assert await worklist(client, provider) == [
        ("individual_needs_assessment", due, False, "SOP-INDIVIDUAL-20D")
    ]
    assert await worklist(client, directorate) == []  # the provider's work, not the referrer's

    # ... and, 21 days later, overdue.
    clock.set(start + timedelta(days=21))
    assert await worklist(client, provider) == [
        ("individual_needs_assessment", due, True, "SOP-INDIVIDUAL-20D")
    ]

    # 5. The individual needs assessment, a day late: recorded, flagged, off the worklist.
    assessment = await client.post(
        f"{API}/assessments",
        json={
            "victim_id": person,
            "kind": "individual_needs",
            "referral_id": referral.json()["id"],
            "findings": NEEDS,
        },
        headers=provider,
    )
    assert assessment.json()["due_on"] == due
    done = await client.post(
        f"{API}/assessments/{assessment.json()['id']}/complete",
        json={"performed_on": clock.today().isoformat()},
        headers=provider,
    )
    assert (done.json()["status"], done.json()["late_by_days"]) == ("completed", 1)
    assert await worklist(client, provider) == []

    # 6. The care plan, on that assessment, begun with the person's consent.
    plan = await client.post(
        f"{API}/care-plans",
        json={
            "victim_id": person,
            "assessment_id": assessment.json()["id"],
            "kind": "care",
            "goals": [{"area": "recovery", "objective": "Weekly counselling."}],
            "recovery_stage": "I",
            "planned_months": 12,
        },
        headers=provider,
    )
    assert plan.status_code == 201, plan.text
    active = await client.post(
        f"{API}/care-plans/{plan.json()['id']}/activate",
        json={"consent_given": True},
        headers=provider,
    )
    assert active.json()["status"] == "active"

    # 7. The service agreement: medium term, within the one-year cap; its end comes up on the list.
    starts = clock.today()
    ends = starts + timedelta(days=30)
    agreement = await client.post(
        f"{API}/service-agreements",
        json={
            "victim_id": person,
            "care_plan_id": plan.json()["id"],
            "provider_organisation_id": str(world.provider.id),
            "term": "medium",
            "starts_on": starts.isoformat(),
            "ends_on": ends.isoformat(),
            "consent_given": True,
        },
        headers=provider,
    )
    assert agreement.status_code == 201, agreement.text
    assert await worklist(client, provider) == []
    clock.set(clock.now() + timedelta(days=16))  # 14 days before the end
    assert await worklist(client, provider) == [
        ("agreement_ending", ends.isoformat(), False, "SOP-TERM")
    ]

    # 8. The person ends the service: terminated, and a follow-up contact is arranged.
    terminated_on = clock.today()
    stop = await client.post(
        f"{API}/service-agreements/{agreement.json()['id']}/terminate",
        json={
            "terminated_on": terminated_on.isoformat(),
            "reason": "Found work in another town.",
            "exit_information": "Leaflet with the services of that town.",
        },
        headers=provider,
    )
    assert stop.json()["status"] == "terminated"
    follow_up_due = (terminated_on + timedelta(days=30)).isoformat()
    assert await worklist(client, provider) == [
        ("follow_up_contact", follow_up_due, False, "SOP-FOLLOW-UP")
    ]

    # 9. Thirty-one days on the follow-up is overdue; recorded, the worklist is clear.
    clock.set(clock.now() + timedelta(days=31))
    assert await worklist(client, provider) == [
        ("follow_up_contact", follow_up_due, True, "SOP-FOLLOW-UP")
    ]
    follow_up = (
        await client.get(
            f"{API}/follow-up-contacts", params={"victim_id": person}, headers=provider
        )
    ).json()["items"][0]
    recorded = await client.post(
        f"{API}/follow-up-contacts/{follow_up['id']}/record",
        json={"done_on": clock.today().isoformat(), "channel": "phone", "outcome": "Settled."},
        headers=provider,
    )
    assert recorded.json()["status"] == "done"
    assert await worklist(client, provider) == []

    # The person's file holds every step (ACCESS-OWN-RECORDS).
    file = (await client.get(f"{API}/victims/{person}/export", headers=provider)).json()
    counts = {
        section: len(file[section])
        for section in (
            "consents",
            "referrals",
            "assessments",
            "care_plans",
            "service_agreements",
            "follow_up_contacts",
        )
    }
    assert counts == {
        "consents": 2,
        "referrals": 1,
        "assessments": 2,
        "care_plans": 1,
        "service_agreements": 1,
        "follow_up_contacts": 1,
    }
    assert file["follow_up_contacts"][0]["status"] == "done"

    # The coordinator oversaw it all in the audit trail.
    trail = (
        await client.get(
            f"{API}/audit-events",
            params={"victim_id": person, "limit": 200},
            headers=world.coordinator.headers,
        )
    ).json()["items"]
    kinds = {(e["record_type"], e["action"]) for e in trail}
    assert {
        ("referral", "create"),
        ("assessment", "update"),
        ("care_plan", "create"),
        ("service_agreement", "update"),
        ("follow_up_contact", "update"),
    } <= kinds
