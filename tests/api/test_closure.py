"""Every exit leaves the person with information and arranges the follow-up (MAN-EXIT); a case
is closed only when nothing is open, is read-only once closed, and can be reopened
(MAN-CASE-CLOSE)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.domain.access import Role
from app.domain.casework import (
    AgreementStatus,
    AssessmentKind,
    AssessmentStatus,
    CarePlanKind,
    ReferralStatus,
    Service,
)
from app.domain.consent import ConsentPurpose
from app.domain.grants import GrantStatus
from app.domain.rulebook import GrantForm, ServiceTerm
from app.domain.vocabulary import Funding
from app.models import (
    Alert,
    Assessment,
    CarePlan,
    Referral,
    ReintegrationGrant,
    ServiceAgreement,
)
from tests.api.shelter_world import (
    API,
    EXIT_INFORMATION,
    ShelterWorld,
    admitted_stay,
    annex_7,
    build_shelter_world,
    discharge_body,
    propose,
    stay_body,
)
from tests.conftest import FakeClock
from tests.factories import Actor, Actors
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    return await build_shelter_world(actors)


def person_url(world: ShelterWorld) -> str:
    return f"{API}/victims/{world.woman.id}"


async def close(
    client: httpx.AsyncClient, world: ShelterWorld, by: Actor | None = None, **body: Any
) -> httpx.Response:
    body = {"reason": "reintegrated", "exit_information": EXIT_INFORMATION} | body
    return await client.post(
        f"{person_url(world)}/close", json=body, headers=(by or world.worker).headers
    )


async def follow_ups(client: httpx.AsyncClient, world: ShelterWorld) -> list[dict[str, Any]]:
    found = await client.get(
        f"{API}/follow-up-contacts",
        params={"victim_id": str(world.woman.id)},
        headers=world.worker.headers,
    )
    return list(found.json()["items"])


async def worklist_kinds(client: httpx.AsyncClient, actor: Actor) -> list[str]:
    items = (await client.get(f"{API}/worklist", headers=actor.headers)).json()["items"]
    return [i["kind"] for i in items]


# --- MAN-EXIT ------------------------------------------------------------------------------------


async def test_discharge_records_the_exit_information_and_arranges_the_follow_up(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = await admitted_stay(client, world)
    url = f"{API}/shelter-stays/{stay['id']}/discharge"
    for missing in ({"exit_information": None}, {}):
        body = {k: v for k, v in discharge_body(world.today).items() if k != "exit_information"}
        expect_problem(
            await client.post(url, json=body | missing, headers=world.worker.headers),
            422,
            "rule_violation",
            "MAN-EXIT",
        )
    assert await follow_ups(client, world) == []
    done = await client.post(url, json=discharge_body(world.today), headers=world.worker.headers)
    assert done.json()["exit_information"] == EXIT_INFORMATION
    (follow_up,) = await follow_ups(client, world)
    assert (follow_up["trigger"], follow_up["stay_id"], follow_up["organisation_id"]) == (
        "discharged",
        stay["id"],
        str(world.runner.id),
    )
    assert follow_up["due_on"] == (world.today + timedelta(days=30)).isoformat()


# --- MAN-CASE-CLOSE: nothing open ----------------------------------------------------------------


async def open_everything(actors: Actors, world: ShelterWorld) -> dict[str, str]:
    """One open record of each kind that keeps a case open."""
    woman, runner, author = world.woman, world.runner, world.worker
    interview = await actors.add(
        Assessment(
            victim_id=woman.id,
            kind=AssessmentKind.PSYCHOLOGICAL,
            status=AssessmentStatus.COMPLETED,
            organisation_id=runner.id,
            author_id=world.psychologist.id,
            author_role=Role.PSYCHOLOGIST,
            rulebook_version="kg-2026.1",
        )
    )
    common = {"victim_id": woman.id, "rulebook_version": "kg-2026.1"}
    plan = await actors.add(
        CarePlan(
            **common,
            assessment_id=interview.id,
            organisation_id=runner.id,
            kind=CarePlanKind.REHABILITATION,
            planned_months=3,
            created_by=author.id,
        )
    )
    agreement = await actors.add(
        ServiceAgreement(
            **common,
            care_plan_id=plan.id,
            provider_organisation_id=world.outsider.id,
            organisation_id=runner.id,
            term=ServiceTerm.SHORT,
            starts_on=world.today,
            ends_on=world.today + timedelta(days=30),
            consent_given=True,
            status=AgreementStatus.ACTIVE,
            created_by=author.id,
        )
    )
    grant = await actors.add(
        ReintegrationGrant(
            **common,
            form=GrantForm.BLUE,
            ngo_organisation_id=runner.id,
            period_start=world.today,
            period_end=world.today + timedelta(days=30),
            status=GrantStatus.SUBMITTED,
            total=Decimal("500.00"),
            author_id=author.id,
            author_organisation_id=runner.id,
        )
    )
    referral = await actors.add(
        Referral(
            **common,
            from_organisation_id=runner.id,
            to_organisation_id=world.outsider.id,
            service=Service.LEGAL,
            funding=Funding.PROJECT,
            status=ReferralStatus.REQUESTED,
            referred_on=world.today,
            created_by=author.id,
        )
    )
    return {
        "care_plan": str(plan.id),
        "service_agreement": str(agreement.id),
        "reintegration_grant": str(grant.id),
        "referral": str(referral.id),
    }


async def test_a_case_with_open_work_is_not_closed_and_the_refusal_lists_it_all(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    opened = await open_everything(actors, world)
    stay = (await propose(client, world)).json()
    opened["shelter_stay"] = stay["id"]
    problem = expect_problem(await close(client, world), 409, "open_work", "MAN-CASE-CLOSE")
    assert {(r["type"], r["id"]) for r in problem["open_records"]} == set(opened.items())
    assert {r["status"] for r in problem["open_records"]} == {
        "proposed",
        "draft",
        "active",
        "submitted",
        "requested",
    }
    person = (await client.get(person_url(world), headers=world.worker.headers)).json()
    assert person["status"] == "active"
    closures = await client.get(f"{person_url(world)}/closures", headers=world.worker.headers)
    assert closures.json()["items"] == []
    assert await follow_ups(client, world) == []


async def test_closing_a_case_records_why_and_arranges_the_follow_up(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    yesterday = world.today - timedelta(days=1)
    closed = await close(client, world, closed_on=yesterday.isoformat())
    assert closed.status_code == 200, closed.text
    assert closed.json()["status"] == "closed"
    (closure,) = (
        await client.get(f"{person_url(world)}/closures", headers=world.worker.headers)
    ).json()["items"]
    assert (closure["reason"], closure["closed_on"], closure["exit_information"]) == (
        "reintegrated",
        yesterday.isoformat(),
        EXIT_INFORMATION,
    )
    (follow_up,) = await follow_ups(client, world)
    assert (follow_up["trigger"], follow_up["closure_id"]) == ("case_closed", closure["id"])
    assert follow_up["due_on"] == (yesterday + timedelta(days=30)).isoformat()
    expect_problem(await close(client, world), 409, "invalid_transition")


async def test_no_follow_up_is_arranged_for_a_person_who_died(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    closed = await close(client, world, reason="deceased", exit_information=None)
    assert closed.status_code == 200, closed.text
    assert await follow_ups(client, world) == []


async def test_a_closure_names_its_reason_and_a_day_that_happened(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    tomorrow = (world.today + timedelta(days=1)).isoformat()
    for body in ({"reason": "bored"}, {"reason": None}, {"closed_on": tomorrow}):
        expect_problem(await close(client, world, **body), 422, "validation_error")
    expect_problem(await close(client, world, by=world.psychologist), 403, "forbidden")
    expect_problem(await close(client, world, by=world.outside_worker), 404, "not_found")


# --- a closed case is read-only, but for reopening and its follow-up -----------------------------


async def closed_after_a_stay(client: httpx.AsyncClient, world: ShelterWorld) -> dict[str, Any]:
    """Admitted, discharged with a monitoring report due, then closed."""
    stay = await admitted_stay(client, world)
    await client.post(
        f"{API}/shelter-stays/{stay['id']}/discharge",
        json=discharge_body(world.today),
        headers=world.worker.headers,
    )
    assert (await close(client, world)).status_code == 200
    return stay


async def test_a_closed_case_takes_no_new_records_and_no_changes(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    await actors.consent(world.woman, ConsentPurpose.DATA_PROCESSING)
    draft = await client.post(
        f"{API}/assessments",
        json={"victim_id": str(world.woman.id), "kind": "risk"},
        headers=world.worker.headers,
    )
    await closed_after_a_stay(client, world)
    person = person_url(world)
    today = world.today.isoformat()
    attempts: list[tuple[str, str, dict[str, Any], Actor]] = [
        ("patch", person, {"contact_phone": "+996 555 000 111"}, world.worker),
        ("post", f"{person}/consents", {"purpose": "family_involvement"}, world.worker),
        ("put", f"{person}/health-record", {"conditions": ["flu"]}, world.medic),
        (
            "post",
            f"{API}/assessments",
            {"victim_id": str(world.woman.id), "kind": "risk"},
            world.worker,
        ),
        (
            "post",
            f"{API}/assessments/{draft.json()['id']}/complete",
            {"findings": {"factors": [{"factor": "poverty", "level": "low"}]}},
            world.worker,
        ),
        ("post", f"{API}/shelter-stays", stay_body(world), world.worker),
        (
            "post",
            f"{API}/sessions",
            {
                "victim_ids": [str(world.woman.id)],
                "kind": "individual",
                "method": "counselling",
                "held_on": today,
                "duration_minutes": 45,
            },
            world.psychologist,
        ),
        (
            "post",
            f"{API}/referrals",
            {
                "victim_id": str(world.woman.id),
                "to_organisation_id": str(world.outsider.id),
                "service": "legal",
                "funding": "project",
            },
            world.worker,
        ),
    ]
    for method, url, body, actor in attempts:
        answer = await client.request(method.upper(), url, json=body, headers=actor.headers)
        expect_problem(answer, 409, "invalid_transition", "MAN-CASE-CLOSE")
    listed = await client.get(
        f"{API}/sessions", params={"victim_id": str(world.woman.id)}, headers=world.worker.headers
    )
    assert listed.json()["items"] == []
    still = (await client.get(person, headers=world.worker.headers)).json()
    assert (still["status"], still["contact_phone"]) == ("closed", world.woman.contact_phone)


async def test_a_closed_case_keeps_its_follow_up_its_monitoring_and_the_persons_rights(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, clock: FakeClock
) -> None:
    consent = await actors.consent(world.woman, ConsentPurpose.DATA_PROCESSING)
    stay = await closed_after_a_stay(client, world)
    # read and exported as before
    assert (await client.get(person_url(world), headers=world.worker.headers)).status_code == 200
    exported = await client.get(f"{person_url(world)}/export", headers=world.worker.headers)
    assert exported.status_code == 200
    # the person may still withdraw a consent
    withdrawn = await client.post(
        f"{person_url(world)}/consents/{consent.id}/withdraw", headers=world.worker.headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    # the follow-up contacts (discharge and closure) are recorded
    start = clock.now()
    clock.set(start + timedelta(days=31))
    for follow_up in await follow_ups(client, world):
        done = await client.post(
            f"{API}/follow-up-contacts/{follow_up['id']}/record",
            json={"done_on": clock.today().isoformat(), "channel": "phone"},
            headers=world.worker.headers,
        )
        assert done.status_code == 200, done.text
    # and six months on, the Annex 7 report
    clock.set(start + timedelta(days=190))
    report = await client.post(
        f"{API}/shelter-stays/{stay['id']}/monitoring-report",
        json=annex_7(clock.today()),
        headers=world.worker.headers,
    )
    assert report.status_code == 201, report.text


async def test_a_closed_case_leaves_the_worklist_but_for_its_follow_up_monitoring_and_alerts(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    await closed_after_a_stay(client, world)
    interview = await actors.add(
        Assessment(
            victim_id=world.woman.id,
            kind=AssessmentKind.PSYCHOLOGICAL,
            status=AssessmentStatus.COMPLETED,
            organisation_id=world.runner.id,
            author_id=world.psychologist.id,
            author_role=Role.PSYCHOLOGIST,
            rulebook_version="kg-2026.1",
        )
    )
    # what is owed after the case stays: the follow-ups, the report, and an alert not yet seen
    await actors.add(
        Alert(
            victim_id=world.woman.id,
            organisation_id=world.runner.id,
            assessment_id=interview.id,
            raised_on=world.today,
        )
    )
    kinds = await worklist_kinds(client, world.manager)
    assert sorted(kinds) == [
        "follow_up_contact",
        "follow_up_contact",
        "monitoring_report",
        "psychiatric_alert",
    ]


async def test_a_reopened_case_is_in_work_again_and_the_history_is_kept(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    assert (await close(client, world)).status_code == 200
    reopen = f"{person_url(world)}/reopen"
    expect_problem(
        await client.post(reopen, json={}, headers=world.worker.headers), 422, "validation_error"
    )
    reopened = await client.post(
        reopen, json={"reason": "She asked for help again."}, headers=world.worker.headers
    )
    assert reopened.json()["status"] == "active"
    expect_problem(
        await client.post(reopen, json={"reason": "again"}, headers=world.worker.headers),
        409,
        "invalid_transition",
    )
    patched = await client.patch(
        person_url(world), json={"contact_phone": "+996 555 000 111"}, headers=world.worker.headers
    )
    assert patched.status_code == 200, patched.text
    assert (await close(client, world, reason="lost_contact")).status_code == 200
    history = (
        await client.get(f"{person_url(world)}/closures", headers=world.coordinator.headers)
    ).json()["items"]
    assert [(c["reason"], c["reopen_reason"]) for c in history] == [
        ("lost_contact", None),
        ("reintegrated", "She asked for help again."),
    ]
    exported = (
        await client.get(f"{person_url(world)}/export", headers=world.worker.headers)
    ).json()
    assert [c["id"] for c in exported["closures"]] == [c["id"] for c in reversed(history)]


async def test_a_closed_case_still_counts_in_the_reports(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    await closed_after_a_stay(client, world)
    month = world.today.strftime("%Y-%m")
    report = await client.get(
        f"{API}/reports/shelters/{world.adult.id}/monthly",
        params={"month": month},
        headers=world.manager.headers,
    )
    assert report.status_code == 200, report.text
    assert (report.json()["admissions"], report.json()["discharges"]) == (1, 1)


async def test_a_case_is_closed_after_the_exits_it_closes(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = await admitted_stay(client, world)
    await client.post(
        f"{API}/shelter-stays/{stay['id']}/discharge",
        json=discharge_body(world.today),
        headers=world.worker.headers,
    )
    before = (world.today - timedelta(days=1)).isoformat()
    problem = expect_problem(await close(client, world, closed_on=before), 422, "validation_error")
    assert problem["errors"][0]["loc"] == ["body", "closed_on"]
    assert (await close(client, world, closed_on=world.today.isoformat())).status_code == 200


@pytest.mark.parametrize(
    ("reason", "needed"),
    [("reintegrated", True), ("transferred", True), ("lost_contact", False), ("deceased", False)],
)
async def test_closure_records_the_exit_information_when_the_person_is_there_to_get_it(
    client: httpx.AsyncClient, world: ShelterWorld, reason: str, needed: bool
) -> None:
    answer = await close(client, world, reason=reason, exit_information=None)
    if needed:
        expect_problem(answer, 422, "rule_violation", "MAN-EXIT")
        expect_problem(
            await close(client, world, reason=reason, exit_information="   "),
            422,
            "validation_error",
        )
    else:
        assert answer.status_code == 200, answer.text
