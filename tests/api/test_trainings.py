"""Vocational trainings over HTTP (MAN-TRAINING): each condition broken and kept, the steps,
the worklist item near the end, and the refusal audited with nothing written."""

from datetime import timedelta
from typing import Any
from uuid import uuid4

import httpx
import pytest

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus, CarePlanKind, CarePlanStatus
from app.domain.vocabulary import OrganisationKind
from app.models import Assessment, CarePlan, Organisation, Victim
from tests.factories import Actor, Actors
from tests.helpers import expect_problem

API = "/api/v1"


@pytest.fixture
async def ngo(actors: Actors) -> Organisation:
    return await actors.organisation(OrganisationKind.NGO)


@pytest.fixture
async def worker(actors: Actors, ngo: Organisation) -> Actor:
    return await actors.user(Role.SOCIAL_WORKER, ngo)


@pytest.fixture
async def person(actors: Actors, ngo: Organisation) -> Victim:
    return await actors.victim(ngo)


async def _assessment(
    actors: Actors, person: Victim, worker: Actor, status: AssessmentStatus, kind: AssessmentKind
) -> Assessment:
    return await actors.add(  # type: ignore[no-any-return]
        Assessment(
            victim_id=person.id,
            kind=kind,
            status=status,
            organisation_id=person.organisation_id,
            author_id=worker.id,
            author_role=Role.SOCIAL_WORKER,
            performed_on=actors.clock.today(),
            rulebook_version="kg-2026.1",
        )
    )


@pytest.fixture
async def assessed(actors: Actors, person: Victim, worker: Actor) -> Assessment:
    return await _assessment(
        actors, person, worker, AssessmentStatus.COMPLETED, AssessmentKind.REINTEGRATION
    )


def body(person: Victim, assessment: Assessment, actors: Actors, **changes: Any) -> dict[str, Any]:
    today = actors.clock.today()
    return {
        "victim_id": str(person.id),
        "course": "Tailoring",
        "provider_organisation_id": str(person.organisation_id),
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=60)).isoformat(),
        "chosen_by_person": True,
        "assessment_id": str(assessment.id),
    } | changes


async def test_a_training_the_person_chose_on_their_reintegration_assessment(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor, assessed: Assessment
) -> None:
    made = await client.post(
        f"{API}/trainings", json=body(person, assessed, actors), headers=worker.headers
    )
    assert made.status_code == 201, made.text
    assert (made.json()["status"], made.json()["chosen_by_person"]) == ("planned", True)


@pytest.mark.parametrize("choice", [{"chosen_by_person": False}, {"chosen_by_person": None}])
async def test_a_training_not_chosen_by_the_person_is_refused_and_audited(
    client: httpx.AsyncClient,
    actors: Actors,
    person: Victim,
    worker: Actor,
    assessed: Assessment,
    choice: dict[str, Any],
) -> None:
    coordinator = await actors.user(Role.COORDINATOR)
    answer = await client.post(
        f"{API}/trainings", json=body(person, assessed, actors, **choice), headers=worker.headers
    )
    expect_problem(answer, 422, "rule_violation", "MAN-TRAINING")
    listed = await client.get(f"{API}/trainings", headers=worker.headers)
    assert listed.json()["items"] == []
    trail = await client.get(
        f"{API}/audit-events",
        params={"action": "refuse", "victim_id": str(person.id)},
        headers=coordinator.headers,
    )
    assert [e["record_type"] for e in trail.json()["items"]] == ["training"]


async def test_a_training_rests_on_a_completed_reintegration_assessment(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor
) -> None:
    for status, kind in (
        (AssessmentStatus.DRAFT, AssessmentKind.REINTEGRATION),
        (AssessmentStatus.COMPLETED, AssessmentKind.INDIVIDUAL_NEEDS),
    ):
        other = await _assessment(actors, person, worker, status, kind)
        answer = await client.post(
            f"{API}/trainings", json=body(person, other, actors), headers=worker.headers
        )
        expect_problem(answer, 422, "rule_violation", "MAN-TRAINING")


async def test_a_training_meets_a_need_of_the_reintegration_plan(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor, assessed: Assessment
) -> None:
    plan = await actors.add(
        CarePlan(
            victim_id=person.id,
            assessment_id=assessed.id,
            organisation_id=person.organisation_id,
            kind=CarePlanKind.REINTEGRATION,
            planned_months=6,
            status=CarePlanStatus.ACTIVE,
            activated_on=actors.clock.today(),
            created_by=worker.id,
            rulebook_version="kg-2026.1",
        )
    )
    unnamed = await client.post(
        f"{API}/trainings", json=body(person, assessed, actors), headers=worker.headers
    )
    expect_problem(unnamed, 422, "rule_violation", "MAN-TRAINING")
    named = await client.post(
        f"{API}/trainings",
        json=body(person, assessed, actors, care_plan_id=str(plan.id)),
        headers=worker.headers,
    )
    assert named.status_code == 201, named.text


async def test_a_training_names_no_plan_but_the_persons_own(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor, assessed: Assessment
) -> None:
    """Regression: another person's plan was accepted, and an unknown plan id answered 409."""
    other = await actors.victim(await actors.organisation_of(person.organisation_id))
    theirs = await actors.add(
        CarePlan(
            victim_id=other.id,
            assessment_id=assessed.id,
            organisation_id=person.organisation_id,
            kind=CarePlanKind.REINTEGRATION,
            planned_months=6,
            status=CarePlanStatus.ACTIVE,
            activated_on=actors.clock.today(),
            created_by=worker.id,
            rulebook_version="kg-2026.1",
        )
    )
    for plan_id in (theirs.id, uuid4()):
        answer = await client.post(
            f"{API}/trainings",
            json=body(person, assessed, actors, care_plan_id=str(plan_id)),
            headers=worker.headers,
        )
        expect_problem(answer, 422, "rule_violation", "MAN-TRAINING")


async def test_a_training_is_started_completed_and_on_the_worklist_near_its_end(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor, assessed: Assessment
) -> None:
    today = actors.clock.today()
    soon = (today + timedelta(days=10)).isoformat()
    made = await client.post(
        f"{API}/trainings",
        json=body(person, assessed, actors, ends_on=soon),
        headers=worker.headers,
    )
    url = f"{API}/trainings/{made.json()['id']}"
    on = {"on": today.isoformat()}
    expect_problem(
        await client.post(f"{url}/complete", json=on, headers=worker.headers),
        409,
        "invalid_transition",
    )
    started = await client.post(f"{url}/start", json=on, headers=worker.headers)
    assert started.json()["status"] == "in_progress"
    items = (await client.get(f"{API}/worklist", headers=worker.headers)).json()["items"]
    assert [(i["kind"], i["record_id"], i["rule"], i["due_on"]) for i in items] == [
        ("training_ending", made.json()["id"], "MAN-TRAINING", soon)
    ]
    completed = await client.post(f"{url}/complete", json=on, headers=worker.headers)
    assert completed.json()["status"] == "completed"
    assert (await client.get(f"{API}/worklist", headers=worker.headers)).json()["items"] == []


async def test_only_the_organisation_that_arranged_it_records_its_steps(
    client: httpx.AsyncClient, actors: Actors, person: Victim, worker: Actor, assessed: Assessment
) -> None:
    made = await client.post(
        f"{API}/trainings", json=body(person, assessed, actors), headers=worker.headers
    )
    coordinator = await actors.user(Role.COORDINATOR)
    url = f"{API}/trainings/{made.json()['id']}/start"
    on = {"on": actors.clock.today().isoformat()}
    expect_problem(await client.post(url, json=on, headers=coordinator.headers), 403, "forbidden")
    outsider = await actors.user(Role.SOCIAL_WORKER)
    expect_problem(await client.post(url, json=on, headers=outsider.headers), 404, "not_found")
