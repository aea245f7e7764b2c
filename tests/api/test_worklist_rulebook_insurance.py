"""The worklist's scope and order, the published rulebook, and SOP-INSURANCE over HTTP."""

from datetime import date, timedelta

import httpx
import pytest

from app.domain.access import Role
from app.domain.casework import FollowUpTrigger
from app.models import FollowUpContact
from tests.api.pathway import API, World, build_world, referral_in_progress
from tests.factories import Actors
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> World:
    return await build_world(actors)


async def _follow_up(
    actors: Actors, world: World, due_on: date, organisation_id=None
) -> FollowUpContact:  # type: ignore[no-untyped-def]
    return await actors.add(  # type: ignore[no-any-return]
        FollowUpContact(
            victim_id=world.victim.id,
            organisation_id=organisation_id or world.directorate.id,
            trigger=FollowUpTrigger.AGREEMENT_ENDED,
            due_on=due_on,
            rulebook_version="kg-2026.1",
        )
    )


async def test_worklist_items_are_sorted_by_due_date_and_flag_the_overdue(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    later = await _follow_up(actors, world, world.today + timedelta(days=3))
    overdue = await _follow_up(actors, world, world.today - timedelta(days=2))
    today = await _follow_up(actors, world, world.today)
    answer = await client.get(f"{API}/worklist", headers=world.directorate_worker.headers)
    items = answer.json()["items"]
    assert [i["record_id"] for i in items] == [str(overdue.id), str(today.id), str(later.id)]
    assert [i["overdue"] for i in items] == [True, False, False]
    assert {i["victim_id"] for i in items} == {str(world.victim.id)}
    assert set(items[0]) == {"kind", "due_on", "overdue", "rule", "victim_id", "record_id"}


async def test_the_worklist_shows_only_the_callers_work_on_cases_it_sees(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await _follow_up(actors, world, world.today)
    other_case = await actors.victim(world.ngo)
    await actors.add(
        FollowUpContact(
            victim_id=other_case.id,
            organisation_id=world.ngo.id,
            trigger=FollowUpTrigger.AGREEMENT_ENDED,
            due_on=world.today,
            rulebook_version="kg-2026.1",
        )
    )
    mine = (await client.get(f"{API}/worklist", headers=world.directorate_worker.headers)).json()[
        "items"
    ]
    assert [i["victim_id"] for i in mine] == [str(world.victim.id)]
    theirs = (await client.get(f"{API}/worklist", headers=world.ngo_worker.headers)).json()["items"]
    assert [i["victim_id"] for i in theirs] == [str(other_case.id)]
    everyone = (await client.get(f"{API}/worklist", headers=world.coordinator.headers)).json()[
        "items"
    ]
    assert len(everyone) == 2


async def test_an_assessment_item_leaves_the_worklist_when_the_consent_is_withdrawn(
    client: httpx.AsyncClient, world: World
) -> None:
    await referral_in_progress(client, world)
    headers = world.provider_worker.headers
    assert len((await client.get(f"{API}/worklist", headers=headers)).json()["items"]) == 1
    person = f"{API}/victims/{world.victim.id}"
    consents = (
        await client.get(f"{person}/consents", headers=world.directorate_worker.headers)
    ).json()["items"]
    share = next(c for c in consents if c["purpose"] == "share_with_organisation")
    await client.post(
        f"{person}/consents/{share['id']}/withdraw", headers=world.directorate_worker.headers
    )
    assert (await client.get(f"{API}/worklist", headers=headers)).json()["items"] == []


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR, Role.SCME_SYSTEM, Role.PARTNER_SYSTEM])
async def test_roles_without_case_work_have_no_worklist(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    expect_problem(await client.get(f"{API}/worklist", headers=caller.headers), 403, "forbidden")


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_the_rulebook_is_published_to_every_caller(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    rulebook = (await client.get(f"{API}/rulebook", headers=caller.headers)).json()
    assert rulebook["version"] == "kg-2026.1"
    assert rulebook["individual_assessment_days"] == 20
    assert rulebook["term_months"] == {"short": 6, "medium": 12, "long": 36}
    assert rulebook["grant_lines"]["pink"]["clothes_summer"] == {
        "basis": "fixed",
        "rate": "2000.00",
        "justification_required": False,
        "purpose": None,
    }
    assert rulebook["pocket_money_min_per_day"] == "50.00"


async def test_the_rulebook_needs_a_token(client: httpx.AsyncClient) -> None:
    expect_problem(await client.get(f"{API}/rulebook"), 401, "unauthenticated")


@pytest.mark.parametrize(
    ("facts", "path", "needed"),
    [
        (
            {
                "departed_on": "2025-01-01",
                "returned_on": "2025-07-03",
                "health_contributions_unpaid": False,
            },
            "insured",
            0,
        ),
        (
            {
                "departed_on": "2025-01-01",
                "returned_on": "2025-07-04",
                "insured_months_since_return": 2,
            },
            "regain",
            4,
        ),
        ({"health_contributions_unpaid": True, "insured_months_since_return": 6}, "insured", 0),
        (
            {
                "departed_on": "2024-01-01",
                "returned_on": "2025-01-01",
                "eligible_for_social_benefits": True,
            },
            "state_budget",
            None,
        ),
        ({}, "unknown", None),
    ],
    ids=["183-days-paid", "184-days", "unpaid-then-6-months", "social-benefits", "no-facts"],
)
async def test_health_insurance_situation(
    client: httpx.AsyncClient, world: World, facts: dict[str, object], path: str, needed: int | None
) -> None:
    url = f"{API}/victims/{world.victim.id}"
    headers = world.directorate_worker.headers
    assert (await client.patch(url, json=facts, headers=headers)).status_code == 200
    answer = await client.get(f"{url}/health-insurance", headers=headers)
    assert answer.status_code == 200, answer.text
    situation = answer.json()
    assert (situation["rule"], situation["path"]) == ("SOP-INSURANCE", path)
    assert situation["insured_months_needed"] == needed
    if path == "regain":
        assert situation["lump_sum_contributions"] == 12
        assert situation["days_abroad"] == 184


async def test_health_insurance_is_not_for_every_role(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    medic = await actors.user(Role.MEDICAL_OFFICER, world.directorate)
    url = f"{API}/victims/{world.victim.id}/health-insurance"
    expect_problem(await client.get(url, headers=medic.headers), 403, "forbidden")
    expect_problem(await client.get(url, headers=world.ngo_worker.headers), 404, "not_found")


async def test_the_worklist_pages_in_due_order(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    made = [
        await _follow_up(actors, world, world.today + timedelta(days=d)) for d in (4, 1, 3, 0, 2)
    ]
    expected = [str(f.id) for f in sorted(made, key=lambda f: f.due_on)]
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (
            await client.get(
                f"{API}/worklist", params=params, headers=world.directorate_worker.headers
            )
        ).json()
        seen += [i["record_id"] for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == expected
    bad = await client.get(
        f"{API}/worklist", params={"cursor": "nonsense"}, headers=world.directorate_worker.headers
    )
    expect_problem(bad, 422, "validation_error")


async def test_the_worklist_pages_across_kinds_due_the_same_day(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    """Each kind is read by its own branch, cut at the cursor: an item of another kind due the
    same day is neither lost nor shown twice between pages (ordered by due date, kind, record)."""
    referral = await referral_in_progress(client, world)  # the assessment due in 20 days
    due = date.fromisoformat(referral["individual_assessment_due_on"])
    follow_ups = [
        await _follow_up(actors, world, due + timedelta(days=d), world.provider.id)
        for d in (0, -1, 0, 1)
    ]
    expected = sorted(
        [(f.due_on.isoformat(), "follow_up_contact", str(f.id)) for f in follow_ups]
        + [(due.isoformat(), "individual_needs_assessment", referral["id"])]
    )
    headers = world.provider_worker.headers
    seen, cursor = [], None
    while True:
        params = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(f"{API}/worklist", params=params, headers=headers)).json()
        seen += [(i["due_on"], i["kind"], i["record_id"]) for i in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    whole = (await client.get(f"{API}/worklist", headers=headers)).json()["items"]
    assert seen == expected
    assert [(i["due_on"], i["kind"], i["record_id"]) for i in whole] == expected
