"""Shelters over HTTP: creation within the manual's capacity, the confidential address, the
occupancy, and the visitor log (MAN-CAPACITY, MAN-CONFIDENTIAL-LOCATION, MAN-VISITORS)."""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from app.domain.access import Role
from app.domain.vocabulary import OrganisationKind
from tests.api.shelter_world import (
    ADDRESS,
    API,
    ShelterWorld,
    admitted_stay,
    build_shelter_world,
    propose,
    resident,
)
from tests.factories import Actors
from tests.helpers import expect_problem

CONTRACT = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    return await build_shelter_world(actors)


@pytest.mark.parametrize(
    ("kind", "capacity", "ok"),
    [("adult", 10, True), ("adult", 11, False), ("children", 16, True), ("children", 17, False)],
)
async def test_the_coordinator_creates_shelters_within_the_manuals_capacity(
    client: httpx.AsyncClient, world: ShelterWorld, kind: str, capacity: int, ok: bool
) -> None:
    body = {
        "name": f"{kind} {capacity}",
        "organisation_id": str(world.runner.id),
        "kind": kind,
        "capacity": capacity,
        "address": "1 Any Street",
    }
    answer = await client.post(f"{API}/shelters", json=body, headers=world.coordinator.headers)
    if ok:
        assert answer.status_code == 201, answer.text
        assert answer.json()["address"] == "1 Any Street"
    else:
        problem = expect_problem(answer, 422, "rule_violation", "MAN-CAPACITY")
        assert problem["max_capacity"] == (10 if kind == "adult" else 16)


@pytest.mark.parametrize(
    "role", [r for r in Role if r is not Role.COORDINATOR], ids=lambda r: r.value
)
async def test_only_the_coordinator_creates_shelters(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, role: Role
) -> None:
    caller = await actors.caller(role)
    body = {
        "name": "x",
        "organisation_id": str(world.runner.id),
        "kind": "adult",
        "capacity": 5,
        "address": "a",
    }
    expect_problem(
        await client.post(f"{API}/shelters", json=body, headers=caller.headers), 403, "forbidden"
    )


# --- MAN-CONFIDENTIAL-LOCATION ---------------------------------------------------------------


async def test_the_address_is_shown_to_the_coordinator_and_the_running_staff_only(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    url = f"{API}/shelters/{world.adult.id}"
    for insider in (
        world.coordinator,
        world.manager,
        world.worker,
        world.psychologist,
        world.medic,
    ):
        shown = (await client.get(url, headers=insider.headers)).json()
        assert shown["address"] == ADDRESS
        listed = (await client.get(f"{API}/shelters", headers=insider.headers)).json()["items"]
        assert ADDRESS in json.dumps(listed)
    lawyer = await actors.user(Role.LEGAL_COUNSELLOR, world.outsider)
    for outsider in (world.outside_worker, world.outside_manager, lawyer):
        shown = await client.get(url, headers=outsider.headers)
        assert shown.status_code == 200
        assert shown.json()["view"] == "public"
        assert "address" not in shown.json()
        listed = await client.get(f"{API}/shelters", headers=outsider.headers)
        assert ADDRESS not in listed.text and "Hidden Road" not in listed.text
        assert {s["view"] for s in listed.json()["items"]} == {"public"}


@pytest.mark.parametrize(
    "role", [Role.ADMIN, Role.AUDITOR, Role.PARTNER_SYSTEM, Role.SCME_SYSTEM], ids=lambda r: r.value
)
async def test_roles_outside_case_work_do_not_see_shelters(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, role: Role
) -> None:
    caller = await actors.caller(role)
    expect_problem(await client.get(f"{API}/shelters", headers=caller.headers), 403, "forbidden")
    expect_problem(
        await client.get(f"{API}/shelters/{world.adult.id}", headers=caller.headers),
        403,
        "forbidden",
    )


async def test_the_address_is_in_no_example_of_the_contract() -> None:
    contract = json.loads(CONTRACT.read_text())
    shelter = contract["components"]["schemas"]["ShelterCreate"]["properties"]["address"]
    assert shelter["examples"] == ["(confidential)"]
    public = contract["components"]["schemas"]["ShelterPublicRead"]["properties"]
    assert "address" not in public


async def test_a_stay_does_not_carry_the_address(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = await admitted_stay(client, world)
    for reader in (world.worker, world.coordinator):
        shown = await client.get(f"{API}/shelter-stays/{stay['id']}", headers=reader.headers)
        assert ADDRESS not in shown.text
    export = await client.get(
        f"{API}/victims/{world.woman.id}/export", headers=world.worker.headers
    )
    assert export.json()["shelter_stays"][0]["id"] == stay["id"]
    assert ADDRESS not in export.text


# --- occupancy and capacity changes ------------------------------------------------------------


async def test_occupancy_counts_residents_and_proposals(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    await admitted_stay(client, world)
    other = await resident(actors, world)
    assert (await propose(client, world, victim=other)).status_code == 201
    occupancy = (
        await client.get(
            f"{API}/shelters/{world.adult.id}/occupancy", headers=world.outside_worker.headers
        )
    ).json()
    assert occupancy == {
        "shelter_id": str(world.adult.id),
        "capacity": 2,
        "admitted": 1,
        "proposed": 1,
        "free": 1,
    }


async def test_capacity_is_not_set_below_the_residents_living_there(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    await admitted_stay(client, world)
    await admitted_stay(client, world, await resident(actors, world))
    url = f"{API}/shelters/{world.adult.id}"
    expect_problem(
        await client.patch(url, json={"capacity": 1}, headers=world.coordinator.headers),
        422,
        "rule_violation",
        "MAN-CAPACITY",
    )
    assert (
        await client.patch(url, json={"capacity": 3}, headers=world.coordinator.headers)
    ).json()["capacity"] == 3


# --- MAN-VISITORS -------------------------------------------------------------------------------


def visit(**overrides: object) -> dict[str, object]:
    arrived = datetime.now(UTC) - timedelta(hours=2)
    body: dict[str, object] = {
        "visitor_kind": "other",
        "visitor_name": "A. Visitor",
        "visitor_organisation": "Volunteer drama group",
        "justification": "Art workshop agreed with the residents.",
        "arrived_at": arrived.isoformat(),
        "left_at": (arrived + timedelta(hours=1)).isoformat(),
    }
    return body | overrides


async def test_every_visit_is_recorded_with_its_justification(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    url = f"{API}/shelters/{world.adult.id}/visits"
    headers = world.worker.headers
    expect_problem(
        await client.post(url, json=visit(justification=None), headers=headers),
        422,
        "rule_violation",
        "MAN-VISITORS",
    )
    expect_problem(  # blank is no justification: refused as malformed
        await client.post(url, json=visit(justification="   "), headers=headers),
        422,
        "validation_error",
    )
    assert (await client.post(url, json=visit(), headers=headers)).status_code == 201


async def test_the_international_organisation_visits_without_justification(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    mission = await actors.organisation(OrganisationKind.INTERNATIONAL)
    url = f"{API}/shelters/{world.adult.id}/visits"
    body = visit(
        visitor_kind="international_organisation",
        justification=None,
        visitor_organisation="IOM",
        visitor_organisation_id=str(mission.id),
    )
    assert (await client.post(url, json=body, headers=world.worker.headers)).status_code == 201
    # naming another organisation does not lift the rule, whatever the kind says
    for kind in ("international_organisation", "other"):
        other = visit(
            visitor_kind=kind, justification=None, visitor_organisation_id=str(world.outsider.id)
        )
        expect_problem(
            await client.post(url, json=other, headers=world.worker.headers),
            422,
            "rule_violation",
            "MAN-VISITORS",
        )


async def test_contracted_service_providers_visit_without_justification(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    provider = await actors.organisation(OrganisationKind.SERVICE_PROVIDER)
    url = f"{API}/shelters/{world.adult.id}/visits"
    body = visit(
        visitor_kind="service_provider",
        justification=None,
        visitor_organisation="Clinic",
        visitor_organisation_id=str(provider.id),
    )
    made = await client.post(url, json=body, headers=world.worker.headers)
    assert made.status_code == 201, made.text
    assert made.json()["visitor_kind"] == "service_provider"
    # a service provider that is not one in the directory is not exempt
    for named in (None, str(world.outsider.id)):
        claimed = body | {"visitor_organisation_id": named}
        expect_problem(
            await client.post(url, json=claimed, headers=world.worker.headers),
            422,
            "rule_violation",
            "MAN-VISITORS",
        )


async def test_an_official_visit_needs_the_coordinators_approval(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    url = f"{API}/shelters/{world.adult.id}/visits"
    official = visit(visitor_kind="official", visitor_organisation="District police")
    problem = expect_problem(
        await client.post(url, json=official, headers=world.worker.headers),
        422,
        "rule_violation",
        "MAN-VISITORS",
    )
    assert "approval" in problem["detail"]
    day = datetime.fromisoformat(str(official["arrived_at"])).date()  # the day of the visit
    approval = {"by_user_id": str(world.coordinator.id), "on": day.isoformat()}
    made = await client.post(
        url, json=official | {"approved_by_coordinator": approval}, headers=world.worker.headers
    )
    assert made.status_code == 201, made.text
    assert (made.json()["approved_by"], made.json()["approved_on"]) == (
        str(world.coordinator.id),
        day.isoformat(),
    )
    # the approval is a coordinator's, and comes before the visit
    retired = await actors.user(Role.COORDINATOR, active=False)
    for wrong in (
        {"by_user_id": str(world.manager.id), "on": day.isoformat()},
        {"by_user_id": str(retired.id), "on": day.isoformat()},
        {"by_user_id": str(world.coordinator.id), "on": (day + timedelta(days=1)).isoformat()},
    ):
        expect_problem(
            await client.post(
                url,
                json=official | {"approved_by_coordinator": wrong},
                headers=world.worker.headers,
            ),
            422,
            "validation_error",
        )


async def test_a_visit_names_the_resident_it_was_for(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    url = f"{API}/shelters/{world.adult.id}/visits"
    family = visit(visitor_kind="family", visitor_name="Her sister", victim_id=str(world.woman.id))
    # not (yet) a resident here
    expect_problem(
        await client.post(url, json=family, headers=world.worker.headers), 422, "validation_error"
    )
    two_days_ago = (world.today - timedelta(days=2)).isoformat()
    proposed = await propose(client, world, proposed_on=two_days_ago)
    admitted = await client.post(
        f"{API}/shelter-stays/{proposed.json()['id']}/admit",
        json={"admitted_on": two_days_ago},
        headers=world.coordinator.headers,
    )
    assert admitted.status_code == 200, admitted.text
    made = await client.post(url, json=family, headers=world.worker.headers)
    assert made.status_code == 201, made.text
    assert made.json()["victim_id"] == str(world.woman.id)
    # a person the shelter's staff do not see is unknown to them
    theirs = await actors.victim(world.outsider)
    expect_problem(
        await client.post(
            url, json=family | {"victim_id": str(theirs.id)}, headers=world.worker.headers
        ),
        422,
        "validation_error",
    )


async def test_the_shelters_staff_record_visits_its_manager_and_the_coordinator_read_them(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    url = f"{API}/shelters/{world.adult.id}/visits"
    expect_problem(
        await client.post(url, json=visit(), headers=world.outside_worker.headers), 403, "forbidden"
    )
    await client.post(url, json=visit(), headers=world.worker.headers)
    for reader in (world.manager, world.coordinator):
        log = (await client.get(url, headers=reader.headers)).json()["items"]
        assert [v["visitor_name"] for v in log] == ["A. Visitor"]
    expect_problem(await client.get(url, headers=world.worker.headers), 403, "forbidden")
    expect_problem(await client.get(url, headers=world.outside_manager.headers), 403, "forbidden")


async def test_a_visit_is_not_recorded_before_it_happens(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    url = f"{API}/shelters/{world.adult.id}/visits"
    future = visit(arrived_at=(datetime.now(UTC) + timedelta(days=1)).isoformat(), left_at=None)
    expect_problem(
        await client.post(url, json=future, headers=world.worker.headers), 422, "validation_error"
    )
    backwards = visit(left_at=(datetime.now(UTC) - timedelta(days=1)).isoformat())
    expect_problem(
        await client.post(url, json=backwards, headers=world.worker.headers),
        422,
        "validation_error",
    )
