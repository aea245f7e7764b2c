"""Reintegration grants over HTTP: every GRANT rule broken and kept, and the workflow walked
through every state with each forbidden step tried."""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import httpx
import pytest

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus
from app.domain.reintegration import TrainingStatus
from app.domain.rulebook import ShelterKind
from app.domain.shelter import StaySource, StayStatus
from app.domain.vocabulary import OrganisationKind
from app.models import Assessment, Organisation, Shelter, ShelterStay, Training, Victim
from tests.factories import Actor, Actors
from tests.helpers import expect_problem

API = "/api/v1/reintegration-grants"
START, END = date(2026, 1, 1), date(2026, 3, 31)  # 90 days, three calendar months


@pytest.fixture
async def ngo(actors: Actors) -> Organisation:
    return await actors.organisation(OrganisationKind.NGO)


@pytest.fixture
async def manager(actors: Actors, ngo: Organisation) -> Actor:
    return await actors.user(Role.SHELTER_MANAGER, ngo)


@pytest.fixture
async def person(actors: Actors, ngo: Organisation, manager: Actor) -> Victim:
    """A resident of the NGO's shelter since before the grants' period (GRANT-PINK-SHELTER)."""
    victim = await actors.victim(ngo)
    await resident_since(actors, ngo, victim, START - timedelta(days=10), manager)
    await in_training(actors, victim, manager)
    return victim


TRAINING = uuid4()  # the person's course, in progress over the grants' period


async def in_training(actors: Actors, victim: Victim, by: Actor) -> Training:
    """MAN-TRAINING: the course the blue training and scholarship lines pay for."""
    assessment = await actors.add(
        Assessment(
            victim_id=victim.id,
            kind=AssessmentKind.REINTEGRATION,
            status=AssessmentStatus.COMPLETED,
            organisation_id=victim.organisation_id,
            author_id=by.id,
            author_role=Role.SHELTER_MANAGER,
            rulebook_version="kg-2026.1",
        )
    )
    return await actors.add(  # type: ignore[no-any-return]
        Training(
            id=TRAINING,
            victim_id=victim.id,
            organisation_id=victim.organisation_id,
            course="Tailoring",
            provider_organisation_id=victim.organisation_id,
            starts_on=START,
            ends_on=END,
            chosen_by_person=True,
            assessment_id=assessment.id,
            status=TrainingStatus.IN_PROGRESS,
            started_on=START,
            created_by=by.id,
        )
    )


async def resident_since(
    actors: Actors, ngo: Organisation, victim: Victim, admitted_on: date, by: Actor
) -> ShelterStay:
    shelter = await actors.add(
        Shelter(
            name="House",
            organisation_id=ngo.id,
            kind=ShelterKind.ADULT,
            capacity=10,
            address="3 Hidden Street",
        )
    )
    return await actors.add(  # type: ignore[no-any-return]
        ShelterStay(
            victim_id=victim.id,
            shelter_id=shelter.id,
            source=StaySource.NGO_COORDINATOR,
            status=StayStatus.ADMITTED,
            rules_signed_on=admitted_on,
            rights_signed_on=admitted_on,
            pocket_money_per_day=Decimal("50.00"),
            proposed_on=admitted_on,
            proposed_by=by.id,
            admitted_on=admitted_on,
            admitted_by=by.id,
            rulebook_version="kg-2026.1",
        )
    )


def grant(person: Victim, ngo: Organisation, form: str, *lines: dict[str, Any]) -> dict[str, Any]:
    return {
        "victim_id": str(person.id),
        "form": form,
        "ngo_organisation_id": str(ngo.id),
        "period_start": START.isoformat(),
        "period_end": END.isoformat(),
        "lines": list(lines),
    }


PINK = (
    {"category": "clothes_summer", "amount": "2000.00"},
    {"category": "food_hygiene", "amount": "6000.00", "days": 30},
    {"category": "lawyer", "amount": "15000", "purpose": "criminal_proceedings"},
)


async def test_a_pink_grant_has_its_ceilings_and_total_computed(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    answer = await client.post(API, json=grant(person, ngo, "pink", *PINK), headers=manager.headers)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (body["status"], body["total"]) == ("draft", "23000.00")
    assert [(ln["category"], ln["amount"], ln["ceiling"]) for ln in body["lines"]] == [
        ("clothes_summer", "2000.00", "2000.00"),
        ("food_hygiene", "6000.00", "6000.00"),
        ("lawyer", "15000.00", None),
    ]


@pytest.mark.parametrize(
    ("form", "line", "ceiling"),
    [
        ("pink", {"category": "clothes_summer", "amount": "2000.01"}, "2000.00"),
        ("pink", {"category": "food_hygiene", "amount": "6000.01", "days": 30}, "6000.00"),
        ("blue", {"category": "scholarship", "amount": "3000.01", "months": 3}, "3000.00"),
        ("blue", {"category": "ngo_travel", "amount": "800.01"}, "800.00"),
        ("blue", {"category": "vocational_training", "amount": "2000.01", "months": 2}, "2000.00"),
    ],
    ids=["clothes", "food-30-days", "scholarship-3-months", "ngo-travel", "course"],
)
async def test_an_amount_over_its_ceiling_names_the_line_the_ceiling_and_the_amount(
    client: httpx.AsyncClient,
    manager: Actor,
    person: Victim,
    ngo: Organisation,
    form: str,
    line: dict[str, Any],
    ceiling: str,
) -> None:
    ok = (
        {"category": "ngo_social_worker", "amount": "10"}
        if form == "blue"
        else {"category": "underwear", "amount": "10"}
    )
    answer = await client.post(
        API, json=grant(person, ngo, form, ok, line), headers=manager.headers
    )
    problem = expect_problem(answer, 422, "rule_violation", "GRANT-CEILING")
    assert (problem["line"], problem["ceiling"], problem["amount"]) == (1, ceiling, line["amount"])
    assert (await client.get(API, headers=manager.headers)).json()["items"] == []  # nothing written


@pytest.mark.parametrize(
    ("form", "line", "rule"),
    [
        ("pink", {"category": "scholarship", "amount": "100", "months": 1}, "GRANT-LINE-FORM"),
        ("blue", {"category": "clothes_winter", "amount": "100"}, "GRANT-LINE-FORM"),
        ("blue", {"category": "other", "amount": "100"}, "GRANT-JUSTIFICATION"),
        (
            "blue",
            {"category": "apartment_rental", "amount": "1500", "months": 1},
            "GRANT-JUSTIFICATION",
        ),
        (
            "pink",
            {"category": "lawyer", "amount": "100", "purpose": "civil_rights"},
            "GRANT-PURPOSE",
        ),
        (
            "blue",
            {"category": "lawyer", "amount": "100", "purpose": "criminal_proceedings"},
            "GRANT-PURPOSE",
        ),
        ("blue", {"category": "lawyer", "amount": "100"}, "GRANT-PURPOSE"),
        (
            "blue",
            {"category": "vocational_training", "amount": "100", "months": 4},
            "GRANT-COURSE-3M",
        ),
    ],
    ids=[
        "pink-no-scholarship",
        "blue-no-clothes",
        "other-unjustified",
        "rent-unjustified",
        "pink-lawyer-civil",
        "blue-lawyer-criminal",
        "blue-lawyer-no-purpose",
        "course-4-months",
    ],
)
async def test_each_grant_rule_is_enforced(
    client: httpx.AsyncClient,
    manager: Actor,
    person: Victim,
    ngo: Organisation,
    form: str,
    line: dict[str, Any],
    rule: str,
) -> None:
    problem = expect_problem(
        await client.post(API, json=grant(person, ngo, form, line), headers=manager.headers),
        422,
        "rule_violation",
        rule,
    )
    assert problem["line"] == 0


@pytest.mark.parametrize(
    "line",
    [
        {
            "category": "vocational_training",
            "amount": "2000.00",
            "months": 3,
            "training_id": str(TRAINING),
        },
        {"category": "other", "amount": "500", "justification": "Tools for a sewing course."},
        {
            "category": "apartment_rental",
            "amount": "4500",
            "months": 3,
            "justification": "No family home to return to.",
        },
        {"category": "lawyer", "amount": "900", "purpose": "civil_rights"},
    ],
    ids=["course-3-months", "other-justified", "rent-justified", "lawyer-civil-rights"],
)
async def test_lines_within_the_rules_are_accepted(
    client: httpx.AsyncClient,
    manager: Actor,
    person: Victim,
    ngo: Organisation,
    line: dict[str, Any],
) -> None:
    assert (
        await client.post(API, json=grant(person, ngo, "blue", line), headers=manager.headers)
    ).status_code == 201


@pytest.mark.parametrize("amount", ["-1", "10.005", "abc", "NaN", "Infinity"])
async def test_amounts_are_decimals_with_two_places_never_negative(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation, amount: str
) -> None:
    body = grant(person, ngo, "pink", {"category": "underwear", "amount": amount})
    expect_problem(
        await client.post(API, json=body, headers=manager.headers), 422, "validation_error"
    )


async def test_money_is_a_decimal_string_never_a_float(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    body = grant(person, ngo, "pink", {"category": "underwear", "amount": 499.99})
    problem = expect_problem(
        await client.post(API, json=body, headers=manager.headers), 422, "validation_error"
    )
    assert "decimal string" in problem["errors"][0]["msg"]
    whole = grant(person, ngo, "pink", {"category": "underwear", "amount": 400})
    assert (await client.post(API, json=whole, headers=manager.headers)).json()["total"] == "400.00"


async def test_the_counts_fit_the_period(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    for line in (
        {"category": "food_hygiene", "amount": "100", "days": 91},
        {"category": "food_hygiene", "amount": "100"},
        {"category": "clothes_summer", "amount": "100", "days": 3},
    ):
        expect_problem(
            await client.post(API, json=grant(person, ngo, "pink", line), headers=manager.headers),
            422,
            "validation_error",
        )
    backwards = grant(person, ngo, "pink", *PINK) | {"period_end": "2025-12-31"}
    expect_problem(
        await client.post(API, json=backwards, headers=manager.headers), 422, "validation_error"
    )


# --- the workflow -----------------------------------------------------------------------------


async def test_a_grant_through_every_state(
    client: httpx.AsyncClient, actors: Actors, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    coordinator = await actors.user(Role.COORDINATOR)
    worker = await actors.user(Role.SOCIAL_WORKER, ngo)
    made = (
        await client.post(API, json=grant(person, ngo, "pink", *PINK), headers=worker.headers)
    ).json()
    url = f"{API}/{made['id']}"

    # a draft is edited by the NGO; the total follows the lines
    edited = await client.patch(
        url, json={"lines": [PINK[0]]}, headers=manager.headers | {"If-Match": '"1"'}
    )
    assert (edited.json()["total"], len(edited.json()["lines"])) == ("2000.00", 1)
    expect_problem(
        await client.post(f"{url}/approve", json={}, headers=coordinator.headers),
        409,
        "invalid_transition",
    )

    submitted = await client.post(f"{url}/submit", headers=worker.headers)
    assert submitted.json()["status"] == "submitted" and submitted.json()["submitted_at"]
    expect_problem(
        await client.post(f"{url}/submit", headers=worker.headers), 409, "invalid_transition"
    )
    expect_problem(
        await client.patch(url, json={"lines": list(PINK)}, headers=manager.headers),
        409,
        "invalid_transition",
    )
    expect_problem(
        await client.post(f"{url}/approve", json={}, headers=manager.headers), 403, "forbidden"
    )

    approved = await client.post(
        f"{url}/approve", json={"reason": "Within the plan."}, headers=coordinator.headers
    )
    assert (approved.json()["status"], approved.json()["decided_by"]) == (
        "approved",
        str(coordinator.id),
    )
    expect_problem(
        await client.post(f"{url}/approve", json={}, headers=coordinator.headers),
        409,
        "invalid_transition",
    )
    expect_problem(
        await client.patch(url, json={"lines": list(PINK)}, headers=manager.headers),
        409,
        "invalid_transition",
    )
    expect_problem(
        await client.post(f"{url}/reject", json={"reason": "x"}, headers=coordinator.headers),
        409,
        "invalid_transition",
    )

    expect_problem(
        await client.post(
            f"{url}/disburse",
            json={"disbursed_on": date.today().isoformat()},
            headers=manager.headers,
        ),
        403,
        "forbidden",
    )
    future = (date.today() + timedelta(days=2)).isoformat()
    expect_problem(
        await client.post(
            f"{url}/disburse", json={"disbursed_on": future}, headers=coordinator.headers
        ),
        422,
        "validation_error",
    )
    disbursed = await client.post(
        f"{url}/disburse",
        json={"disbursed_on": date.today().isoformat()},
        headers=coordinator.headers,
    )
    assert disbursed.json()["status"] == "disbursed"
    expect_problem(
        await client.patch(url, json={"lines": [PINK[0]]}, headers=manager.headers),
        409,
        "invalid_transition",
    )

    trail = (
        await client.get(
            "/api/v1/audit-events",
            params={"record_type": "reintegration_grant"},
            headers=coordinator.headers,
        )
    ).json()["items"]
    assert [e["action"] for e in reversed(trail)] == [
        "create",
        "update",
        "submit",
        "approve",
        "disburse",
    ]


async def test_a_rejection_needs_a_reason_and_ends_the_grant(
    client: httpx.AsyncClient, actors: Actors, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    coordinator = await actors.user(Role.COORDINATOR)
    made = await client.post(API, json=grant(person, ngo, "pink", *PINK), headers=manager.headers)
    url = f"{API}/{made.json()['id']}"
    await client.post(f"{url}/submit", headers=manager.headers)
    expect_problem(
        await client.post(f"{url}/reject", json={}, headers=coordinator.headers),
        422,
        "validation_error",
    )
    rejected = await client.post(
        f"{url}/reject", json={"reason": "Duplicate of last month's."}, headers=coordinator.headers
    )
    assert (rejected.json()["status"], rejected.json()["decision_reason"]) == (
        "rejected",
        "Duplicate of last month's.",
    )
    expect_problem(
        await client.post(
            f"{url}/disburse",
            json={"disbursed_on": date.today().isoformat()},
            headers=coordinator.headers,
        ),
        409,
        "invalid_transition",
    )


async def test_the_author_never_approves_their_own_grant(
    client: httpx.AsyncClient, actors: Actors, ngo: Organisation, person: Victim
) -> None:
    """A shelter manager drafts and submits, then becomes a coordinator: still no self-approval."""
    admin = await actors.user(Role.ADMIN)
    author = await actors.user(Role.SHELTER_MANAGER, ngo)
    made = await client.post(API, json=grant(person, ngo, "pink", *PINK), headers=author.headers)
    url = f"{API}/{made.json()['id']}"
    await client.post(f"{url}/submit", headers=author.headers)
    mission = await actors.organisation(OrganisationKind.INTERNATIONAL)
    promoted = {"role": "coordinator", "organisation_id": str(mission.id)}
    assert (
        await client.patch(f"/api/v1/users/{author.id}", json=promoted, headers=admin.headers)
    ).status_code == 200
    token = (
        await client.post(
            "/api/v1/auth/token",
            data={
                "grant_type": "password",
                "username": author.name,
                "password": "correct horse battery staple",
            },
        )
    ).json()["access_token"]
    answer = await client.post(
        f"{url}/approve", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    expect_problem(answer, 422, "rule_violation", "GRANT-FOUR-EYES")


@pytest.mark.parametrize(
    "role",
    [
        Role.PSYCHOLOGIST,
        Role.MEDICAL_OFFICER,
        Role.LEGAL_COUNSELLOR,
        Role.ADMIN,
        Role.AUDITOR,
        Role.PARTNER_SYSTEM,
    ],
    ids=lambda r: r.value,
)
async def test_only_the_ngos_manager_and_social_workers_draft(
    client: httpx.AsyncClient, actors: Actors, ngo: Organisation, person: Victim, role: Role
) -> None:
    in_ngo = role in (
        Role.PSYCHOLOGIST,
        Role.MEDICAL_OFFICER,
        Role.LEGAL_COUNSELLOR,
        Role.PARTNER_SYSTEM,
    )
    caller = await actors.caller(role, ngo if in_ngo else None)
    expect_problem(
        await client.post(API, json=grant(person, ngo, "pink", *PINK), headers=caller.headers),
        403,
        "forbidden",
    )


async def test_another_ngos_staff_neither_draft_for_this_ngo_nor_see_its_grants(
    client: httpx.AsyncClient, actors: Actors, manager: Actor, ngo: Organisation, person: Victim
) -> None:
    other_ngo = await actors.organisation(OrganisationKind.NGO)
    outsider = await actors.user(Role.SHELTER_MANAGER, other_ngo)
    made = (
        await client.post(API, json=grant(person, ngo, "pink", *PINK), headers=manager.headers)
    ).json()
    expect_problem(
        await client.get(f"{API}/{made['id']}", headers=outsider.headers), 404, "not_found"
    )
    theirs = await actors.victim(other_ngo)
    expect_problem(
        await client.post(API, json=grant(theirs, ngo, "pink", *PINK), headers=outsider.headers),
        403,
        "forbidden",
    )


async def test_a_line_of_the_form_appears_once(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    twice = grant(
        person,
        ngo,
        "pink",
        {"category": "clothes_summer", "amount": "2000.00"},
        {"category": "clothes_summer", "amount": "2000.00"},
    )
    problem = expect_problem(
        await client.post(API, json=twice, headers=manager.headers),
        422,
        "rule_violation",
        "GRANT-LINE-FORM",
    )
    assert problem["line"] == 1


async def test_an_edit_that_keeps_the_total_is_a_new_version(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    lines = (
        {"category": "travel", "amount": "100.00"},
        {"category": "lawyer", "amount": "900.00", "purpose": "criminal_proceedings"},
    )
    made = (
        await client.post(API, json=grant(person, ngo, "pink", *lines), headers=manager.headers)
    ).json()
    swapped = [lines[0] | {"amount": "900.00"}, lines[1] | {"amount": "100.00"}]
    edited = await client.patch(
        f"{API}/{made['id']}",
        json={"lines": swapped},
        headers=manager.headers | {"If-Match": '"1"'},
    )
    assert (edited.json()["total"], edited.json()["version"], edited.headers["etag"]) == (
        "1000.00",
        2,
        '"2"',
    )
    stale = await client.patch(
        f"{API}/{made['id']}",
        json={"lines": list(lines)},
        headers=manager.headers | {"If-Match": '"1"'},
    )
    expect_problem(stale, 412, "version_mismatch")


# --- counting across agreements (GRANT-CEILING for the person, SOP-MONTHS, GRANT-PINK-SHELTER) --


async def _submitted(client: httpx.AsyncClient, body: dict[str, Any], by: Actor) -> httpx.Response:
    made = await client.post(API, json=body, headers=by.headers)
    assert made.status_code == 201, made.text
    return await client.post(f"{API}/{made.json()['id']}/submit", headers=by.headers)


CLOTHES = {"category": "clothes_summer", "amount": "2000.00"}
COURSE = {
    "category": "vocational_training",
    "amount": "2000.00",
    "months": 3,
    "training_id": str(TRAINING),
}
NGO_TRAVEL = {"category": "ngo_travel", "amount": "800.00"}  # pays for nothing of the person


@pytest.mark.parametrize(
    ("form", "line"), [("pink", CLOTHES), ("blue", COURSE)], ids=["summer-clothes", "course"]
)
async def test_a_ceiling_is_the_persons_not_each_agreements(
    client: httpx.AsyncClient,
    manager: Actor,
    person: Victim,
    ngo: Organisation,
    form: str,
    line: dict[str, Any],
) -> None:
    """Regression: two pink grants of 2,000 for summer clothes, or two blue "whole course"
    lines, were approved for one person and period."""
    first = await _submitted(client, grant(person, ngo, form, line), manager)
    assert first.status_code == 200, first.text

    second = await client.post(API, json=grant(person, ngo, form, line), headers=manager.headers)
    body = expect_problem(second, 422, "rule_violation", "GRANT-CEILING")
    assert body["other_grant"] == first.json()["id"]
    assert (body["line"], body["ceiling"], body["committed"], body["amount"]) == (
        0,
        "2000.00",
        "2000.00",
        "2000.00",
    )


async def test_what_is_left_of_a_ceiling_may_be_granted_and_drafts_do_not_count(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    half = {"category": "clothes_summer", "amount": "1000.00"}
    draft = await client.post(
        API, json=grant(person, ngo, "pink", CLOTHES), headers=manager.headers
    )
    assert draft.status_code == 201, draft.text  # a draft promises nothing yet
    assert (await _submitted(client, grant(person, ngo, "pink", half), manager)).status_code == 200
    assert (await _submitted(client, grant(person, ngo, "pink", half), manager)).status_code == 200
    over = await client.post(f"{API}/{draft.json()['id']}/submit", headers=manager.headers)
    body = expect_problem(over, 422, "rule_violation", "GRANT-CEILING")
    assert (body["committed"], body["amount"]) == ("2000.00", "2000.00")


async def test_grants_for_periods_apart_each_have_their_ceiling(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    first = grant(person, ngo, "pink", CLOTHES) | {"period_end": "2026-01-31"}
    later = grant(person, ngo, "pink", CLOTHES) | {
        "period_start": "2026-02-01",
        "period_end": "2026-02-28",
    }
    assert (await _submitted(client, first, manager)).status_code == 200
    assert (await _submitted(client, later, manager)).status_code == 200


async def test_a_rate_counts_the_months_of_overlapping_grants_once(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    rent = {
        "category": "apartment_rental",
        "amount": "3000.00",
        "months": 2,
        "justification": "No family to return to.",
    }
    january_february = grant(person, ngo, "blue", rent) | {"period_end": "2026-02-28"}
    assert (await _submitted(client, january_february, manager)).status_code == 200
    # February and March: together three months, 4,500 at most, 3,000 committed already
    february_march = grant(person, ngo, "blue", rent) | {
        "period_start": "2026-02-01",
        "period_end": "2026-03-31",
    }
    answer = await client.post(API, json=february_march, headers=manager.headers)
    body = expect_problem(answer, 422, "rule_violation", "GRANT-CEILING")
    assert (body["ceiling"], body["committed"]) == ("4500.00", "3000.00")


async def test_two_days_across_a_month_end_are_one_month_of_rent(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    """Regression: a two-day period across a month end allowed 3,000 of rent against 1,500 a
    month (SOP-MONTHS: it is one month)."""
    two_days = {"period_start": "2026-01-31", "period_end": "2026-02-01"}
    rent = {"category": "apartment_rental", "justification": "No family to return to."}
    for line, code in (
        (rent | {"amount": "3000.00", "months": 2}, "validation_error"),
        (rent | {"amount": "3000.00", "months": 1}, "rule_violation"),
    ):
        body = grant(person, ngo, "blue", line) | two_days
        expect_problem(await client.post(API, json=body, headers=manager.headers), 422, code)
    within = grant(person, ngo, "blue", rent | {"amount": "1500.00", "months": 1}) | two_days
    assert (await client.post(API, json=within, headers=manager.headers)).status_code == 201


async def test_a_pink_grant_is_for_a_resident_of_the_shelter(
    client: httpx.AsyncClient, actors: Actors, manager: Actor, ngo: Organisation
) -> None:
    """Regression: pink grants ("for rehabilitation at shelter") were approved for a person
    never in a shelter."""
    never = await actors.victim(ngo)
    answer = await client.post(
        API, json=grant(never, ngo, "pink", CLOTHES), headers=manager.headers
    )
    expect_problem(answer, 422, "rule_violation", "GRANT-PINK-SHELTER")
    assert (
        await client.post(API, json=grant(never, ngo, "blue", NGO_TRAVEL), headers=manager.headers)
    ).status_code == 201  # the blue form is not tied to the shelter

    arrived_late = await actors.victim(ngo)
    await resident_since(actors, ngo, arrived_late, START + timedelta(days=5), manager)
    answer = await client.post(
        API, json=grant(arrived_late, ngo, "pink", CLOTHES), headers=manager.headers
    )
    expect_problem(answer, 422, "rule_violation", "GRANT-PINK-SHELTER")


# --- the agreement: its number, MoU, representatives, co-drafting and instalments ------------


async def test_a_coordinator_drafts_with_the_ngos_shelter_manager_and_approves_nothing_of_it(
    client: httpx.AsyncClient, actors: Actors, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    coordinator, other = await actors.user(Role.COORDINATOR), await actors.user(Role.COORDINATOR)
    alone = await client.post(
        API, json=grant(person, ngo, "blue", COURSE), headers=coordinator.headers
    )
    expect_problem(alone, 422, "validation_error")
    body = grant(person, ngo, "blue", COURSE) | {
        "drafted_with_user_id": str(manager.id),
        "mou_reference": "MoU IOM-NGO 2025/14",
        "representatives": {"ngo": "Director of the NGO", "mission": "Chief of Mission"},
    }
    made = await client.post(API, json=body, headers=coordinator.headers)
    assert made.status_code == 201, made.text
    drafted = made.json()
    assert (drafted["author_id"], drafted["co_author_id"]) == (str(coordinator.id), str(manager.id))
    assert drafted["mou_reference"] == "MoU IOM-NGO 2025/14"
    assert drafted["representatives"]["mission"] == "Chief of Mission"
    url = f"{API}/{drafted['id']}"
    assert (await client.post(f"{url}/submit", headers=coordinator.headers)).status_code == 200
    refused = await client.post(f"{url}/approve", json={}, headers=coordinator.headers)
    expect_problem(refused, 422, "rule_violation", "GRANT-FOUR-EYES")
    approved = await client.post(f"{url}/approve", json={}, headers=other.headers)
    assert approved.status_code == 200, approved.text


async def test_a_coordinator_drafts_only_with_a_manager_who_signed_for_confidentiality(
    client: httpx.AsyncClient, actors: Actors, person: Victim, ngo: Organisation
) -> None:
    coordinator = await actors.user(Role.COORDINATOR)
    unsigned = await actors.user(Role.SHELTER_MANAGER, ngo, signed=False)
    body = grant(person, ngo, "blue", COURSE) | {"drafted_with_user_id": str(unsigned.id)}
    answer = await client.post(API, json=body, headers=coordinator.headers)
    expect_problem(answer, 422, "validation_error")


async def test_agreements_are_numbered_per_ngo_and_year(
    client: httpx.AsyncClient, actors: Actors, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    numbers = []
    for form, line in (("blue", COURSE), ("pink", CLOTHES)):
        made = await client.post(API, json=grant(person, ngo, form, line), headers=manager.headers)
        assert made.status_code == 201, made.text
        numbers.append(made.json()["number"])
    year = actors.clock.today().year
    assert numbers[0].startswith("S-") and numbers[0].endswith(f"-{year}-1")
    assert not numbers[1].startswith("S-") and numbers[1].endswith(f"-{year}-2")
    elsewhere = await actors.organisation(OrganisationKind.NGO)
    their_manager = await actors.user(Role.SHELTER_MANAGER, elsewhere)
    theirs = await actors.victim(elsewhere)
    made = await client.post(
        API, json=grant(theirs, elsewhere, "blue", NGO_TRAVEL), headers=their_manager.headers
    )
    assert made.json()["number"].endswith(f"-{year}-1")  # another NGO: its own sequence


async def test_a_grant_is_paid_in_instalments_never_over_its_total(
    client: httpx.AsyncClient, actors: Actors, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    coordinator = await actors.user(Role.COORDINATOR)
    submitted = await _submitted(client, grant(person, ngo, "pink", CLOTHES), manager)
    url = f"{API}/{submitted.json()['id']}"
    approved = await client.post(f"{url}/approve", json={}, headers=coordinator.headers)
    assert approved.status_code == 200, approved.text
    today = actors.clock.today().isoformat()

    first = await client.post(
        f"{url}/disburse", json={"amount": "1500.00", "disbursed_on": today},
        headers=coordinator.headers,
    )  # fmt: skip
    assert first.status_code == 200, first.text
    assert (first.json()["status"], first.json()["paid"]) == ("approved", "1500.00")
    assert first.json()["disbursed_on"] is None
    over = await client.post(
        f"{url}/disburse", json={"amount": "500.01", "disbursed_on": today},
        headers=coordinator.headers,
    )  # fmt: skip
    expect_problem(over, 422, "validation_error")
    rest = await client.post(
        f"{url}/disburse", json={"disbursed_on": today}, headers=coordinator.headers
    )
    assert rest.status_code == 200, rest.text
    paid = rest.json()
    assert (paid["status"], paid["paid"], paid["disbursed_on"]) == ("disbursed", "2000.00", today)
    assert [i["amount"] for i in paid["instalments"]] == ["1500.00", "500.00"]
    again = await client.post(
        f"{url}/disburse", json={"disbursed_on": today}, headers=coordinator.headers
    )
    expect_problem(again, 409, "invalid_transition")
    trail = await client.get(
        "/api/v1/audit-events",
        params={"record_type": "reintegration_grant", "action": "disburse"},
        headers=coordinator.headers,
    )
    assert len([e for e in trail.json()["items"] if e["record_id"] == paid["id"]]) == 2


# --- what the blue lines pay for (MAN-TRAINING, MAN-IDENTITY) ---------------------------------


async def test_a_blue_line_names_the_training_or_the_document_it_pays_for(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    unnamed_course = COURSE | {"training_id": None}
    answer = await client.post(
        API, json=grant(person, ngo, "blue", unnamed_course), headers=manager.headers
    )
    expect_problem(answer, 422, "rule_violation", "MAN-TRAINING")
    answer = await client.post(
        API,
        json=grant(person, ngo, "blue", {"category": "id_documents", "amount": "300.00"}),
        headers=manager.headers,
    )
    expect_problem(answer, 422, "rule_violation", "MAN-IDENTITY")
    document = await client.post(
        f"/api/v1/victims/{person.id}/identity-documents",
        json={"kind": "birth_certificate"},
        headers=manager.headers,
    )
    line = {"category": "id_documents", "amount": "300.00"}
    named = line | {"identity_document_id": document.json()["id"]}
    answer = await client.post(API, json=grant(person, ngo, "blue", named), headers=manager.headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["lines"][0]["identity_document_id"] == document.json()["id"]


async def test_a_scholarship_is_paid_only_within_a_training_in_progress(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    scholarship = {
        "category": "scholarship",
        "amount": "3000.00",
        "months": 3,
        "training_id": str(TRAINING),
    }
    within = await client.post(
        API, json=grant(person, ngo, "blue", scholarship), headers=manager.headers
    )
    assert within.status_code == 201, within.text
    beyond = grant(person, ngo, "blue", scholarship | {"months": 4, "amount": "4000.00"}) | {
        "period_end": (END + timedelta(days=30)).isoformat()
    }
    answer = await client.post(API, json=beyond, headers=manager.headers)
    expect_problem(answer, 422, "rule_violation", "MAN-TRAINING")


async def test_a_scholarship_is_not_approved_once_its_training_was_dropped(
    client: httpx.AsyncClient, actors: Actors, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    scholarship = {"category": "scholarship", "amount": "3000.00", "months": 3}
    submitted = await _submitted(
        client, grant(person, ngo, "blue", scholarship | {"training_id": str(TRAINING)}), manager
    )
    assert submitted.status_code == 200, submitted.text
    dropped = await client.post(
        f"/api/v1/trainings/{TRAINING}/drop",
        json={"on": END.isoformat(), "reason": "Left the course."},
        headers=manager.headers,
    )
    assert dropped.status_code == 200, dropped.text
    coordinator = await actors.user(Role.COORDINATOR)
    url = f"{API}/{submitted.json()['id']}"
    answer = await client.post(f"{url}/approve", json={}, headers=coordinator.headers)
    expect_problem(answer, 422, "rule_violation", "MAN-TRAINING")
    assert (await client.get(url, headers=manager.headers)).json()["status"] == "submitted"


async def test_a_grant_of_nothing_is_not_submitted(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    """Regression: a grant whose total was 0 could be approved and never paid, keeping the
    case open for ever."""
    answer = await _submitted(
        client, grant(person, ngo, "pink", CLOTHES | {"amount": "0.00"}), manager
    )
    expect_problem(answer, 422, "validation_error")


async def test_a_course_is_capped_once_whenever_its_grants_are(
    client: httpx.AsyncClient, manager: Actor, person: Victim, ngo: Organisation
) -> None:
    """Regression: one course was paid 2,000 in a January grant and 2,000 again in March."""
    january = grant(person, ngo, "blue", COURSE) | {"period_end": "2026-01-31"}
    assert (await _submitted(client, january, manager)).status_code == 200
    march = grant(person, ngo, "blue", COURSE) | {"period_start": "2026-03-01"}
    answer = await client.post(API, json=march, headers=manager.headers)
    body = expect_problem(answer, 422, "rule_violation", "GRANT-CEILING")
    assert (body["committed"], body["ceiling"]) == ("2000.00", "2000.00")
