"""Intake at the shelter (MAN 3.0): the staff's primary interview before admission
(MAN-PRIMARY-INTERVIEW), the coordinator's status identification interview, and where the
person came from."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.domain.access import Role
from app.models import Victim
from tests.api.shelter_world import (
    API,
    PRIMARY_INTERVIEW,
    ShelterWorld,
    build_shelter_world,
    propose,
    shared_with,
)
from tests.factories import Actor, Actors
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    return await build_shelter_world(actors)


def interview(victim: Victim, kind: str = "primary_interview", **overrides: Any) -> dict[str, Any]:
    findings: dict[str, Any] = PRIMARY_INTERVIEW
    if kind == "status_identification":
        findings = {
            "summary": "Found at the border.",
            "needs": ["shelter"],
            "status_confirmed": True,
        }
    body = {
        "victim_id": str(victim.id),
        "kind": kind,
        "performed_on": datetime.now(UTC).date().isoformat(),
        "findings": findings,
    }
    return body | overrides


async def interviewed_by(
    client: httpx.AsyncClient, actor: Actor, body: dict[str, Any]
) -> httpx.Response:
    made = await client.post(f"{API}/assessments", json=body, headers=actor.headers)
    if made.status_code != 201:
        return made
    return await client.post(
        f"{API}/assessments/{made.json()['id']}/complete", json={}, headers=actor.headers
    )


async def newcomer(actors: Actors, world: ShelterWorld) -> Victim:
    """A person of the shelter's NGO whom nobody has interviewed yet."""
    return await actors.victim(world.runner)


# --- who interviews ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "kind", "allowed"),
    [
        (Role.SOCIAL_WORKER, "primary_interview", True),
        (Role.PSYCHOLOGIST, "primary_interview", True),
        (Role.MEDICAL_OFFICER, "primary_interview", False),
        (Role.SHELTER_MANAGER, "primary_interview", False),
        (Role.COORDINATOR, "primary_interview", False),
        (Role.COORDINATOR, "status_identification", True),
        (Role.SOCIAL_WORKER, "status_identification", False),
        (Role.PSYCHOLOGIST, "status_identification", False),
    ],
)
async def test_who_records_which_interview(
    client: httpx.AsyncClient,
    actors: Actors,
    world: ShelterWorld,
    role: Role,
    kind: str,
    allowed: bool,
) -> None:
    caller = await actors.user(role, None if role is Role.COORDINATOR else world.runner)
    person = await newcomer(actors, world)
    answer = await interviewed_by(client, caller, interview(person, kind))
    if allowed:
        assert answer.status_code == 200, answer.text
        assert (answer.json()["kind"], answer.json()["status"]) == (kind, "completed")
    else:
        expect_problem(answer, 403, "forbidden")


async def test_an_interview_has_the_findings_of_its_kind(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    person = await newcomer(actors, world)
    needs_only = {"summary": "Needs a bed.", "needs": ["bed"]}
    for findings in (needs_only, {**PRIMARY_INTERVIEW, "safe": "maybe"}):
        expect_problem(
            await client.post(
                f"{API}/assessments",
                json=interview(person, findings=findings),
                headers=world.worker.headers,
            ),
            422,
            "validation_error",
        )
    made = await client.post(
        f"{API}/assessments", json=interview(person), headers=world.worker.headers
    )
    assert made.json()["findings"] == PRIMARY_INTERVIEW
    # the coordinator (no longer unable to record any interview) reads it, findings and all
    read = await client.get(
        f"{API}/assessments/{made.json()['id']}", headers=world.coordinator.headers
    )
    assert (read.json()["findings"], read.json()["findings_withheld"]) == (PRIMARY_INTERVIEW, False)


# --- MAN-PRIMARY-INTERVIEW at admission --------------------------------------------------------


async def admit(client: httpx.AsyncClient, world: ShelterWorld, stay_id: str, **body: Any) -> Any:
    return await client.post(
        f"{API}/shelter-stays/{stay_id}/admit", json=body, headers=world.coordinator.headers
    )


async def test_no_admission_without_the_primary_interview(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    person = await newcomer(actors, world)
    stay = (await propose(client, world, victim=person)).json()
    expect_problem(
        await admit(client, world, stay["id"]), 422, "rule_violation", "MAN-PRIMARY-INTERVIEW"
    )
    unchanged = await client.get(f"{API}/shelter-stays/{stay['id']}", headers=world.worker.headers)
    assert unchanged.json()["status"] == "proposed"

    # a draft is not an interview done
    draft = await client.post(
        f"{API}/assessments", json=interview(person), headers=world.worker.headers
    )
    expect_problem(
        await admit(client, world, stay["id"]), 422, "rule_violation", "MAN-PRIMARY-INTERVIEW"
    )
    done = await client.post(
        f"{API}/assessments/{draft.json()['id']}/complete",
        json={"performed_on": world.today.isoformat()},
        headers=world.worker.headers,
    )
    assert done.status_code == 200, done.text
    assert (await admit(client, world, stay["id"])).json()["status"] == "admitted"


async def test_the_interview_is_the_shelters_own(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    """A person referred to the shelter by a partner NGO, which interviewed her: the shelter's
    own staff interview her before admission all the same."""
    person = await actors.victim(world.outsider)
    await shared_with(actors, world, person)
    theirs = await interviewed_by(client, world.outside_worker, interview(person))
    assert theirs.status_code == 200, theirs.text
    stay = (await propose(client, world, victim=person, source="partner_ngo")).json()
    expect_problem(
        await admit(client, world, stay["id"]), 422, "rule_violation", "MAN-PRIMARY-INTERVIEW"
    )
    ours = await interviewed_by(client, world.psychologist, interview(person))
    assert ours.status_code == 200, ours.text
    assert (await admit(client, world, stay["id"])).status_code == 200


async def test_an_admission_entered_late_needs_an_interview_by_that_day(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    person = await newcomer(actors, world)
    last_week = world.today - timedelta(days=7)
    stay = (await propose(client, world, victim=person, proposed_on=last_week.isoformat())).json()
    await interviewed_by(
        client, world.worker, interview(person, performed_on=world.today.isoformat())
    )
    expect_problem(
        await admit(client, world, stay["id"], admitted_on=last_week.isoformat()),
        422,
        "rule_violation",
        "MAN-PRIMARY-INTERVIEW",
    )
    await interviewed_by(
        client, world.worker, interview(person, performed_on=last_week.isoformat())
    )
    admitted = await admit(client, world, stay["id"], admitted_on=last_week.isoformat())
    assert admitted.status_code == 200, admitted.text
    assert admitted.json()["admitted_on"] == last_week.isoformat()


# --- where the person came from (MAN 3.0.1) ----------------------------------------------------


@pytest.mark.parametrize(
    "source", ["ngo_coordinator", "law_enforcement", "scme", "partner_ngo", "self", "other"]
)
async def test_a_stay_records_who_told_the_shelter(
    client: httpx.AsyncClient, world: ShelterWorld, source: str
) -> None:
    made = await propose(client, world, source=source)
    assert made.status_code == 201, made.text
    assert made.json()["source"] == source


async def test_a_stay_names_its_source(client: httpx.AsyncClient, world: ShelterWorld) -> None:
    for wrong in ({"source": None}, {"source": "rumour"}):
        expect_problem(await propose(client, world, **wrong), 422, "validation_error")
