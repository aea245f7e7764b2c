"""Assessments, care plans, service agreements and follow-ups over HTTP: every rule broken and
kept, with its code and rule id."""

from datetime import date, timedelta

import httpx
import pytest

from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from tests.api.pathway import (
    API,
    NEEDS,
    World,
    active_plan,
    build_world,
    completed_individual_assessment,
    completed_psychological,
    referral_in_progress,
)
from tests.conftest import FakeClock
from tests.factories import Actors
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> World:
    return await build_world(actors)


def individual(world: World, referral_id: str) -> dict[str, object]:
    return {
        "victim_id": str(world.victim.id),
        "kind": "individual_needs",
        "referral_id": referral_id,
    }


# --- SOP-INDIVIDUAL-20D -----------------------------------------------------------------------


async def test_the_individual_assessment_follows_the_initial_contact(
    client: httpx.AsyncClient, world: World
) -> None:
    from tests.api.pathway import refer

    referral = (await refer(client, world)).json()
    await client.post(
        f"{API}/referrals/{referral['id']}/accept", headers=world.provider_worker.headers
    )
    answer = await client.post(
        f"{API}/assessments",
        json=individual(world, referral["id"]),
        headers=world.provider_worker.headers,
    )
    expect_problem(answer, 422, "rule_violation", "SOP-INDIVIDUAL-20D")


@pytest.mark.parametrize(("day", "late"), [(19, 0), (20, 0), (21, 1), (30, 10)])
async def test_the_assessment_is_due_20_days_after_contact_and_late_work_is_recorded(
    client: httpx.AsyncClient, world: World, clock: FakeClock, day: int, late: int
) -> None:
    contact_on = world.today - timedelta(days=40)
    now = clock.now()
    clock.set(now - timedelta(days=40))  # referred and met 40 days ago
    referral = await referral_in_progress(client, world, contact_on)
    clock.set(now)
    headers = world.provider_worker.headers
    created = await client.post(
        f"{API}/assessments", json=individual(world, referral["id"]), headers=headers
    )
    assert created.status_code == 201, created.text
    assert created.json()["due_on"] == (contact_on + timedelta(days=20)).isoformat()
    done_on = (contact_on + timedelta(days=day)).isoformat()
    body = {"performed_on": done_on, "findings": NEEDS}
    done = await client.post(
        f"{API}/assessments/{created.json()['id']}/complete", json=body, headers=headers
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "completed"
    assert done.json()["late_by_days"] == late


async def test_assessment_dates_are_never_in_the_future(
    client: httpx.AsyncClient, world: World
) -> None:
    tomorrow = (world.today + timedelta(days=1)).isoformat()
    body = {"victim_id": str(world.victim.id), "kind": "risk", "performed_on": tomorrow}
    answer = await client.post(
        f"{API}/assessments", json=body, headers=world.directorate_worker.headers
    )
    problem = expect_problem(answer, 422, "validation_error")
    assert problem["errors"][0]["loc"] == ["body", "performed_on"]


async def test_one_individual_assessment_per_referral(
    client: httpx.AsyncClient, world: World
) -> None:
    referral = await referral_in_progress(client, world)
    headers = world.provider_worker.headers
    assert (
        await client.post(
            f"{API}/assessments", json=individual(world, referral["id"]), headers=headers
        )
    ).status_code == 201
    again = await client.post(
        f"{API}/assessments", json=individual(world, referral["id"]), headers=headers
    )
    expect_problem(again, 409, "duplicate")


@pytest.mark.parametrize(
    ("kind", "findings"),
    [
        (
            "risk",
            {
                "factors": [
                    {"factor": "poverty", "level": "high"},
                    {"factor": "unemployment", "level": "medium"},
                ]
            },
        ),
        (
            "psychological",
            {
                "summary": "s",
                "recovery_stage": "II",
                "plan": {"informational": "i", "content": "c", "organisational": "o"},
                "signs_of_mental_disorder": False,
            },
        ),
        ("reintegration", NEEDS),
    ],
)
async def test_findings_take_the_form_of_their_kind(
    client: httpx.AsyncClient, actors: Actors, world: World, kind: str, findings: dict[str, object]
) -> None:
    author = await actors.user(
        Role.PSYCHOLOGIST if kind == "psychological" else Role.SOCIAL_WORKER, world.directorate
    )
    body = {"victim_id": str(world.victim.id), "kind": kind, "findings": findings}
    assert (
        await client.post(f"{API}/assessments", json=body, headers=author.headers)
    ).status_code == 201
    wrong = {
        "victim_id": str(world.victim.id),
        "kind": kind,
        "findings": {"summary": "x", "needs": []}
        if kind != "reintegration"
        else findings | {"extra": 1},
    }
    expect_problem(
        await client.post(f"{API}/assessments", json=wrong, headers=author.headers),
        422,
        "validation_error",
    )


async def test_risk_factors_come_from_the_sop_and_appear_once(
    client: httpx.AsyncClient, world: World
) -> None:
    headers = world.directorate_worker.headers
    for factors in (
        [{"factor": "bad_luck", "level": "low"}],
        [{"factor": "poverty", "level": "low"}] * 2,
        [],
    ):
        body = {"victim_id": str(world.victim.id), "kind": "risk", "findings": {"factors": factors}}
        expect_problem(
            await client.post(f"{API}/assessments", json=body, headers=headers),
            422,
            "validation_error",
        )


async def test_psychological_findings_are_read_by_health_staff_only(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    psychologist = await actors.user(Role.PSYCHOLOGIST, world.directorate)
    findings = {
        "summary": "private",
        "recovery_stage": "I",
        "plan": {"informational": "i", "content": "c", "organisational": "o"},
        "signs_of_mental_disorder": True,
    }
    body = {"victim_id": str(world.victim.id), "kind": "psychological", "findings": findings}
    made = (await client.post(f"{API}/assessments", json=body, headers=psychologist.headers)).json()
    url = f"{API}/assessments/{made['id']}"
    own = (await client.get(url, headers=psychologist.headers)).json()
    assert own["findings"]["summary"] == "private"
    for reader in (world.directorate_worker, world.coordinator):
        shown = (await client.get(url, headers=reader.headers)).json()
        assert shown["findings"] is None
        assert shown["findings_withheld"] is True
        listed = (
            await client.get(
                f"{API}/assessments",
                params={"victim_id": str(world.victim.id)},
                headers=reader.headers,
            )
        ).json()
        assert all(a["findings"] is None for a in listed["items"] if a["kind"] == "psychological")
    export = await client.get(
        f"{API}/victims/{world.victim.id}/export", headers=world.directorate_worker.headers
    )
    exported = [a for a in export.json()["assessments"] if a["kind"] == "psychological"]
    assert [(a["findings"], a["findings_withheld"]) for a in exported] == [(None, True)]


async def test_each_profession_records_its_own_kinds(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    medic = await actors.user(Role.MEDICAL_OFFICER, world.directorate)
    body = {"victim_id": str(world.victim.id), "kind": "psychological"}
    expect_problem(
        await client.post(f"{API}/assessments", json=body, headers=medic.headers), 403, "forbidden"
    )
    medical = {"victim_id": str(world.victim.id), "kind": "medical"}
    assert (
        await client.post(f"{API}/assessments", json=medical, headers=medic.headers)
    ).status_code == 201
    lawyer = await actors.user(Role.LEGAL_COUNSELLOR, world.directorate)
    expect_problem(
        await client.post(f"{API}/assessments", json=medical, headers=lawyer.headers),
        403,
        "forbidden",
    )


async def test_a_completed_assessment_is_not_completed_again(
    client: httpx.AsyncClient, world: World
) -> None:
    referral = await referral_in_progress(client, world)
    done = await completed_individual_assessment(client, world, referral)
    again = await client.post(
        f"{API}/assessments/{done['id']}/complete", json={}, headers=world.provider_worker.headers
    )
    expect_problem(again, 409, "invalid_transition")


async def test_completion_needs_a_date_and_findings(
    client: httpx.AsyncClient, world: World
) -> None:
    body = {"victim_id": str(world.victim.id), "kind": "reintegration"}
    headers = world.directorate_worker.headers
    made = (await client.post(f"{API}/assessments", json=body, headers=headers)).json()
    url = f"{API}/assessments/{made['id']}/complete"
    expect_problem(await client.post(url, json={}, headers=headers), 422, "validation_error")
    no_findings = {"performed_on": world.today.isoformat()}
    expect_problem(
        await client.post(url, json=no_findings, headers=headers), 422, "validation_error"
    )
    assert (
        await client.post(url, json=no_findings | {"findings": NEEDS}, headers=headers)
    ).status_code == 200


# --- SOP-CAREPLAN-BASIS and MAN-REHAB-PLAN -------------------------------------------------------


def plan_body(
    world: World, assessment_id: str, kind: str = "care", months: int = 6
) -> dict[str, object]:
    return {
        "victim_id": str(world.victim.id),
        "assessment_id": assessment_id,
        "kind": kind,
        "goals": [{"area": "health", "objective": "Regular counselling."}],
        "planned_months": months,
    }


async def test_a_plan_rests_on_a_completed_individual_needs_assessment(
    client: httpx.AsyncClient, world: World
) -> None:
    referral = await referral_in_progress(client, world)
    headers = world.provider_worker.headers
    draft = (
        await client.post(
            f"{API}/assessments", json=individual(world, referral["id"]), headers=headers
        )
    ).json()
    refused = await client.post(
        f"{API}/care-plans", json=plan_body(world, draft["id"]), headers=headers
    )
    expect_problem(refused, 422, "rule_violation", "SOP-CAREPLAN-BASIS")
    risk = {
        "victim_id": str(world.victim.id),
        "kind": "risk",
        "performed_on": world.today.isoformat(),
        "findings": {"factors": [{"factor": "poverty", "level": "low"}]},
    }
    other = (await client.post(f"{API}/assessments", json=risk, headers=headers)).json()
    await client.post(f"{API}/assessments/{other['id']}/complete", json={}, headers=headers)
    wrong_kind = await client.post(
        f"{API}/care-plans", json=plan_body(world, other["id"]), headers=headers
    )
    expect_problem(wrong_kind, 422, "rule_violation", "SOP-CAREPLAN-BASIS")
    body = {"performed_on": world.today.isoformat(), "findings": NEEDS}
    await client.post(f"{API}/assessments/{draft['id']}/complete", json=body, headers=headers)
    assert (
        await client.post(f"{API}/care-plans", json=plan_body(world, draft["id"]), headers=headers)
    ).status_code == 201


@pytest.mark.parametrize(("months", "ok"), [(1, True), (6, True), (7, False)])
async def test_a_rehabilitation_plan_lasts_one_to_six_months(
    client: httpx.AsyncClient, world: World, months: int, ok: bool
) -> None:
    await referral_in_progress(client, world)
    assessment = await completed_psychological(client, world)
    body = plan_body(world, assessment["id"], "rehabilitation", months)
    answer = await client.post(
        f"{API}/care-plans", json=body, headers=world.provider_worker.headers
    )
    if ok:
        assert answer.status_code == 201, answer.text
    else:
        problem = expect_problem(answer, 422, "rule_violation", "MAN-REHAB-PLAN")
        assert problem["max_months"] == 6


async def test_a_plan_begins_with_the_persons_consent(
    client: httpx.AsyncClient, world: World
) -> None:
    await referral_in_progress(client, world)
    assessment = await completed_psychological(client, world)
    headers = world.provider_worker.headers
    plan = (
        await client.post(
            f"{API}/care-plans",
            json=plan_body(world, assessment["id"], "rehabilitation", 3),
            headers=headers,
        )
    ).json()
    url = f"{API}/care-plans/{plan['id']}/activate"
    no = await client.post(url, json={"consent_given": False}, headers=headers)
    expect_problem(no, 422, "consent_required", "MAN-REHAB-PLAN")
    person = f"{API}/victims/{world.victim.id}"
    consents = (
        await client.get(f"{person}/consents", headers=world.directorate_worker.headers)
    ).json()["items"]
    processing = next(c for c in consents if c["purpose"] == "data_processing")
    await client.post(
        f"{person}/consents/{processing['id']}/withdraw", headers=world.directorate_worker.headers
    )
    withdrawn = await client.post(url, json={"consent_given": True}, headers=headers)
    expect_problem(withdrawn, 422, "consent_required", "CONSENT-DISCLOSURE")
    await client.post(
        f"{person}/consents",
        json={"purpose": "data_processing"},
        headers=world.directorate_worker.headers,
    )
    active = await client.post(url, json={"consent_given": True}, headers=headers)
    assert active.json()["status"] == "active"
    assert active.json()["activated_on"] == world.today.isoformat()
    expect_problem(
        await client.post(url, json={"consent_given": True}, headers=headers),
        409,
        "invalid_transition",
    )


async def test_staff_meetings_review_a_plan(client: httpx.AsyncClient, world: World) -> None:
    assessment = await completed_individual_assessment(
        client, world, await referral_in_progress(client, world)
    )
    plan = await active_plan(client, world, assessment["id"])
    url = f"{API}/care-plans/{plan['id']}"
    headers = world.provider_psychologist.headers
    review = {
        "held_on": world.today.isoformat(),
        "recovery_stage": "II",
        "notes": "Sleeping better.",
    }
    made = await client.post(f"{url}/reviews", json=review, headers=headers)
    assert made.status_code == 201, made.text
    assert (await client.get(url, headers=headers)).json()["recovery_stage"] == "II"
    listed = (await client.get(f"{url}/reviews", headers=headers)).json()["items"]
    assert [r["notes"] for r in listed] == ["Sleeping better."]
    await client.post(f"{url}/complete", json={}, headers=world.provider_worker.headers)
    expect_problem(
        await client.post(f"{url}/reviews", json=review, headers=headers), 409, "invalid_transition"
    )


# --- service agreements ----------------------------------------------------------------------


def agreement_body(
    world: World, plan_id: str, term: str, starts: date, ends: date, consent: bool = True
) -> dict[str, object]:
    return {
        "victim_id": str(world.victim.id),
        "care_plan_id": plan_id,
        "provider_organisation_id": str(world.provider.id),
        "term": term,
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "consent_given": consent,
    }


@pytest.fixture
async def plan(client: httpx.AsyncClient, world: World) -> dict[str, object]:
    assessment = await completed_individual_assessment(
        client, world, await referral_in_progress(client, world)
    )
    return await active_plan(client, world, assessment["id"])


START = date(2026, 1, 15)


@pytest.mark.parametrize(
    ("term", "ends", "rule"),
    [
        ("short", date(2026, 7, 14), None),
        ("short", date(2026, 7, 15), "SOP-TERM"),
        ("medium", date(2027, 1, 14), None),
        ("medium", date(2027, 1, 15), "SOP-TERM"),
        ("long", date(2027, 1, 14), None),
        ("long", date(2027, 1, 15), "SOP-VOT-MAX-1Y"),
        ("short", date(2026, 1, 14), "SOP-TERM"),
    ],
    ids=[
        "short-6m",
        "short-6m+1d",
        "medium-12m",
        "medium-12m+1d",
        "long-12m",
        "long-12m+1d",
        "ends-before-start",
    ],
)
async def test_agreement_dates_fit_the_term_and_never_exceed_a_year(
    client: httpx.AsyncClient,
    world: World,
    plan: dict[str, object],
    term: str,
    ends: date,
    rule: str | None,
) -> None:
    body = agreement_body(world, str(plan["id"]), term, START, ends)
    answer = await client.post(
        f"{API}/service-agreements", json=body, headers=world.provider_worker.headers
    )
    if rule is None:
        assert answer.status_code == 201, answer.text
    else:
        expect_problem(answer, 422, "rule_violation", rule)


async def test_an_agreement_needs_an_active_plan_and_the_persons_consent(
    client: httpx.AsyncClient, world: World, plan: dict[str, object]
) -> None:
    headers = world.provider_worker.headers
    no_consent = agreement_body(
        world, str(plan["id"]), "short", START, date(2026, 6, 1), consent=False
    )
    expect_problem(
        await client.post(f"{API}/service-agreements", json=no_consent, headers=headers),
        422,
        "consent_required",
        "SOP-AGREEMENT-CONSENT",
    )
    await client.post(f"{API}/care-plans/{plan['id']}/terminate", json={}, headers=headers)
    ended = agreement_body(world, str(plan["id"]), "short", START, date(2026, 6, 1))
    expect_problem(
        await client.post(f"{API}/service-agreements", json=ended, headers=headers),
        422,
        "rule_violation",
        "SOP-AGREEMENT-CONSENT",
    )


async def test_terminating_arranges_the_follow_up_contact(
    client: httpx.AsyncClient, world: World, plan: dict[str, object]
) -> None:
    headers = world.provider_worker.headers
    starts = world.today - timedelta(days=60)
    body = agreement_body(world, str(plan["id"]), "medium", starts, starts + timedelta(days=200))
    agreement = (await client.post(f"{API}/service-agreements", json=body, headers=headers)).json()
    url = f"{API}/service-agreements/{agreement['id']}"
    ended_on = world.today - timedelta(days=5)
    stop = {
        "terminated_on": ended_on.isoformat(),
        "reason": "Moved to another city.",
        "exit_information": "Leaflet with the services in her new city.",
    }
    answer = await client.post(f"{url}/terminate", json=stop, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "terminated"
    follow_ups = (
        await client.get(
            f"{API}/follow-up-contacts", params={"victim_id": str(world.victim.id)}, headers=headers
        )
    ).json()["items"]
    assert [(f["due_on"], f["status"]) for f in follow_ups] == [
        ((ended_on + timedelta(days=30)).isoformat(), "due")
    ]
    expect_problem(
        await client.post(f"{url}/terminate", json=stop, headers=headers), 409, "invalid_transition"
    )
    expect_problem(
        await client.post(f"{url}/complete", json={}, headers=headers), 409, "invalid_transition"
    )

    record = {"done_on": world.today.isoformat(), "channel": "phone", "outcome": "Doing well."}
    done = await client.post(
        f"{API}/follow-up-contacts/{follow_ups[0]['id']}/record", json=record, headers=headers
    )
    assert done.json()["status"] == "done"
    again = await client.post(
        f"{API}/follow-up-contacts/{follow_ups[0]['id']}/record", json=record, headers=headers
    )
    expect_problem(again, 409, "invalid_transition")


async def test_records_of_a_person_follow_the_persons_visibility(
    client: httpx.AsyncClient, world: World, plan: dict[str, object]
) -> None:
    for url in (f"{API}/care-plans/{plan['id']}", f"{API}/assessments/{plan['assessment_id']}"):
        assert (await client.get(url, headers=world.provider_worker.headers)).status_code == 200
        expect_problem(await client.get(url, headers=world.ngo_worker.headers), 404, "not_found")
    listed = await client.get(f"{API}/care-plans", headers=world.ngo_worker.headers)
    assert listed.json()["items"] == []


async def test_a_consent_for_family_involvement_does_not_open_the_case(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await actors.consent(world.victim, ConsentPurpose.FAMILY_INVOLVEMENT)
    url = f"{API}/victims/{world.victim.id}"
    expect_problem(await client.get(url, headers=world.ngo_worker.headers), 404, "not_found")


# --- seeing a case is not keeping its records -------------------------------------------------


async def test_an_organisation_that_shares_the_case_does_not_change_anothers_records(
    client: httpx.AsyncClient, actors: Actors, world: World, plan: dict[str, object]
) -> None:
    """The NGO sees the case through its own accepted referral; the provider's plan, agreement,
    follow-up and assessment stay the provider's to change."""
    await actors.consent(world.victim, ConsentPurpose.SHARE_WITH_ORGANISATION, world.ngo)
    from tests.api.pathway import refer

    legal = (await refer(client, world, to=world.ngo, service="legal")).json()
    await client.post(f"{API}/referrals/{legal['id']}/accept", headers=world.ngo_worker.headers)
    assert (
        await client.get(f"{API}/victims/{world.victim.id}", headers=world.ngo_worker.headers)
    ).status_code == 200

    provider = world.provider_worker.headers
    starts = world.today - timedelta(days=10)
    body = agreement_body(world, str(plan["id"]), "short", starts, starts + timedelta(days=90))
    agreement = (await client.post(f"{API}/service-agreements", json=body, headers=provider)).json()
    outsider = world.ngo_worker.headers
    attempts = [
        (f"{API}/care-plans/{plan['id']}/terminate", {}),
        (f"{API}/care-plans/{plan['id']}/reviews", {"held_on": world.today.isoformat()}),
        (
            f"{API}/service-agreements/{agreement['id']}/terminate",
            {"terminated_on": world.today.isoformat(), "reason": "x", "exit_information": "y"},
        ),
        (f"{API}/assessments/{plan['assessment_id']}/complete", {}),
    ]
    for url, payload in attempts:
        expect_problem(await client.post(url, json=payload, headers=outsider), 403, "forbidden")
    outsider_signs = await client.post(f"{API}/service-agreements", json=body, headers=outsider)
    expect_problem(outsider_signs, 403, "forbidden")

    ended = await client.post(attempts[2][0], json=attempts[2][1], headers=provider)
    assert ended.status_code == 200
    follow_up = (await client.get(f"{API}/follow-up-contacts", headers=provider)).json()["items"][0]
    record = {"done_on": world.today.isoformat(), "channel": "letter"}
    url = f"{API}/follow-up-contacts/{follow_up['id']}/record"
    expect_problem(await client.post(url, json=record, headers=outsider), 403, "forbidden")
    assert (await client.post(url, json=record, headers=provider)).status_code == 200


async def test_completing_with_findings_of_another_form_is_a_validation_error(
    client: httpx.AsyncClient, world: World
) -> None:
    body = {
        "victim_id": str(world.victim.id),
        "kind": "risk",
        "performed_on": world.today.isoformat(),
    }
    headers = world.directorate_worker.headers
    made = (await client.post(f"{API}/assessments", json=body, headers=headers)).json()
    answer = await client.post(
        f"{API}/assessments/{made['id']}/complete", json={"findings": NEEDS}, headers=headers
    )
    problem = expect_problem(answer, 422, "validation_error")
    assert problem["errors"][0]["loc"] == ["body", "findings"]
    still = (await client.get(f"{API}/assessments/{made['id']}", headers=headers)).json()
    assert still["status"] == "draft"


async def test_the_provider_of_an_agreement_is_licensed_and_consented_to(
    client: httpx.AsyncClient, actors: Actors, world: World, plan: dict[str, object]
) -> None:
    headers = world.provider_worker.headers
    unlicensed = await actors.organisation()
    await actors.consent(world.victim, ConsentPurpose.SHARE_WITH_ORGANISATION, unlicensed)
    body = agreement_body(world, str(plan["id"]), "short", START, date(2026, 6, 1)) | {
        "provider_organisation_id": str(unlicensed.id)
    }
    expect_problem(
        await client.post(f"{API}/service-agreements", json=body, headers=headers),
        422,
        "rule_violation",
        "SOP-LICENCE",
    )
    body["provider_organisation_id"] = str(world.ngo.id)  # licensed, but no consent to share
    expect_problem(
        await client.post(f"{API}/service-agreements", json=body, headers=headers),
        422,
        "consent_required",
        "CONSENT-DISCLOSURE",
    )


async def test_a_review_has_its_own_address_and_a_new_stage_is_an_audited_change(
    client: httpx.AsyncClient, world: World, plan: dict[str, object]
) -> None:
    url = f"{API}/care-plans/{plan['id']}"
    headers = world.provider_worker.headers
    made = await client.post(
        f"{url}/reviews",
        json={"held_on": world.today.isoformat(), "recovery_stage": "III"},
        headers=headers,
    )
    assert made.headers["location"] == f"{url}/reviews/{made.json()['id']}"
    assert (await client.get(made.headers["location"], headers=headers)).json()[
        "recovery_stage"
    ] == "III"
    trail = await client.get(
        f"{API}/audit-events",
        params={"victim_id": str(world.victim.id), "record_type": "care_plan", "action": "update"},
        headers=world.coordinator.headers,
    )
    assert len(trail.json()["items"]) == 2  # activation, then the new stage


# --- MAN-EXIT: completing a service leaves the person with information and a follow-up ---------


async def test_completing_an_agreement_records_the_exit_information(
    client: httpx.AsyncClient, world: World, plan: dict[str, object]
) -> None:
    headers = world.provider_worker.headers
    starts = world.today - timedelta(days=30)
    body = agreement_body(world, str(plan["id"]), "short", starts, starts + timedelta(days=90))
    agreement = (await client.post(f"{API}/service-agreements", json=body, headers=headers)).json()
    url = f"{API}/service-agreements/{agreement['id']}/complete"
    expect_problem(
        await client.post(url, json={}, headers=headers), 422, "rule_violation", "MAN-EXIT"
    )
    done = await client.post(
        url, json={"exit_information": "Leaflet: where to turn again."}, headers=headers
    )
    assert (done.json()["status"], done.json()["exit_information"]) == (
        "completed",
        "Leaflet: where to turn again.",
    )
    follow_ups = (await client.get(f"{API}/follow-up-contacts", headers=headers)).json()["items"]
    assert [(f["trigger"], f["agreement_id"]) for f in follow_ups] == [
        ("agreement_ended", agreement["id"])
    ]


async def test_completing_a_referral_records_the_exit_information_and_the_service_follows_up(
    client: httpx.AsyncClient, world: World
) -> None:
    referral = await referral_in_progress(client, world)
    url = f"{API}/referrals/{referral['id']}/complete"
    headers = world.provider_worker.headers
    expect_problem(
        await client.post(url, json={}, headers=headers), 422, "rule_violation", "MAN-EXIT"
    )
    done = await client.post(
        url, json={"exit_information": "The provider's hotline."}, headers=headers
    )
    assert done.json()["status"] == "completed"
    follow_ups = (await client.get(f"{API}/follow-up-contacts", headers=headers)).json()["items"]
    assert [(f["trigger"], f["referral_id"], f["organisation_id"]) for f in follow_ups] == [
        ("referral_completed", referral["id"], str(world.provider.id))
    ]
