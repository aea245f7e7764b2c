"""The health record over HTTP: psychologist and medical officer of an organisation that sees
the case; HIV status only for the medical officer (MAN-HIV); every read audited."""

import httpx
import pytest

from app.domain.access import Role
from tests.api.shelter_world import API, ShelterWorld, build_shelter_world
from tests.factories import Actors
from tests.helpers import expect_problem

RECORD = {
    "conditions": ["anaemia"],
    "allergies": [],
    "medications": ["iron supplement"],
    "notes": "Follow-up blood test in a month.",
    "last_examined_on": None,
}


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    return await build_shelter_world(actors)


def url(world: ShelterWorld) -> str:
    return f"{API}/victims/{world.woman.id}/health-record"


async def test_the_medical_officer_keeps_the_record_with_the_hiv_status(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    expect_problem(await client.get(url(world), headers=world.medic.headers), 404, "not_found")
    written = await client.put(
        url(world), json=RECORD | {"hiv_status": "negative"}, headers=world.medic.headers
    )
    assert written.status_code == 200, written.text
    assert written.json()["hiv_status"] == "negative"
    assert written.headers["etag"] == '"1"'
    read = (await client.get(url(world), headers=world.medic.headers)).json()
    assert (read["view"], read["hiv_status"], read["conditions"]) == (
        "medical",
        "negative",
        ["anaemia"],
    )


async def test_the_psychologist_never_sees_or_sets_the_hiv_status(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    await client.put(
        url(world), json=RECORD | {"hiv_status": "positive"}, headers=world.medic.headers
    )
    shown = await client.get(url(world), headers=world.psychologist.headers)
    assert shown.json()["view"] == "without_hiv"
    assert "hiv_status" not in shown.json()
    assert "positive" not in shown.text
    refused = await client.put(
        url(world), json=RECORD | {"hiv_status": "negative"}, headers=world.psychologist.headers
    )
    expect_problem(refused, 403, "forbidden", "MAN-HIV")
    # a psychologist's update leaves the HIV status as it was
    update = RECORD | {"notes": "Sleeps badly; sessions twice a week."}
    assert (
        await client.put(url(world), json=update, headers=world.psychologist.headers)
    ).status_code == 200
    kept = (await client.get(url(world), headers=world.medic.headers)).json()
    assert (kept["hiv_status"], kept["notes"]) == (
        "positive",
        "Sleeps badly; sessions twice a week.",
    )


@pytest.mark.parametrize(
    "role",
    [
        Role.SOCIAL_WORKER,
        Role.SHELTER_MANAGER,
        Role.LEGAL_COUNSELLOR,
        Role.COORDINATOR,
        Role.ADMIN,
        Role.AUDITOR,
        Role.PARTNER_SYSTEM,
    ],
    ids=lambda r: r.value,
)
async def test_no_other_role_reads_the_health_record(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, role: Role
) -> None:
    await client.put(url(world), json=RECORD, headers=world.medic.headers)
    caller = await actors.caller(
        role, world.runner if role not in (Role.COORDINATOR, Role.ADMIN, Role.AUDITOR) else None
    )
    expect_problem(await client.get(url(world), headers=caller.headers), 403, "forbidden")
    expect_problem(
        await client.put(url(world), json=RECORD, headers=caller.headers), 403, "forbidden"
    )


async def test_health_staff_of_an_organisation_that_does_not_see_the_case_get_404(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    stranger = await actors.user(Role.MEDICAL_OFFICER, world.outsider)
    expect_problem(await client.get(url(world), headers=stranger.headers), 404, "not_found")


async def test_every_read_is_audited_and_writes_honour_if_match(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    await client.put(url(world), json=RECORD, headers=world.medic.headers)
    await client.get(url(world), headers=world.psychologist.headers)
    stale = await client.put(
        url(world), json=RECORD, headers=world.medic.headers | {"If-Match": '"7"'}
    )
    expect_problem(stale, 412, "version_mismatch")
    trail = await client.get(
        f"{API}/audit-events",
        params={"victim_id": str(world.woman.id), "record_type": "health_record"},
        headers=world.coordinator.headers,
    )
    actions = [(e["action"], e["role"]) for e in reversed(trail.json()["items"])]
    assert actions == [("create", "medical_officer"), ("read", "psychologist")]


async def test_the_export_shows_the_record_as_the_role_may_read_it(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    await client.put(
        url(world), json=RECORD | {"hiv_status": "positive"}, headers=world.medic.headers
    )
    export = f"{API}/victims/{world.woman.id}/export"
    medical = (await client.get(export, headers=world.medic.headers)).json()
    assert medical["health_record"]["hiv_status"] == "positive"
    psychological = await client.get(export, headers=world.psychologist.headers)
    assert psychological.json()["health_record"]["view"] == "without_hiv"
    assert "positive" not in psychological.text
    social = (await client.get(export, headers=world.worker.headers)).json()
    assert (social["health_record"], social["health_record_withheld"]) == (None, True)


async def test_future_examination_dates_are_refused(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    from datetime import timedelta

    body = RECORD | {"last_examined_on": (world.today + timedelta(days=1)).isoformat()}
    expect_problem(
        await client.put(url(world), json=body, headers=world.medic.headers),
        422,
        "validation_error",
    )
