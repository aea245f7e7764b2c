"""Rehabilitation at the shelter (MAN II 5.3–5.4): a shelter plans for its own resident on the
psychologist's interview (MAN-REHAB-BASIS), the plan is reviewed at the weekly staff meeting
(MAN-STAFF-MEETING), and counselling is recorded as sessions (MAN-SESSIONS)."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.models import Victim
from tests.api.pathway import NEEDS, PSYCHOLOGICAL
from tests.api.shelter_world import (
    API,
    ShelterWorld,
    admitted_stay,
    build_shelter_world,
    discharge_body,
    resident,
    shared_with,
)
from tests.conftest import FakeClock
from tests.factories import Actor, Actors
from tests.helpers import expect_problem


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    world = await build_shelter_world(actors)
    await actors.consent(world.woman, ConsentPurpose.DATA_PROCESSING)
    return world


async def assessed(
    client: httpx.AsyncClient,
    by: Actor,
    victim: Victim,
    kind: str = "psychological",
    findings: dict[str, Any] = PSYCHOLOGICAL,
    complete: bool = True,
) -> dict[str, Any]:
    body = {
        "victim_id": str(victim.id),
        "kind": kind,
        "performed_on": datetime.now(UTC).date().isoformat(),
        "findings": findings,
    }
    made = await client.post(f"{API}/assessments", json=body, headers=by.headers)
    assert made.status_code == 201, made.text
    if not complete:
        return dict(made.json())
    done = await client.post(
        f"{API}/assessments/{made.json()['id']}/complete", json={}, headers=by.headers
    )
    assert done.status_code == 200, done.text
    return dict(done.json())


def plan_body(victim: Victim, assessment_id: str, kind: str = "rehabilitation") -> dict[str, Any]:
    return {
        "victim_id": str(victim.id),
        "assessment_id": assessment_id,
        "kind": kind,
        "goals": [{"area": "safety", "objective": "Sleeps through the night; feels safe."}],
        "recovery_stage": "I",
        "planned_months": 3,
    }


async def draw_up(
    client: httpx.AsyncClient, world: ShelterWorld, body: dict[str, Any]
) -> httpx.Response:
    return await client.post(f"{API}/care-plans", json=body, headers=world.psychologist.headers)


async def active_rehabilitation_plan(
    client: httpx.AsyncClient, world: ShelterWorld, victim: Victim | None = None
) -> dict[str, Any]:
    victim = victim or world.woman
    interview = await assessed(client, world.psychologist, victim)
    made = await draw_up(client, world, plan_body(victim, interview["id"]))
    assert made.status_code == 201, made.text
    active = await client.post(
        f"{API}/care-plans/{made.json()['id']}/activate",
        json={"consent_given": True},
        headers=world.psychologist.headers,
    )
    assert active.status_code == 200, active.text
    return dict(active.json())


async def plans_of(client: httpx.AsyncClient, world: ShelterWorld) -> list[dict[str, Any]]:
    found = await client.get(f"{API}/care-plans", headers=world.psychologist.headers)
    return list(found.json()["items"])


# --- MAN-REHAB-BASIS ---------------------------------------------------------------------------


async def test_a_shelter_plans_the_rehabilitation_of_its_own_resident(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    """No referral to itself: the psychologist's completed interview is the basis."""
    await admitted_stay(client, world)
    interview = await assessed(client, world.psychologist, world.woman)
    made = await draw_up(client, world, plan_body(world.woman, interview["id"]))
    assert made.status_code == 201, made.text
    assert (made.json()["kind"], made.json()["assessment_id"]) == (
        "rehabilitation",
        interview["id"],
    )


async def test_a_rehabilitation_plan_rests_on_the_psychologists_completed_interview(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    primary = (
        await client.get(
            f"{API}/assessments",
            params={"victim_id": str(world.woman.id), "kind": "primary_interview"},
            headers=world.psychologist.headers,
        )
    ).json()["items"][0]
    draft = await assessed(client, world.psychologist, world.woman, complete=False)
    for basis in (primary["id"], draft["id"]):
        expect_problem(
            await draw_up(client, world, plan_body(world.woman, basis)),
            422,
            "rule_violation",
            "MAN-REHAB-BASIS",
        )
    assert await plans_of(client, world) == []


async def test_a_plan_rests_on_the_plans_own_organisations_interview(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    """A partner's psychologist interviewed the person it referred: the shelter plans on its
    own psychologist's interview."""
    person = await actors.victim(world.outsider)
    await shared_with(actors, world, person)
    partner_psychologist = await actors.user(Role.PSYCHOLOGIST, world.outsider)
    theirs = await assessed(client, partner_psychologist, person)
    expect_problem(
        await draw_up(client, world, plan_body(person, theirs["id"])),
        422,
        "rule_violation",
        "MAN-REHAB-BASIS",
    )
    ours = await assessed(client, world.psychologist, person)
    assert (await draw_up(client, world, plan_body(person, ours["id"]))).status_code == 201


async def test_a_plan_on_another_persons_interview_is_refused(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    other = await resident(actors, world)
    theirs = await assessed(client, world.psychologist, other)
    expect_problem(
        await draw_up(client, world, plan_body(world.woman, theirs["id"])), 422, "validation_error"
    )
    assert await plans_of(client, world) == []


async def test_a_reintegration_plan_rests_on_the_reintegration_assessment(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    interview = await assessed(client, world.psychologist, world.woman)
    expect_problem(
        await draw_up(client, world, plan_body(world.woman, interview["id"], "reintegration")),
        422,
        "rule_violation",
        "MAN-REHAB-BASIS",
    )
    reintegration = await assessed(
        client, world.worker, world.woman, kind="reintegration", findings=NEEDS
    )
    made = await draw_up(
        client, world, plan_body(world.woman, reintegration["id"], "reintegration")
    )
    assert made.status_code == 201, made.text
    assert made.json()["kind"] == "reintegration"


async def test_the_sops_care_plan_keeps_its_own_basis(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    interview = await assessed(client, world.psychologist, world.woman)
    expect_problem(
        await draw_up(client, world, plan_body(world.woman, interview["id"], "care")),
        422,
        "rule_violation",
        "SOP-CAREPLAN-BASIS",
    )


# --- MAN-STAFF-MEETING -------------------------------------------------------------------------


async def plan_reviews(client: httpx.AsyncClient, actor: Actor) -> list[tuple[str, str, bool]]:
    items = (await client.get(f"{API}/worklist", headers=actor.headers)).json()["items"]
    return [
        (i["record_id"], i["due_on"], i["overdue"]) for i in items if i["kind"] == "plan_review"
    ]


async def test_the_weekly_staff_meeting_reviews_each_residents_active_plan(
    client: httpx.AsyncClient, world: ShelterWorld, clock: FakeClock
) -> None:
    stay = await admitted_stay(client, world)
    start = clock.now()
    plan = await active_rehabilitation_plan(client, world)
    week = (world.today + timedelta(days=7)).isoformat()
    for staff in (world.manager, world.psychologist, world.worker, world.coordinator):
        assert await plan_reviews(client, staff) == [(plan["id"], week, False)]
    assert await plan_reviews(client, world.outside_manager) == []
    item = next(
        i
        for i in (await client.get(f"{API}/worklist", headers=world.manager.headers)).json()[
            "items"
        ]
        if i["kind"] == "plan_review"
    )
    assert item["rule"] == "MAN-STAFF-MEETING"

    # missed: overdue the day after; the review held then moves it on a week
    clock.set(start + timedelta(days=8))
    assert await plan_reviews(client, world.manager) == [(plan["id"], week, True)]
    held_on = clock.today()
    review = await client.post(
        f"{API}/care-plans/{plan['id']}/reviews",
        json={"held_on": held_on.isoformat(), "recovery_stage": "II"},
        headers=world.psychologist.headers,
    )
    assert review.status_code == 201, review.text
    next_week = (held_on + timedelta(days=7)).isoformat()
    assert await plan_reviews(client, world.manager) == [(plan["id"], next_week, False)]

    # discharge ends it
    await client.post(
        f"{API}/shelter-stays/{stay['id']}/discharge",
        json=discharge_body(clock.today()),
        headers=world.worker.headers,
    )
    assert await plan_reviews(client, world.manager) == []


async def test_only_active_rehabilitation_plans_of_residents_are_reviewed(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    # not admitted: no staff meeting item
    await active_rehabilitation_plan(client, world)
    assert await plan_reviews(client, world.manager) == []
    # admitted, a draft plan: none either
    await admitted_stay(client, world)
    interview = await assessed(client, world.psychologist, world.woman)
    draft = (await draw_up(client, world, plan_body(world.woman, interview["id"]))).json()
    assert draft["id"] not in [r[0] for r in await plan_reviews(client, world.manager)]
    assert len(await plan_reviews(client, world.manager)) == 1


# --- MAN-SESSIONS ------------------------------------------------------------------------------


def session_body(*victims: Victim, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "victim_ids": [str(v.id) for v in victims],
        "kind": "individual",
        "method": "art_therapy",
        "held_on": datetime.now(UTC).date().isoformat(),
        "duration_minutes": 60,
    }
    return body | overrides


async def record(client: httpx.AsyncClient, by: Actor, body: dict[str, Any]) -> httpx.Response:
    return await client.post(f"{API}/sessions", json=body, headers=by.headers)


async def sessions_seen(client: httpx.AsyncClient, by: Actor, **params: str) -> list[Any]:
    found = await client.get(f"{API}/sessions", params=params, headers=by.headers)
    assert found.status_code == 200, found.text
    return list(found.json()["items"])


NOTES = "Sand tray: the house with no door. Less startled; first mention of her brother."


async def test_session_notes_are_for_the_psychologist_and_the_medical_officer(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    made = await record(client, world.psychologist, session_body(world.woman, notes=NOTES))
    assert made.status_code == 201, made.text
    url = made.headers["location"]
    assert made.json()["notes"] == NOTES
    legal = await actors.user(Role.LEGAL_COUNSELLOR, world.runner)
    for reader, sees in [
        (world.psychologist, True),
        (world.medic, True),
        (world.worker, False),
        (world.manager, False),
        (world.coordinator, False),
        (legal, False),
    ]:
        one = (await client.get(url, headers=reader.headers)).json()
        listed = (await sessions_seen(client, reader, victim_id=str(world.woman.id)))[0]
        exported = (
            await client.get(f"{API}/victims/{world.woman.id}/export", headers=reader.headers)
        ).json()
        # the legal counsellor does not export the file
        shown = [one, listed, *exported.get("sessions", [])]
        for view in shown:
            assert (view["notes"], view["notes_withheld"]) == (
                (NOTES, False) if sees else (None, True)
            ), reader.role
            assert view["method"] == "art_therapy"


async def test_notes_are_written_by_those_who_may_read_them(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    expect_problem(
        await record(client, world.worker, session_body(world.woman, notes=NOTES)),
        422,
        "rule_violation",
        "MAN-SESSIONS",
    )
    assert await sessions_seen(client, world.worker) == []
    social_skills = session_body(world.woman, method="social_skills")
    made = await record(client, world.worker, social_skills)
    assert made.status_code == 201, made.text
    assert (made.json()["notes"], made.json()["notes_withheld"]) == (None, False)


@pytest.mark.parametrize("role", [Role.LEGAL_COUNSELLOR, Role.MEDICAL_OFFICER, Role.COORDINATOR])
async def test_counselling_is_the_psychologists_and_the_social_workers(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, role: Role
) -> None:
    caller = await actors.user(role, None if role is Role.COORDINATOR else world.runner)
    expect_problem(await record(client, caller, session_body(world.woman)), 403, "forbidden")


async def test_a_group_session_names_several_residents(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    other = await resident(actors, world)
    group = session_body(world.woman, other, kind="group", method="group_therapy")
    made = await record(client, world.psychologist, group)
    assert made.status_code == 201, made.text
    assert sorted(made.json()["victim_ids"]) == sorted([str(world.woman.id), str(other.id)])
    for person in (world.woman, other):
        assert [
            s["id"] for s in await sessions_seen(client, world.worker, victim_id=str(person.id))
        ] == [made.json()["id"]]
    wrong = [
        session_body(world.woman, kind="group"),
        session_body(world.woman, other, kind="individual"),
        session_body(world.woman, other, kind="family"),
    ]
    for body in wrong:
        expect_problem(
            await record(client, world.psychologist, body), 422, "rule_violation", "MAN-SESSIONS"
        )
    assert len(await sessions_seen(client, world.psychologist)) == 1


async def test_a_session_with_a_person_the_caller_cannot_see_is_not_found(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    theirs = await actors.victim(world.outsider)
    body = session_body(world.woman, theirs, kind="group")
    expect_problem(await record(client, world.psychologist, body), 404, "not_found")
    expect_problem(await record(client, world.psychologist, session_body(theirs)), 404, "not_found")
    assert await sessions_seen(client, world.coordinator) == []


async def test_a_group_session_shows_only_the_persons_the_caller_sees(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    """A partner that sees one resident's case sees that she took part, not who else did."""
    shared = await resident(actors, world)
    await shared_with(actors, world, shared, receiver=world.outsider)
    group = session_body(world.woman, shared, kind="group", method="group_therapy", notes=NOTES)
    made = (await record(client, world.psychologist, group)).json()
    seen = await sessions_seen(client, world.outside_worker)
    assert [(s["id"], s["victim_ids"], s["other_participants"]) for s in seen] == [
        (made["id"], [str(shared.id)], 1)
    ]
    assert seen[0]["notes"] is None
    one = await client.get(f"{API}/sessions/{made['id']}", headers=world.outside_worker.headers)
    assert one.json()["victim_ids"] == [str(shared.id)]
    stranger = await actors.user(Role.SOCIAL_WORKER, await actors.organisation())
    expect_problem(
        await client.get(f"{API}/sessions/{made['id']}", headers=stranger.headers),
        404,
        "not_found",
    )


async def test_a_family_session_needs_consent_and_a_family_risk_assessment(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    family = session_body(world.woman, kind="family", method="counselling")
    expect_problem(
        await record(client, world.psychologist, family), 422, "consent_required", "SOP-FAMILY"
    )
    await actors.consent(world.woman, ConsentPurpose.FAMILY_INVOLVEMENT)
    expect_problem(
        await record(client, world.psychologist, family), 422, "rule_violation", "SOP-FAMILY"
    )
    risk = {
        "family_involved_in_trafficking": False,
        "other_violence": False,
        "witnessed_violence": False,
        "blame_or_rejection_risk": False,
        "competent_to_support": True,
        "minimum_financial_means": True,
    }
    await assessed(client, world.worker, world.woman, kind="family_risk", findings=risk)
    assert (await record(client, world.psychologist, family)).status_code == 201


async def test_a_session_realises_an_active_plan_and_is_listed_with_it(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    interview = await assessed(client, world.psychologist, world.woman)
    draft = (await draw_up(client, world, plan_body(world.woman, interview["id"]))).json()
    of_draft = session_body(world.woman, care_plan_id=draft["id"])
    expect_problem(
        await record(client, world.psychologist, of_draft), 422, "rule_violation", "MAN-SESSIONS"
    )
    await client.post(
        f"{API}/care-plans/{draft['id']}/activate",
        json={"consent_given": True},
        headers=world.psychologist.headers,
    )
    made = await record(client, world.psychologist, of_draft)
    assert made.status_code == 201, made.text
    await record(client, world.psychologist, session_body(world.woman))  # outside the plan
    listed = await sessions_seen(client, world.worker, care_plan_id=draft["id"])
    assert [s["id"] for s in listed] == [made.json()["id"]]
    # a plan of someone who is not in the session
    other = await resident(actors, world)
    expect_problem(
        await record(client, world.psychologist, session_body(other, care_plan_id=draft["id"])),
        422,
        "validation_error",
    )


async def test_a_session_is_held_in_the_past_after_identification(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, clock: FakeClock
) -> None:
    today = clock.today()
    person = await resident(actors, world, identified_on=today - timedelta(days=3))
    for held_on in (today + timedelta(days=1), today - timedelta(days=4)):
        expect_problem(
            await record(
                client, world.psychologist, session_body(person, held_on=held_on.isoformat())
            ),
            422,
            "validation_error",
        )
    entered_late = session_body(person, held_on=(today - timedelta(days=3)).isoformat())
    assert (await record(client, world.psychologist, entered_late)).status_code == 201


async def test_group_notes_go_only_to_who_sees_everyone_in_the_group(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    """A group session's notes speak of every person in it: a psychologist of a partner that
    sees only one of them does not read them, nor does the person's own file carry them."""
    other = await resident(actors, world)
    await shared_with(actors, world, world.woman, receiver=world.outsider)
    group = session_body(world.woman, other, kind="group", method="group_therapy", notes=NOTES)
    made = (await record(client, world.psychologist, group)).json()
    partner_psychologist = await actors.user(Role.PSYCHOLOGIST, world.outsider)
    seen = (
        await client.get(f"{API}/sessions/{made['id']}", headers=partner_psychologist.headers)
    ).json()
    assert (seen["victim_ids"], seen["other_participants"]) == ([str(world.woman.id)], 1)
    assert (seen["notes"], seen["notes_withheld"]) == (None, True)
    ours = (
        await client.get(f"{API}/sessions/{made['id']}", headers=world.psychologist.headers)
    ).json()
    assert ours["notes"] == NOTES
    exported = (
        await client.get(
            f"{API}/victims/{world.woman.id}/export", headers=world.psychologist.headers
        )
    ).json()
    assert [(s["notes"], s["notes_withheld"]) for s in exported["sessions"]] == [(None, True)]


async def test_sessions_are_not_filtered_by_a_person_the_caller_cannot_see(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> None:
    hidden = await resident(actors, world)
    await shared_with(actors, world, world.woman, receiver=world.outsider)
    group = session_body(world.woman, hidden, kind="group", method="group_therapy")
    await record(client, world.psychologist, group)
    assert await sessions_seen(client, world.outside_worker, victim_id=str(hidden.id)) == []
    assert (
        len(await sessions_seen(client, world.outside_worker, victim_id=str(world.woman.id))) == 1
    )


async def test_a_plan_begun_last_week_is_entered_today(
    client: httpx.AsyncClient, world: ShelterWorld, clock: FakeClock
) -> None:
    await admitted_stay(client, world)
    interview = await assessed(client, world.psychologist, world.woman)
    plan = (await draw_up(client, world, plan_body(world.woman, interview["id"]))).json()
    url = f"{API}/care-plans/{plan['id']}/activate"
    today = clock.today()
    for wrong in (today + timedelta(days=1), today - timedelta(days=1)):  # before the interview
        expect_problem(
            await client.post(
                url,
                json={"consent_given": True, "activated_on": wrong.isoformat()},
                headers=world.psychologist.headers,
            ),
            422,
            "validation_error",
        )
    active = await client.post(
        url,
        json={"consent_given": True, "activated_on": today.isoformat()},
        headers=world.psychologist.headers,
    )
    assert active.json()["activated_on"] == today.isoformat()
    # the staff meeting's clock runs from the day the plan began
    assert await plan_reviews(client, world.manager) == [
        (plan["id"], (today + timedelta(days=7)).isoformat(), False)
    ]
