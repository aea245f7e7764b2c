"""Shelter stays over HTTP: every MAN rule broken and kept, with status, code and rule id."""

from datetime import UTC, date, datetime, time, timedelta

import httpx
import pytest

from app.domain.vocabulary import Sex
from tests.api.shelter_world import (
    API,
    ShelterWorld,
    admitted_stay,
    annex_7,
    build_shelter_world,
    discharge_body,
    propose,
    proposed_directly,
    resident,
)
from tests.conftest import FakeClock
from tests.factories import Actors
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    return await build_shelter_world(actors)


def years_ago(today: date, years: int, days: int = 0) -> date:
    return date(today.year - years, today.month, min(today.day, 28)) + timedelta(days=days)


# --- proposal ----------------------------------------------------------------------------------


async def test_the_shelters_staff_propose_a_stay(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    answer = await propose(client, world)
    assert answer.status_code == 201, answer.text
    stay = answer.json()
    assert (stay["status"], stay["pocket_money_per_day"]) == ("proposed", "50.00")
    assert stay["proposed_on"] == world.today.isoformat()
    expect_problem(await propose(client, world, by=world.outside_worker), 422, "validation_error")


async def test_staff_of_another_organisation_cannot_propose_into_this_shelter(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    theirs = await actors.victim(world.outsider)
    answer = await propose(client, world, victim=theirs, by=world.outside_worker)
    expect_problem(answer, 403, "forbidden")


@pytest.mark.parametrize(("amount", "ok"), [("49.99", False), ("50.00", True), ("75.5", True)])
async def test_pocket_money_is_at_least_50_soms_a_day(
    client: httpx.AsyncClient, world: ShelterWorld, amount: str, ok: bool
) -> None:
    answer = await propose(client, world, pocket_money_per_day=amount)
    if ok:
        assert answer.status_code == 201, answer.text
    else:
        problem = expect_problem(answer, 422, "rule_violation", "MAN-POCKET-MONEY")
        assert (problem["minimum"], problem["amount"]) == ("50.00", "49.99")


async def test_pocket_money_has_two_decimals_and_is_never_negative(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    for amount in ("50.001", "-60", "lots"):
        expect_problem(
            await propose(client, world, pocket_money_per_day=amount), 422, "validation_error"
        )


async def test_pocket_money_changes_within_the_rule(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = await admitted_stay(client, world)
    url = f"{API}/shelter-stays/{stay['id']}"
    expect_problem(
        await client.patch(url, json={"pocket_money_per_day": "40"}, headers=world.worker.headers),
        422,
        "rule_violation",
        "MAN-POCKET-MONEY",
    )
    raised = await client.patch(
        url,
        json={"pocket_money_per_day": "60"},
        headers=world.worker.headers | {"If-Match": f'"{stay["version"]}"'},
    )
    assert raised.json()["pocket_money_per_day"] == "60.00"


async def test_one_open_stay_per_person(client: httpx.AsyncClient, world: ShelterWorld) -> None:
    first = await propose(client, world)
    assert first.status_code == 201
    again = await propose(client, world, shelter_id=str(world.children.id))
    expect_problem(again, 409, "already_in_shelter", "MAN-ONE-STAY")
    await client.post(
        f"{API}/shelter-stays/{first.json()['id']}/withdraw", headers=world.worker.headers
    )
    assert (await propose(client, world)).status_code == 201


# --- MAN-ELIGIBILITY ---------------------------------------------------------------------------


async def test_the_adult_shelter_takes_women(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    man = await resident(actors, world, sex=Sex.MALE, birth_date=date(1990, 1, 1))
    expect_problem(
        await propose(client, world, victim=man), 422, "rule_violation", "MAN-ELIGIBILITY"
    )


async def test_a_minor_enters_the_adult_shelter_only_with_a_justification(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    girl = await resident(actors, world, sex=Sex.FEMALE, birth_date=years_ago(world.today, 17))
    problem = expect_problem(
        await propose(client, world, victim=girl), 422, "rule_violation", "MAN-ELIGIBILITY"
    )
    assert problem["age"] == 17
    justified = await propose(
        client, world, victim=girl, exceptional_justification="Her mother is a resident here."
    )
    assert justified.status_code == 201, justified.text


@pytest.mark.parametrize(
    ("years", "days", "ok"),
    [(3, 0, True), (3, 1, False), (18, 0, True), (19, 0, False)],
    ids=["3rd-birthday", "day-before-3rd", "aged-18", "19th-birthday"],
)
async def test_the_childrens_centre_takes_ages_3_to_18_on_the_admission_day(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, years: int, days: int, ok: bool
) -> None:
    child = await resident(
        actors, world, birth_date=years_ago(world.today, years, days), sex=Sex.MALE
    )
    answer = await propose(client, world, victim=child, shelter_id=str(world.children.id))
    if ok:
        assert answer.status_code == 201, answer.text
        admitted = await client.post(
            f"{API}/shelter-stays/{answer.json()['id']}/admit",
            json={},
            headers=world.coordinator.headers,
        )
        assert admitted.status_code == 200, admitted.text
    else:
        expect_problem(answer, 422, "rule_violation", "MAN-ELIGIBILITY")


async def test_age_is_checked_again_on_the_admission_day(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, clock: FakeClock
) -> None:
    """Proposed at 18, admitted (by the date given) after the 19th birthday: refused."""
    birthday = world.today - timedelta(days=10)
    child = await resident(
        actors,
        world,
        birth_date=date(birthday.year - 19, birthday.month, birthday.day),
        sex=Sex.FEMALE,
    )
    clock.set(clock.now() - timedelta(days=30))
    proposed = await propose(client, world, victim=child, shelter_id=str(world.children.id))
    assert proposed.status_code == 201, proposed.text
    clock.set(clock.now() + timedelta(days=30))
    answer = await client.post(
        f"{API}/shelter-stays/{proposed.json()['id']}/admit",
        json={},
        headers=world.coordinator.headers,
    )
    expect_problem(answer, 422, "rule_violation", "MAN-ELIGIBILITY")


# --- admission ---------------------------------------------------------------------------------


async def test_only_the_coordinator_admits(client: httpx.AsyncClient, world: ShelterWorld) -> None:
    stay = (await propose(client, world)).json()
    url = f"{API}/shelter-stays/{stay['id']}/admit"
    for staff in (world.manager, world.worker):
        expect_problem(
            await client.post(url, json={}, headers=staff.headers),
            403,
            "forbidden",
            "MAN-ADMISSION-AGREED",
        )
    admitted = await client.post(url, json={}, headers=world.coordinator.headers)
    assert admitted.json()["status"] == "admitted"
    assert admitted.json()["admitted_on"] == world.today.isoformat()
    expect_problem(
        await client.post(url, json={}, headers=world.coordinator.headers),
        409,
        "invalid_transition",
    )


async def test_admission_needs_both_signed_documents(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = (await propose(client, world, rules_signed_on=None, rights_signed_on=None)).json()
    url = f"{API}/shelter-stays/{stay['id']}"
    problem = expect_problem(
        await client.post(f"{url}/admit", json={}, headers=world.coordinator.headers),
        422,
        "rule_violation",
        "MAN-ADMISSION-DOCS",
    )
    assert problem["missing"] == "rules_signed_on, rights_signed_on"
    await client.patch(
        url, json={"rules_signed_on": world.today.isoformat()}, headers=world.worker.headers
    )
    problem = expect_problem(
        await client.post(f"{url}/admit", json={}, headers=world.coordinator.headers),
        422,
        "rule_violation",
        "MAN-ADMISSION-DOCS",
    )
    assert problem["missing"] == "rights_signed_on"
    await client.patch(
        url, json={"rights_signed_on": world.today.isoformat()}, headers=world.worker.headers
    )
    assert (
        await client.post(f"{url}/admit", json={}, headers=world.coordinator.headers)
    ).status_code == 200


async def test_a_full_shelter_admits_no_one(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    for _ in range(2):
        await admitted_stay(client, world, await resident(actors, world))
    third = await proposed_directly(actors, world, await resident(actors, world))
    answer = await client.post(
        f"{API}/shelter-stays/{third.id}/admit", json={}, headers=world.coordinator.headers
    )
    expect_problem(answer, 409, "shelter_full", "MAN-CAPACITY")
    assert (
        await client.get(f"{API}/shelter-stays/{third.id}", headers=world.worker.headers)
    ).json()["status"] == "proposed"


async def test_admission_dates_are_not_in_the_future(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = (await propose(client, world)).json()
    tomorrow = (world.today + timedelta(days=1)).isoformat()
    answer = await client.post(
        f"{API}/shelter-stays/{stay['id']}/admit",
        json={"admitted_on": tomorrow},
        headers=world.coordinator.headers,
    )
    expect_problem(answer, 422, "validation_error")


# --- discharge and monitoring ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("discharged", "due"), [(date(2026, 8, 31), "2027-02-28"), (date(2026, 1, 15), "2026-07-15")]
)
async def test_discharge_sets_the_monitoring_date_six_months_on(
    client: httpx.AsyncClient, world: ShelterWorld, clock: FakeClock, discharged: date, due: str
) -> None:
    clock.set(
        clock.now().replace(year=discharged.year, month=discharged.month, day=discharged.day)
        - timedelta(days=10)
    )
    stay = await admitted_stay(client, world)
    clock.set(clock.now() + timedelta(days=10))
    body = discharge_body(discharged, handover_organisation_id=str(world.outsider.id))
    answer = await client.post(
        f"{API}/shelter-stays/{stay['id']}/discharge", json=body, headers=world.worker.headers
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["monitoring_due_on"]) == ("discharged", due)
    assert answer.json()["handover_organisation_id"] == str(world.outsider.id)


async def test_the_monitoring_report_comes_six_months_after_discharge_and_once(
    client: httpx.AsyncClient, world: ShelterWorld, clock: FakeClock
) -> None:
    stay = await admitted_stay(client, world)
    url = f"{API}/shelter-stays/{stay['id']}"
    report = annex_7(
        world.today,
        problems_after_return="Stigma in the village.",
        employed=True,
        pay="regular",
        threats_from_recruiters=True,
        turned_to="The NGO's lawyer.",
        willing_to_cooperate=True,
        plans="Open a sewing workshop.",
    )
    expect_problem(
        await client.post(f"{url}/monitoring-report", json=report, headers=world.worker.headers),
        409,
        "invalid_transition",
    )
    discharged = await client.post(
        f"{url}/discharge", json=discharge_body(world.today), headers=world.worker.headers
    )
    due = discharged.json()["monitoring_due_on"]
    # MAN-MONITORING-6M: not on the day of discharge, nor the day before it is due
    for day in (world.today, date.fromisoformat(due) - timedelta(days=1)):
        clock.set(datetime.combine(day, time(12), UTC))
        problem = expect_problem(
            await client.post(
                f"{url}/monitoring-report", json=report, headers=world.worker.headers
            ),
            422,
            "rule_violation",
            "MAN-MONITORING-6M",
        )
        assert problem["due_on"] == due
    expect_problem(  # and nothing was written
        await client.get(f"{url}/monitoring-report", headers=world.worker.headers), 404, "not_found"
    )
    clock.set(datetime.combine(date.fromisoformat(due), time(12), UTC))
    made = await client.post(f"{url}/monitoring-report", json=report, headers=world.worker.headers)
    assert made.status_code == 201, made.text
    assert made.headers["location"] == f"{url}/monitoring-report"
    shown = (await client.get(f"{url}/monitoring-report", headers=world.worker.headers)).json()
    assert (shown["outcome"], shown["reported_on"], shown["plans"]) == (
        "reached",
        due,
        "Open a sewing workshop.",
    )
    assert (shown["marital_status"], shown["children"]) == ("single", 1)
    expect_problem(
        await client.post(f"{url}/monitoring-report", json=report, headers=world.worker.headers),
        409,
        "duplicate",
    )


async def test_a_withdrawn_stay_is_not_admitted(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = (await propose(client, world)).json()
    url = f"{API}/shelter-stays/{stay['id']}"
    assert (await client.post(f"{url}/withdraw", headers=world.worker.headers)).json()[
        "status"
    ] == "withdrawn"
    expect_problem(
        await client.post(f"{url}/admit", json={}, headers=world.coordinator.headers),
        409,
        "invalid_transition",
    )


async def test_stays_are_seen_with_their_person(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = (await propose(client, world)).json()
    expect_problem(
        await client.get(f"{API}/shelter-stays/{stay['id']}", headers=world.outside_worker.headers),
        404,
        "not_found",
    )
    assert (await client.get(f"{API}/shelter-stays", headers=world.outside_worker.headers)).json()[
        "items"
    ] == []
    assert (
        await client.get(f"{API}/shelter-stays/{stay['id']}", headers=world.coordinator.headers)
    ).status_code == 200


# --- the file an admission rests on stays whole ---------------------------------------------------


async def test_an_admitted_residents_signed_documents_stay_on_file(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    stay = await admitted_stay(client, world)
    url = f"{API}/shelter-stays/{stay['id']}"
    for cleared in ({"rules_signed_on": None}, {"rights_signed_on": None}):
        expect_problem(
            await client.patch(url, json=cleared, headers=world.worker.headers),
            422,
            "rule_violation",
            "MAN-ADMISSION-DOCS",
        )
    expect_problem(
        await client.patch(url, json={"pocket_money_per_day": None}, headers=world.worker.headers),
        422,
        "validation_error",
    )


async def test_an_exceptional_justification_stays_on_file(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    girl = await resident(actors, world, sex=Sex.FEMALE, birth_date=years_ago(world.today, 16))
    proposed = await propose(
        client, world, victim=girl, exceptional_justification="With her mother."
    )
    url = f"{API}/shelter-stays/{proposed.json()['id']}"
    await client.post(f"{url}/admit", json={}, headers=world.coordinator.headers)
    answer = await client.patch(
        url, json={"exceptional_justification": None}, headers=world.worker.headers
    )
    expect_problem(answer, 422, "rule_violation", "MAN-ELIGIBILITY")


async def test_documents_are_not_signed_in_the_future(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    tomorrow = (world.today + timedelta(days=1)).isoformat()
    expect_problem(await propose(client, world, rules_signed_on=tomorrow), 422, "validation_error")
    stay = (await propose(client, world, rules_signed_on=None)).json()
    answer = await client.patch(
        f"{API}/shelter-stays/{stay['id']}",
        json={"rights_signed_on": tomorrow},
        headers=world.worker.headers,
    )
    expect_problem(answer, 422, "validation_error")


async def test_the_annex_7_answers_follow_the_form(
    client: httpx.AsyncClient, world: ShelterWorld, clock: FakeClock
) -> None:
    stay = await admitted_stay(client, world)
    url = f"{API}/shelter-stays/{stay['id']}"
    await client.post(
        f"{url}/discharge", json=discharge_body(world.today), headers=world.worker.headers
    )
    clock.set(clock.now() + timedelta(days=190))
    report = annex_7(world.today)
    without_outcome = {k: v for k, v in report.items() if k != "outcome"}
    unreachable_with_answers = report | {"outcome": "unreachable", "contact_attempts": "Calls."}
    for inconsistent in (
        report | {"pay": "regular"},
        report | {"turned_to": "The police."},
        without_outcome,
        unreachable_with_answers,
        {"outcome": "unreachable"},
        report | {"children": -1},
    ):
        expect_problem(
            await client.post(
                f"{url}/monitoring-report", json=inconsistent, headers=world.worker.headers
            ),
            422,
            "validation_error",
        )
    long_text = {"contact_duration": "x" * 2000, "plans": "y" * 2000}
    assert (
        await client.post(
            f"{url}/monitoring-report", json=report | long_text, headers=world.worker.headers
        )
    ).status_code == 201


async def test_long_discharge_reasons_and_visit_justifications_are_stored(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    """The request limits and the columns agree (PostgreSQL refused the longer ones)."""
    stay = await admitted_stay(client, world)
    body = discharge_body(world.today, reason="r" * 2000, exit_information="e" * 2000)
    assert (
        await client.post(
            f"{API}/shelter-stays/{stay['id']}/discharge", json=body, headers=world.worker.headers
        )
    ).status_code == 200
    visit = {
        "visitor_kind": "other",
        "visitor_name": "V",
        "visitor_organisation": "O",
        "justification": "j" * 2000,
        "arrived_at": (datetime.now(UTC) - timedelta(minutes=5)).isoformat(),
    }
    assert (
        await client.post(
            f"{API}/shelters/{world.adult.id}/visits", json=visit, headers=world.worker.headers
        )
    ).status_code == 201


async def test_shelter_changes_and_the_visitor_log_are_audited(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    body = {
        "name": "New house",
        "organisation_id": str(world.runner.id),
        "kind": "adult",
        "capacity": 4,
        "address": "a",
    }
    made = (
        await client.post(f"{API}/shelters", json=body, headers=world.coordinator.headers)
    ).json()
    await client.patch(
        f"{API}/shelters/{made['id']}", json={"address": "b"}, headers=world.coordinator.headers
    )
    await client.get(f"{API}/shelters/{made['id']}/visits", headers=world.coordinator.headers)
    trail = (
        await client.get(
            f"{API}/audit-events",
            params={"record_type": "shelter"},
            headers=world.coordinator.headers,
        )
    ).json()["items"]
    assert [e["action"] for e in reversed(trail)] == ["create", "update"]
    log = (
        await client.get(
            f"{API}/audit-events",
            params={"record_type": "shelter_visit"},
            headers=world.coordinator.headers,
        )
    ).json()["items"]
    assert [e["action"] for e in log] == ["list"]
