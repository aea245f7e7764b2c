"""Referrals over HTTP: each rule at the door broken and kept, the state machine, and sharing
that follows the person's consent."""

from datetime import timedelta

import httpx
import pytest

from app.domain.consent import ConsentPurpose
from app.domain.vocabulary import Funding, OrganisationKind
from tests.api.pathway import API, World, build_world, completed_ina, refer
from tests.factories import Actors, licence
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> World:
    return await build_world(actors)


async def test_a_referral_that_keeps_every_rule_is_created(
    client: httpx.AsyncClient, world: World
) -> None:
    answer = await refer(client, world)
    assert answer.status_code == 201, answer.text
    referral = answer.json()
    assert referral["status"] == "requested"
    assert referral["from_organisation_id"] == str(world.directorate.id)
    assert referral["referred_on"] == world.today.isoformat()
    assert referral["rulebook_version"] == "kg-2026.1"
    assert answer.headers["location"] == f"{API}/referrals/{referral['id']}"


# --- SOP-LICENCE ----------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "ok"), [(0, True), (-1, False)], ids=["valid-today", "expired"])
async def test_the_receiver_needs_a_licence_valid_on_the_referral_date(
    client: httpx.AsyncClient, actors: Actors, world: World, days: int, ok: bool
) -> None:
    receiver = await actors.organisation(
        OrganisationKind.SERVICE_PROVIDER, licences=[licence(world.today + timedelta(days=days))]
    )
    await actors.consent(world.victim, ConsentPurpose.SHARE_WITH_ORGANISATION, receiver)
    answer = await refer(client, world, to=receiver)
    if ok:
        assert answer.status_code == 201, answer.text
    else:
        expect_problem(answer, 422, "rule_violation", "SOP-LICENCE")


async def test_an_unlicensed_receiver_is_refused(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    receiver = await actors.organisation(OrganisationKind.NGO)
    await actors.consent(world.victim, ConsentPurpose.SHARE_WITH_ORGANISATION, receiver)
    expect_problem(await refer(client, world, to=receiver), 422, "rule_violation", "SOP-LICENCE")


# --- SOP-INA and SOP-ADDRESS ----------------------------------------------------------------


async def test_a_state_delegated_service_needs_the_ina(
    client: httpx.AsyncClient, world: World
) -> None:
    answer = await refer(client, world, funding="state_delegated")
    expect_problem(answer, 422, "rule_violation", "SOP-INA")
    ina = await completed_ina(client, world)
    answer = await refer(client, world, funding="state_delegated", ina=ina)
    assert answer.status_code == 201, answer.text
    assert answer.json()["ina_assessment_id"] == ina


async def test_an_ina_not_yet_completed_is_not_a_referral_document(
    client: httpx.AsyncClient, world: World
) -> None:
    body = {"victim_id": str(world.victim.id), "kind": "initial_needs"}
    draft = await client.post(
        f"{API}/assessments", json=body, headers=world.directorate_worker.headers
    )
    assert draft.status_code == 201, draft.text
    answer = await refer(client, world, funding="state_delegated", ina=draft.json()["id"])
    body_ = expect_problem(answer, 422, "rule_violation", "SOP-INA")
    assert "not completed" in body_["detail"]


async def test_only_the_directorates_social_workers_issue_an_ina(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await actors.consent(world.victim, ConsentPurpose.SHARE_WITH_ORGANISATION, world.provider)
    body = {"victim_id": str(world.victim.id), "kind": "initial_needs"}
    # the provider's worker sees the case only after an accepted referral
    referral = (await refer(client, world)).json()
    await client.post(
        f"{API}/referrals/{referral['id']}/accept", headers=world.provider_worker.headers
    )
    answer = await client.post(
        f"{API}/assessments", json=body, headers=world.provider_worker.headers
    )
    expect_problem(answer, 422, "rule_violation", "SOP-INA")
    psychologist = await client.post(
        f"{API}/assessments", json=body, headers=world.provider_psychologist.headers
    )
    expect_problem(psychologist, 403, "forbidden")


@pytest.mark.parametrize("funding", ["project", "municipal", "private"])
async def test_other_funding_takes_a_direct_application(
    client: httpx.AsyncClient, world: World, funding: str
) -> None:
    assert (await refer(client, world, funding=funding)).status_code == 201


async def test_a_state_delegated_service_needs_a_registered_address(
    client: httpx.AsyncClient, world: World
) -> None:
    ina = await completed_ina(client, world)
    url = f"{API}/victims/{world.victim.id}"
    cleared = await client.patch(
        url, json={"registered_address": None}, headers=world.directorate_worker.headers
    )
    assert cleared.status_code == 200
    answer = await refer(client, world, funding="state_delegated", ina=ina)
    expect_problem(answer, 422, "rule_violation", "SOP-ADDRESS")
    project = await refer(client, world, funding="project")
    assert project.status_code == 201


# --- SOP-REFLECTION -------------------------------------------------------------------------


@pytest.mark.parametrize(("days_ago", "ok"), [(30, True), (29, False)])
async def test_long_term_support_waits_for_the_reflection_period(
    client: httpx.AsyncClient, world: World, days_ago: int, ok: bool
) -> None:
    identified = (world.today - timedelta(days=days_ago)).isoformat()
    url = f"{API}/victims/{world.victim.id}"
    await client.patch(
        url, json={"identified_on": identified}, headers=world.directorate_worker.headers
    )
    answer = await refer(client, world, service="long_term_psychosocial")
    if ok:
        assert answer.status_code == 201, answer.text
    else:
        problem = expect_problem(answer, 422, "rule_violation", "SOP-REFLECTION")
        assert problem["reflection_days"] == 30
        assert problem["earliest"] == (world.today + timedelta(days=1)).isoformat()


# --- CONSENT-DISCLOSURE and SOP-FAMILY -------------------------------------------------------


async def test_no_referral_without_consent_to_share_with_the_receiver(
    client: httpx.AsyncClient, world: World
) -> None:
    answer = await refer(client, world, to=world.ngo)
    expect_problem(answer, 422, "consent_required", "CONSENT-DISCLOSURE")


async def test_family_counselling_needs_consent_and_a_family_risk_assessment(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    no_consent = await refer(client, world, service="family_counselling")
    expect_problem(no_consent, 422, "consent_required", "SOP-FAMILY")

    await actors.consent(world.victim, ConsentPurpose.FAMILY_INVOLVEMENT)
    no_assessment = await refer(client, world, service="family_counselling")
    expect_problem(no_assessment, 422, "rule_violation", "SOP-FAMILY")

    findings = {
        "family_involved_in_trafficking": False,
        "other_violence": False,
        "witnessed_violence": False,
        "blame_or_rejection_risk": False,
        "competent_to_support": True,
        "minimum_financial_means": True,
    }
    body = {
        "victim_id": str(world.victim.id),
        "kind": "family_risk",
        "performed_on": world.today.isoformat(),
        "findings": findings,
    }
    headers = world.directorate_worker.headers
    made = await client.post(f"{API}/assessments", json=body, headers=headers)
    assert made.status_code == 201, made.text
    await client.post(f"{API}/assessments/{made.json()['id']}/complete", json={}, headers=headers)
    assert (await refer(client, world, service="family_counselling")).status_code == 201


# --- state machine and who answers ----------------------------------------------------------


async def test_the_receiver_answers_and_the_sender_cancels(
    client: httpx.AsyncClient, world: World
) -> None:
    referral = (await refer(client, world)).json()
    url = f"{API}/referrals/{referral['id']}"
    expect_problem(
        await client.post(f"{url}/accept", headers=world.directorate_worker.headers),
        403,
        "forbidden",
    )
    expect_problem(
        await client.post(f"{url}/cancel", json={}, headers=world.provider_worker.headers),
        403,
        "forbidden",
    )
    accepted = await client.post(f"{url}/accept", headers=world.provider_psychologist.headers)
    assert accepted.json()["status"] == "accepted"
    again = await client.post(f"{url}/accept", headers=world.provider_worker.headers)
    expect_problem(again, 409, "invalid_transition")
    cancel = await client.post(f"{url}/cancel", json={}, headers=world.directorate_worker.headers)
    expect_problem(cancel, 409, "invalid_transition")


async def test_a_declined_referral_keeps_its_reason_and_goes_no_further(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{API}/referrals/{(await refer(client, world)).json()['id']}"
    headers = world.provider_worker.headers
    expect_problem(
        await client.post(f"{url}/decline", json={}, headers=headers), 422, "validation_error"
    )
    reason = {"reason": "No places this month."}
    problem = expect_problem(
        await client.post(f"{url}/decline", json=reason, headers=headers),
        422,
        "rule_violation",
        "MAN-EXIT",
    )
    assert "information" in problem["detail"]
    leaflet = "The hotline and the other licensed services in the region."
    declined = await client.post(
        f"{url}/decline", json=reason | {"exit_information": leaflet}, headers=headers
    )
    assert declined.json()["status"] == "declined"
    assert declined.json()["reason"] == "No places this month."
    assert declined.json()["exit_information"] == leaflet
    # MAN-EXIT: the referring organisation, whose case goes on, follows up
    follow_ups = (
        await client.get(f"{API}/follow-up-contacts", headers=world.directorate_worker.headers)
    ).json()["items"]
    assert [(f["trigger"], f["referral_id"], f["organisation_id"]) for f in follow_ups] == [
        ("referral_declined", declined.json()["id"], str(world.directorate.id))
    ]
    contact = {"contact_on": world.today.isoformat()}
    expect_problem(
        await client.post(f"{url}/initial-contact", json=contact, headers=headers),
        409,
        "invalid_transition",
    )


async def test_initial_contact_dates_are_neither_future_nor_before_the_referral(
    client: httpx.AsyncClient, world: World
) -> None:
    url = f"{API}/referrals/{(await refer(client, world)).json()['id']}"
    headers = world.provider_worker.headers
    await client.post(f"{url}/accept", headers=headers)
    for day in (world.today + timedelta(days=1), world.today - timedelta(days=1)):
        answer = await client.post(
            f"{url}/initial-contact", json={"contact_on": day.isoformat()}, headers=headers
        )
        expect_problem(answer, 422, "validation_error")
    ok = await client.post(
        f"{url}/initial-contact", json={"contact_on": world.today.isoformat()}, headers=headers
    )
    assert ok.json()["status"] == "in_progress"
    assert (
        ok.json()["individual_assessment_due_on"] == (world.today + timedelta(days=20)).isoformat()
    )


async def test_referrals_are_seen_at_both_ends_only(
    client: httpx.AsyncClient, world: World
) -> None:
    referral = (await refer(client, world)).json()
    url = f"{API}/referrals/{referral['id']}"
    for actor in (world.directorate_worker, world.provider_worker, world.coordinator):
        assert (await client.get(url, headers=actor.headers)).status_code == 200
    expect_problem(await client.get(url, headers=world.ngo_worker.headers), 404, "not_found")
    listed = await client.get(f"{API}/referrals", headers=world.ngo_worker.headers)
    assert listed.json()["items"] == []


# --- sharing follows consent ------------------------------------------------------------------


async def test_the_case_is_shared_from_acceptance_until_the_consent_is_withdrawn(
    client: httpx.AsyncClient, world: World
) -> None:
    person = f"{API}/victims/{world.victim.id}"
    reader = world.provider_psychologist
    referral = (await refer(client, world)).json()
    expect_problem(await client.get(person, headers=reader.headers), 404, "not_found")

    await client.post(
        f"{API}/referrals/{referral['id']}/accept", headers=world.provider_worker.headers
    )
    seen = await client.get(person, headers=reader.headers)
    assert seen.status_code == 200
    listed = await client.get(f"{API}/victims", headers=reader.headers)
    assert [v["id"] for v in listed.json()["items"]] == [str(world.victim.id)]

    consents = (
        await client.get(f"{person}/consents", headers=world.directorate_worker.headers)
    ).json()["items"]
    share = next(c for c in consents if c["purpose"] == "share_with_organisation")
    withdraw = f"{person}/consents/{share['id']}/withdraw"
    assert (
        await client.post(withdraw, headers=world.directorate_worker.headers)
    ).status_code == 200

    expect_problem(await client.get(person, headers=reader.headers), 404, "not_found")
    assert (await client.get(f"{API}/victims", headers=reader.headers)).json()["items"] == []
    # what was read before stays on the record
    trail = await client.get(
        f"{API}/audit-events",
        params={"victim_id": str(world.victim.id), "actor_id": str(reader.id)},
        headers=world.coordinator.headers,
    )
    assert {"read", "list"} <= {e["action"] for e in trail.json()["items"]}


@pytest.mark.parametrize("stage", ["requested", "in_progress"])
async def test_the_receiver_loses_the_referral_when_the_consent_is_withdrawn(
    client: httpx.AsyncClient, world: World, stage: str
) -> None:
    referral = (await refer(client, world)).json()
    url = f"{API}/referrals/{referral['id']}"
    receiver = world.provider_worker.headers
    if stage == "in_progress":
        await client.post(f"{url}/accept", headers=receiver)
        contact = {"contact_on": world.today.isoformat()}
        await client.post(f"{url}/initial-contact", json=contact, headers=receiver)
    person = f"{API}/victims/{world.victim.id}"
    consents = (
        await client.get(f"{person}/consents", headers=world.directorate_worker.headers)
    ).json()["items"]
    share = next(c for c in consents if c["purpose"] == "share_with_organisation")
    await client.post(
        f"{person}/consents/{share['id']}/withdraw", headers=world.directorate_worker.headers
    )

    expect_problem(await client.get(url, headers=receiver), 404, "not_found")
    assert (await client.get(f"{API}/referrals", headers=receiver)).json()["items"] == []
    for action in ("accept", "complete"):
        expect_problem(
            await client.post(f"{url}/{action}", json={}, headers=receiver), 404, "not_found"
        )
    # the referring organisation keeps its own record of the referral
    assert (await client.get(url, headers=world.directorate_worker.headers)).status_code == 200


async def test_the_case_organisation_sees_every_referral_of_its_people(
    client: httpx.AsyncClient, world: World
) -> None:
    referral = (await refer(client, world, by=world.coordinator)).json()
    assert referral["from_organisation_id"] == str(world.coordinator.organisation_id)
    seen = await client.get(
        f"{API}/referrals/{referral['id']}", headers=world.directorate_worker.headers
    )
    assert seen.status_code == 200


async def test_a_receiver_declared_state_delegated_is_referred_to_with_the_ina(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    delegated = await actors.organisation(
        OrganisationKind.SERVICE_PROVIDER,
        funding=Funding.STATE_DELEGATED,
        licences=[licence(world.today + timedelta(days=30))],
    )
    await actors.consent(world.victim, ConsentPurpose.SHARE_WITH_ORGANISATION, delegated)
    answer = await refer(client, world, to=delegated, funding="project")
    expect_problem(answer, 422, "rule_violation", "SOP-INA")
    ina = await completed_ina(client, world)
    ok = await refer(client, world, to=delegated, funding="state_delegated", ina=ina)
    assert ok.status_code == 201, ok.text


async def test_a_named_ina_must_be_one_of_this_persons(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    unknown = await refer(
        client, world, funding="state_delegated", ina="01a2061d-0000-7000-8000-000000000000"
    )
    other_person = await actors.victim(world.directorate)
    body = {"victim_id": str(other_person.id), "kind": "initial_needs"}
    theirs = (
        await client.post(f"{API}/assessments", json=body, headers=world.directorate_worker.headers)
    ).json()
    foreign = await refer(client, world, funding="project", ina=theirs["id"])
    first = expect_problem(unknown, 422, "validation_error")
    second = expect_problem(foreign, 422, "validation_error")
    assert first["errors"] == second["errors"]  # the answer tells nothing about other records


async def test_a_person_outside_the_callers_sight_cannot_be_referred(
    client: httpx.AsyncClient, world: World
) -> None:
    answer = await refer(client, world, by=world.ngo_worker)
    problem = expect_problem(answer, 422, "validation_error")
    assert problem["errors"][0]["loc"] == ["body", "victim_id"]
