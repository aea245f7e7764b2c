"""Micro-enterprises (MAN-MICRO-ENTERPRISE), returns (MAN-RETURN) and the person's
reintegration in one read, over HTTP: each condition broken and kept, the steps in order, the
equipment line after both trainings, the arrival's follow-up contact and worklist item."""

from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.domain.vocabulary import OrganisationKind
from app.models import Organisation, Victim
from tests.factories import Actor, Actors
from tests.helpers import expect_problem

API = "/api/v1"
CANDIDACY = {
    "work_experience": "Two seasons at a market stall",
    "education": "Secondary school",
    "skills": "Sewing, bookkeeping basics",
    "business_oriented": True,
}


@pytest.fixture
async def ngo(actors: Actors) -> Organisation:
    return await actors.organisation(OrganisationKind.NGO)


@pytest.fixture
async def manager(actors: Actors, ngo: Organisation) -> Actor:
    return await actors.user(Role.SHELTER_MANAGER, ngo)


@pytest.fixture
async def worker(actors: Actors, ngo: Organisation) -> Actor:
    return await actors.user(Role.SOCIAL_WORKER, ngo)


@pytest.fixture
async def person(actors: Actors, ngo: Organisation) -> Victim:
    return await actors.victim(ngo, identified_on=date(2025, 12, 1))


async def candidacy(
    client: httpx.AsyncClient, person: Victim, by: Actor, decision: str, *, complete: bool = True
) -> str:
    """The expert group's business_candidacy assessment, through the API."""
    made = await client.post(
        f"{API}/assessments",
        json={
            "victim_id": str(person.id),
            "kind": "business_candidacy",
            "findings": CANDIDACY | {"decision": decision},
        },
        headers=by.headers,
    )
    assert made.status_code == 201, made.text
    if complete:
        done = await client.post(
            f"{API}/assessments/{made.json()['id']}/complete",
            json={"performed_on": "2026-01-05"},
            headers=by.headers,
        )
        assert done.status_code == 200, done.text
    return str(made.json()["id"])


async def opened(client: httpx.AsyncClient, person: Victim, by: Actor) -> dict[str, Any]:
    assessment = await candidacy(client, person, by, "approved")
    made = await client.post(
        f"{API}/micro-enterprises",
        json={
            "victim_id": str(person.id),
            "candidacy_assessment_id": assessment,
            "business": "Tailoring workshop",
        },
        headers=by.headers,
    )
    assert made.status_code == 201, made.text
    return made.json()  # type: ignore[no-any-return]


def step(name: str, done_on: str) -> dict[str, str]:
    return {"step": name, "done_on": done_on}


def equipment_grant(person: Victim, ngo: Organisation, enterprise_id: str) -> dict[str, Any]:
    return {
        "victim_id": str(person.id),
        "form": "blue",
        "ngo_organisation_id": str(ngo.id),
        "period_start": "2026-02-01",
        "period_end": "2026-02-28",
        "lines": [
            {"category": "equipment", "amount": "3000.00", "micro_enterprise_id": enterprise_id}
        ],
    }


# --- the business candidacy assessment ------------------------------------------------------------


async def test_the_expert_groups_candidacy_has_its_findings(
    client: httpx.AsyncClient, person: Victim, worker: Actor
) -> None:
    answer = await client.post(
        f"{API}/assessments",
        json={"victim_id": str(person.id), "kind": "business_candidacy", "findings": CANDIDACY},
        headers=worker.headers,
    )
    expect_problem(answer, 422, "validation_error")  # the decision is part of it
    assert await candidacy(client, person, worker, "declined")


# --- micro-enterprises ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "complete"), [("declined", True), ("approved", False)], ids=["declined", "draft"]
)
async def test_a_micro_enterprise_rests_on_an_approved_completed_candidacy(
    client: httpx.AsyncClient,
    actors: Actors,
    person: Victim,
    worker: Actor,
    decision: str,
    complete: bool,
) -> None:
    assessment = await candidacy(client, person, worker, decision, complete=complete)
    body = {
        "victim_id": str(person.id),
        "candidacy_assessment_id": assessment,
        "business": "Bakery",
    }
    answer = await client.post(f"{API}/micro-enterprises", json=body, headers=worker.headers)
    expect_problem(answer, 422, "rule_violation", "MAN-MICRO-ENTERPRISE")
    listed = await client.get(f"{API}/micro-enterprises", headers=worker.headers)
    assert listed.json()["items"] == []
    coordinator = await actors.user(Role.COORDINATOR)
    trail = await client.get(
        f"{API}/audit-events",
        params={"action": "refuse", "victim_id": str(person.id)},
        headers=coordinator.headers,
    )
    assert [e["record_type"] for e in trail.json()["items"]] == ["micro_enterprise"]


async def test_another_persons_candidacy_opens_nothing(
    client: httpx.AsyncClient, actors: Actors, ngo: Organisation, person: Victim, worker: Actor
) -> None:
    other = await actors.victim(ngo)
    assessment = await candidacy(client, other, worker, "approved")
    body = {
        "victim_id": str(person.id),
        "candidacy_assessment_id": assessment,
        "business": "Bakery",
    }
    answer = await client.post(f"{API}/micro-enterprises", json=body, headers=worker.headers)
    expect_problem(answer, 422, "rule_violation", "MAN-MICRO-ENTERPRISE")


async def test_the_four_steps_in_order_with_the_equipment_after_both_trainings(
    client: httpx.AsyncClient,
    actors: Actors,
    ngo: Organisation,
    person: Victim,
    manager: Actor,
) -> None:
    enterprise = await opened(client, person, manager)
    assert (enterprise["status"], enterprise["next_step"], enterprise["steps"]) == (
        "in_progress",
        "business_plan_training",
        [],
    )
    steps = f"{API}/micro-enterprises/{enterprise['id']}/steps"
    grants = f"{API}/reintegration-grants"

    skipped = await client.post(
        steps, json=step("management_training", "2026-01-10"), headers=manager.headers
    )
    expect_problem(skipped, 422, "rule_violation", "MAN-MICRO-ENTERPRISE")
    early = await client.post(
        grants, json=equipment_grant(person, ngo, enterprise["id"]), headers=manager.headers
    )
    expect_problem(early, 422, "rule_violation", "MAN-MICRO-ENTERPRISE")  # no training yet

    first = await client.post(
        steps, json=step("business_plan_training", "2026-01-10"), headers=manager.headers
    )
    assert first.json()["next_step"] == "management_training", first.text
    assert first.json()["version"] == enterprise["version"] + 1  # each step a new version
    again = await client.post(
        steps, json=step("business_plan_training", "2026-01-11"), headers=manager.headers
    )
    expect_problem(again, 422, "rule_violation", "MAN-MICRO-ENTERPRISE")
    before = await client.post(
        steps, json=step("management_training", "2026-01-09"), headers=manager.headers
    )
    expect_problem(before, 422, "validation_error")  # on or after the step before
    half = await client.post(
        grants, json=equipment_grant(person, ngo, enterprise["id"]), headers=manager.headers
    )
    expect_problem(half, 422, "rule_violation", "MAN-MICRO-ENTERPRISE")  # one training of two
    second = await client.post(
        steps, json=step("management_training", "2026-01-20"), headers=manager.headers
    )
    assert second.json()["next_step"] == "in_kind_grant", second.text

    not_yet = await client.post(
        steps, json=step("in_kind_grant", "2026-01-25"), headers=manager.headers
    )
    expect_problem(not_yet, 422, "rule_violation", "MAN-MICRO-ENTERPRISE")  # no approved grant
    drafted = await client.post(
        grants, json=equipment_grant(person, ngo, enterprise["id"]), headers=manager.headers
    )
    assert drafted.status_code == 201, drafted.text
    grant_url = f"{grants}/{drafted.json()['id']}"
    await client.post(f"{grant_url}/submit", headers=manager.headers)
    coordinator = await actors.user(Role.COORDINATOR)
    approved = await client.post(f"{grant_url}/approve", json={}, headers=coordinator.headers)
    assert approved.json()["status"] == "approved", approved.text

    granted = await client.post(
        steps,
        json=step("in_kind_grant", "2026-02-01") | {"notes": "Sewing machine delivered"},
        headers=manager.headers,
    )
    assert granted.json()["next_step"] == "evaluation", granted.text
    evaluated = await client.post(
        steps, json=step("evaluation", "2026-06-01"), headers=manager.headers
    )
    assert (evaluated.json()["status"], evaluated.json()["next_step"]) == ("evaluated", None)
    assert [s["step"] for s in evaluated.json()["steps"]] == [
        "business_plan_training",
        "management_training",
        "in_kind_grant",
        "evaluation",
    ]
    done = await client.post(steps, json=step("evaluation", "2026-06-02"), headers=manager.headers)
    expect_problem(done, 422, "rule_violation", "MAN-MICRO-ENTERPRISE")
    read = await client.get(f"{API}/micro-enterprises/{enterprise['id']}", headers=manager.headers)
    assert (read.json()["version"], len(read.json()["steps"])) == (evaluated.json()["version"], 4)


async def test_only_the_keeping_organisation_records_steps_and_others_see_nothing(
    client: httpx.AsyncClient, actors: Actors, ngo: Organisation, person: Victim, manager: Actor
) -> None:
    enterprise = await opened(client, person, manager)
    url = f"{API}/micro-enterprises/{enterprise['id']}"
    outsider = await actors.user(Role.SHELTER_MANAGER)
    expect_problem(await client.get(url, headers=outsider.headers), 404, "not_found")
    legal = await actors.user(Role.LEGAL_COUNSELLOR, ngo)
    assert (await client.get(url, headers=legal.headers)).status_code == 200
    refused = await client.post(
        f"{url}/steps", json=step("business_plan_training", "2026-01-10"), headers=legal.headers
    )
    expect_problem(refused, 403, "forbidden")
    future = await client.post(
        f"{url}/steps",
        json=step("business_plan_training", (actors.clock.today() + timedelta(days=1)).isoformat()),
        headers=manager.headers,
    )
    expect_problem(future, 422, "validation_error")


# --- returns --------------------------------------------------------------------------------------


def journey(person: Victim, **changes: Any) -> dict[str, Any]:
    return {
        "victim_id": str(person.id),
        "kind": "return_home",
        "decided_by_person": True,
        "destination": "Naryn region",
        "travel_documents": "needed",
        "escort": True,
        "meeting_at_arrival": True,
        "planned_on": "2026-03-01",
    } | changes


@pytest.mark.parametrize("decision", [{"decided_by_person": False}, {"decided_by_person": None}])
async def test_a_return_is_the_persons_decision(
    client: httpx.AsyncClient, person: Victim, worker: Actor, decision: dict[str, Any]
) -> None:
    answer = await client.post(
        f"{API}/returns", json=journey(person, **decision), headers=worker.headers
    )
    expect_problem(answer, 422, "rule_violation", "MAN-RETURN")
    assert (await client.get(f"{API}/returns", headers=worker.headers)).json()["items"] == []


async def test_a_family_reunification_needs_consent_and_a_family_risk_assessment(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor
) -> None:
    body = journey(person, kind="family_reunification")
    no_consent = await client.post(f"{API}/returns", json=body, headers=worker.headers)
    expect_problem(no_consent, 422, "consent_required", "SOP-FAMILY")
    await actors.consent(person, ConsentPurpose.FAMILY_INVOLVEMENT)
    unassessed = await client.post(f"{API}/returns", json=body, headers=worker.headers)
    expect_problem(unassessed, 422, "rule_violation", "SOP-FAMILY")
    risk = await client.post(
        f"{API}/assessments",
        json={
            "victim_id": str(person.id),
            "kind": "family_risk",
            "findings": {
                "family_involved_in_trafficking": False,
                "other_violence": False,
                "witnessed_violence": False,
                "blame_or_rejection_risk": False,
                "competent_to_support": True,
                "minimum_financial_means": True,
            },
        },
        headers=worker.headers,
    )
    await client.post(
        f"{API}/assessments/{risk.json()['id']}/complete",
        json={"performed_on": "2026-01-05"},
        headers=worker.headers,
    )
    planned = await client.post(f"{API}/returns", json=body, headers=worker.headers)
    assert planned.status_code == 201, planned.text
    assert planned.json()["kind"] == "family_reunification"


async def test_a_return_travels_with_its_documents_and_its_arrival_arranges_the_follow_up(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor
) -> None:
    today = actors.clock.today()
    planned = await client.post(
        f"{API}/returns",
        json=journey(person, planned_on=(today + timedelta(days=3)).isoformat()),
        headers=worker.headers,
    )
    assert planned.status_code == 201, planned.text
    url = planned.headers["Location"]
    on_day = {"on": today.isoformat()}

    worklist = (await client.get(f"{API}/worklist", headers=worker.headers)).json()["items"]
    assert [
        (i["kind"], i["rule"], i["record_id"]) for i in worklist if i["kind"] == "return_arrival"
    ] == [("return_arrival", "MAN-RETURN", planned.json()["id"])]
    without = await client.post(f"{url}/depart", json=on_day, headers=worker.headers)
    expect_problem(without, 422, "rule_violation", "MAN-RETURN")
    early = await client.post(f"{url}/arrive", json=on_day, headers=worker.headers)
    expect_problem(early, 409, "invalid_transition")

    changed = await client.patch(
        url, json={"travel_documents": "obtained"}, headers=worker.headers | {"If-Match": '"1"'}
    )
    assert changed.json()["travel_documents"] == "obtained", changed.text
    stale = await client.patch(
        url, json={"escort": False}, headers=worker.headers | {"If-Match": '"1"'}
    )
    expect_problem(stale, 412, "version_mismatch")
    departed = await client.post(f"{url}/depart", json=on_day, headers=worker.headers)
    assert (departed.json()["status"], departed.json()["departed_on"]) == (
        "travelling",
        on_day["on"],
    )
    moved = await client.patch(url, json={"escort": False}, headers=worker.headers)
    expect_problem(moved, 409, "invalid_transition")  # the plan holds once the person left
    cancelled = await client.post(
        f"{url}/cancel", json=on_day | {"reason": "x"}, headers=worker.headers
    )
    expect_problem(cancelled, 409, "invalid_transition")

    arrived = await client.post(f"{url}/arrive", json=on_day, headers=worker.headers)
    assert arrived.json()["status"] == "arrived", arrived.text
    follow_ups = await client.get(
        f"{API}/follow-up-contacts", params={"victim_id": str(person.id)}, headers=worker.headers
    )
    assert [(f["trigger"], f["return_id"]) for f in follow_ups.json()["items"]] == [
        ("returned", planned.json()["id"])
    ]
    worklist = (await client.get(f"{API}/worklist", headers=worker.headers)).json()["items"]
    assert "return_arrival" not in {i["kind"] for i in worklist}


async def test_a_cancelled_return_names_its_reason_and_others_neither_see_nor_move_it(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor
) -> None:
    planned = await client.post(f"{API}/returns", json=journey(person), headers=worker.headers)
    url = planned.headers["Location"]
    outsider = await actors.user(Role.SOCIAL_WORKER)
    expect_problem(await client.get(url, headers=outsider.headers), 404, "not_found")
    coordinator = await actors.user(Role.COORDINATOR)
    refused = await client.post(
        f"{url}/cancel", json={"on": "2026-01-10", "reason": "x"}, headers=coordinator.headers
    )
    expect_problem(refused, 403, "forbidden")  # the arranging organisation records it
    today = actors.clock.today().isoformat()
    unexplained = await client.post(f"{url}/cancel", json={"on": today}, headers=worker.headers)
    expect_problem(unexplained, 422, "validation_error")
    cancelled = await client.post(
        f"{url}/cancel",
        json={"on": today, "reason": "The person changed their mind."},
        headers=worker.headers,
    )
    assert (cancelled.json()["status"], cancelled.json()["cancel_reason"]) == (
        "cancelled",
        "The person changed their mind.",
    )


# --- the person's reintegration in one read -------------------------------------------------------


async def test_the_reintegration_in_one_read_with_what_is_committed_per_line(
    client: httpx.AsyncClient, actors: Actors, ngo: Organisation, person: Victim, manager: Actor
) -> None:
    enterprise = await opened(client, person, manager)
    steps = f"{API}/micro-enterprises/{enterprise['id']}/steps"
    for name, day in (
        ("business_plan_training", "2026-01-10"),
        ("management_training", "2026-01-20"),
    ):
        await client.post(steps, json=step(name, day), headers=manager.headers)
    grants = f"{API}/reintegration-grants"
    body = equipment_grant(person, ngo, enterprise["id"])
    body["lines"][0]["amount"] = "1000.00"
    made = await client.post(grants, json=body, headers=manager.headers)
    assert made.status_code == 201, made.text
    await client.post(f"{grants}/{made.json()['id']}/submit", headers=manager.headers)
    draft = await client.post(grants, json=body, headers=manager.headers)  # drafts count nothing
    assert draft.status_code == 201
    await client.post(f"{API}/returns", json=journey(person), headers=manager.headers)
    await client.post(
        f"{API}/victims/{person.id}/identity-documents",
        json={"kind": "internal_id"},
        headers=manager.headers,
    )

    read = await client.get(f"{API}/victims/{person.id}/reintegration", headers=manager.headers)
    assert read.status_code == 200, read.text
    view = read.json()
    assert [e["id"] for e in view["micro_enterprises"]] == [enterprise["id"]]
    assert view["micro_enterprises"][0]["next_step"] == "in_kind_grant"
    assert [r["destination"] for r in view["returns"]] == ["Naryn region"]
    assert [d["kind"] for d in view["identity_documents"]] == ["internal_id"]
    assert len(view["grants"]) == 2 and view["withheld"] == []
    assert view["committed"] == [
        {
            "form": "blue",
            "category": "equipment",
            "start": "2026-02-01",
            "end": "2026-02-28",
            "committed": "1000.00",
            "ceiling": "3000.00",
            "left": "2000.00",
            "grant_ids": [made.json()["id"]],
        }
    ]

    psychologist = await actors.user(Role.PSYCHOLOGIST, ngo)
    theirs = (
        await client.get(f"{API}/victims/{person.id}/reintegration", headers=psychologist.headers)
    ).json()
    assert (theirs["grants"], theirs["committed"], theirs["withheld"]) == ([], [], ["grants"])
    outsider = await actors.user(Role.SHELTER_MANAGER)
    hidden = await client.get(f"{API}/victims/{person.id}/reintegration", headers=outsider.headers)
    expect_problem(hidden, 404, "not_found")
    exported = (
        await client.get(f"{API}/victims/{person.id}/export", headers=manager.headers)
    ).json()
    assert [len(e["steps"]) for e in exported["micro_enterprises"]] == [2]
    assert [r["kind"] for r in exported["returns"]] == ["return_home"]
