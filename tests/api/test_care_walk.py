"""One resident through the shelter's care, end to end over HTTP, as the manual describes it
(Part II): primary interview → propose → admit → medical examination → the psychologist's
interview → rehabilitation plan → activate → two weekly reviews → individual and group sessions
→ discharge with exit information → follow-up contact → monitoring six months on → close →
erase, with the worklist checked at each step."""

from datetime import date, timedelta
from typing import Any

import httpx

from tests.api.pathway import PSYCHOLOGICAL
from tests.api.shelter_world import (
    API,
    PRIMARY_INTERVIEW,
    ShelterWorld,
    admitted_stay,
    annex_7,
    build_shelter_world,
    discharge_body,
    resident,
)
from tests.conftest import FakeClock
from tests.factories import Actor, Actors, victim_body
from tests.helpers import expect_problem


class Walk:
    def __init__(self, client: httpx.AsyncClient, world: ShelterWorld, clock: FakeClock) -> None:
        self.client, self.world, self.clock = client, world, clock
        self.start = clock.now()
        self.person = ""

    def day(self, n: int) -> date:
        self.clock.set(self.start + timedelta(days=n))
        return self.clock.today()

    async def post(self, path: str, body: Any, by: Actor, status: int = 200) -> dict[str, Any]:
        answer = await self.client.post(f"{API}{path}", json=body, headers=by.headers)
        assert answer.status_code == status, answer.text
        return dict(answer.json())

    async def worklist(self, by: Actor | None = None) -> list[tuple[str, str, bool, str]]:
        """The shelter manager's items about the walking resident."""
        headers = (by or self.world.manager).headers
        items = (await self.client.get(f"{API}/worklist", headers=headers)).json()["items"]
        return [
            (i["kind"], i["due_on"], i["overdue"], i["rule"])
            for i in items
            if i["victim_id"] == self.person
        ]

    async def assess(self, by: Actor, kind: str, findings: dict[str, Any]) -> dict[str, Any]:
        body = {
            "victim_id": self.person,
            "kind": kind,
            "performed_on": self.clock.today().isoformat(),
            "findings": findings,
        }
        made = await self.post("/assessments", body, by, 201)
        return await self.post(f"/assessments/{made['id']}/complete", {}, by)


async def test_one_resident_through_the_shelters_care(
    client: httpx.AsyncClient, actors: Actors, clock: FakeClock
) -> None:
    world = await build_shelter_world(actors)
    walk = Walk(client, world, clock)
    worker, psychologist, coordinator = world.worker, world.psychologist, world.coordinator
    today = walk.day(0)

    # 0. Registered by the social worker, with her consent to the processing of her data.
    person = await walk.post("/victims", victim_body(identified_on=today.isoformat()), worker, 201)
    walk.person = person["id"]
    await walk.post(f"/victims/{walk.person}/consents", {"purpose": "data_processing"}, worker, 201)

    # 1. The social worker on duty carries out the primary interview (MAN-PRIMARY-INTERVIEW).
    await walk.assess(worker, "primary_interview", PRIMARY_INTERVIEW)
    assert await walk.worklist() == []

    # 2. Proposed by the shelter's staff (the coordinator told the shelter about her).
    stay_body = {
        "victim_id": walk.person,
        "shelter_id": str(world.adult.id),
        "source": "ngo_coordinator",
        "rules_signed_on": today.isoformat(),
        "rights_signed_on": today.isoformat(),
        "pocket_money_per_day": "50.00",
    }
    stay = await walk.post("/shelter-stays", stay_body, worker, 201)
    assert await walk.worklist() == []

    # 3. Admitted by the coordinator: the medical examination is due in three days.
    await walk.post(f"/shelter-stays/{stay['id']}/admit", {}, coordinator)
    exam_due = (today + timedelta(days=3)).isoformat()
    assert await walk.worklist() == [("medical_examination", exam_due, False, "MAN-MEDICAL-EXAM")]

    # 4. The medical examination, on the second day.
    walk.day(2)
    await walk.assess(world.medic, "medical", {"summary": "Healthy.", "needs": []})
    assert await walk.worklist() == []

    # 5. The psychologist's interview, and on it the rehabilitation plan (MAN-REHAB-BASIS).
    interview = await walk.assess(psychologist, "psychological", PSYCHOLOGICAL)
    plan_body = {
        "victim_id": walk.person,
        "assessment_id": interview["id"],
        "kind": "rehabilitation",
        "goals": [{"area": "safety", "objective": "Feels safe; sleeps through the night."}],
        "recovery_stage": "I",
        "planned_months": 3,
    }
    plan = await walk.post("/care-plans", plan_body, psychologist, 201)
    assert await walk.worklist() == []

    # 6. Begun with her consent: the weekly staff meeting reviews it (MAN-STAFF-MEETING).
    activated_on = walk.day(3)
    await walk.post(f"/care-plans/{plan['id']}/activate", {"consent_given": True}, psychologist)
    first_review = (activated_on + timedelta(days=7)).isoformat()
    assert await walk.worklist() == [("plan_review", first_review, False, "MAN-STAFF-MEETING")]

    # 7. Two weekly reviews: the first on its day, the second a day late.
    held = walk.day(10)
    await walk.post(f"/care-plans/{plan['id']}/reviews", {"held_on": held.isoformat()}, worker, 201)
    second_review = (held + timedelta(days=7)).isoformat()
    assert await walk.worklist() == [("plan_review", second_review, False, "MAN-STAFF-MEETING")]
    late = walk.day(18)
    assert await walk.worklist() == [("plan_review", second_review, True, "MAN-STAFF-MEETING")]
    review = {"held_on": late.isoformat(), "recovery_stage": "II"}
    await walk.post(f"/care-plans/{plan['id']}/reviews", review, psychologist, 201)
    third_review = (late + timedelta(days=7)).isoformat()
    assert await walk.worklist() == [("plan_review", third_review, False, "MAN-STAFF-MEETING")]
    reviews = await client.get(f"{API}/care-plans/{plan['id']}/reviews", headers=worker.headers)
    assert len(reviews.json()["items"]) == 2

    # 8. An individual art-therapy session of the plan, and a group session with another resident.
    other = await resident(actors, world)
    await admitted_stay(client, world, other)
    individual = {
        "victim_ids": [walk.person],
        "kind": "individual",
        "method": "art_therapy",
        "held_on": late.isoformat(),
        "duration_minutes": 60,
        "care_plan_id": plan["id"],
        "notes": "Drew the house she grew up in; calmer.",
    }
    await walk.post("/sessions", individual, psychologist, 201)
    group = individual | {
        "victim_ids": [walk.person, str(other.id)],
        "kind": "group",
        "method": "group_therapy",
        "care_plan_id": None,
        "notes": None,
    }
    await walk.post("/sessions", group, psychologist, 201)
    sessions = await client.get(
        f"{API}/sessions", params={"victim_id": walk.person}, headers=worker.headers
    )
    assert [(s["kind"], s["notes_withheld"]) for s in sessions.json()["items"]] == [
        ("group", False),
        ("individual", True),
    ]
    assert await walk.worklist() == [("plan_review", third_review, False, "MAN-STAFF-MEETING")]

    # 9. The plan is completed and she is discharged with the exit information (MAN-EXIT):
    # the follow-up contact a month on, the monitoring report six months on.
    discharged_on = walk.day(24)
    await walk.post(f"/care-plans/{plan['id']}/complete", {}, psychologist)
    discharged = await walk.post(
        f"/shelter-stays/{stay['id']}/discharge", discharge_body(discharged_on), worker
    )
    follow_up_due = (discharged_on + timedelta(days=30)).isoformat()
    monitoring_due = discharged["monitoring_due_on"]
    assert await walk.worklist() == [
        ("follow_up_contact", follow_up_due, False, "SOP-FOLLOW-UP"),
        ("monitoring_report", monitoring_due, False, "MAN-MONITORING-6M"),
    ]

    # 10. The follow-up call, on its day.
    walk.day(54)
    (follow_up,) = (
        await client.get(
            f"{API}/follow-up-contacts", params={"victim_id": walk.person}, headers=worker.headers
        )
    ).json()["items"]
    done = {"done_on": follow_up_due, "channel": "phone", "outcome": "Back home; working."}
    await walk.post(f"/follow-up-contacts/{follow_up['id']}/record", done, worker)
    assert await walk.worklist() == [
        ("monitoring_report", monitoring_due, False, "MAN-MONITORING-6M")
    ]

    # 11. Monitoring six months after discharge (not a day before), the Annex 7 report.
    before = date.fromisoformat(monitoring_due) - timedelta(days=1)
    walk.day((before - today).days)
    report = annex_7(before, employed=True, pay="regular", plans="Her own sewing workshop.")
    refused = await client.post(
        f"{API}/shelter-stays/{stay['id']}/monitoring-report", json=report, headers=worker.headers
    )
    expect_problem(refused, 422, "rule_violation", "MAN-MONITORING-6M")
    walk.day((date.fromisoformat(monitoring_due) - today).days)
    await walk.post(f"/shelter-stays/{stay['id']}/monitoring-report", report, worker, 201)
    assert await walk.worklist() == []

    # 12. Nothing is open: the case is closed as reintegrated; its follow-up stays on the list.
    closed_on = walk.clock.today()
    closure = {"reason": "reintegrated", "exit_information": "The hotline's number."}
    closed = await walk.post(f"/victims/{walk.person}/close", closure, worker)
    assert closed["status"] == "closed"
    closure_follow_up = (closed_on + timedelta(days=30)).isoformat()
    assert await walk.worklist() == [
        ("follow_up_contact", closure_follow_up, False, "SOP-FOLLOW-UP")
    ]

    # 13. The file is kept six months after discharge and until the report is filed: both
    # hold, so the coordinator erases it. She is no one's case any more.
    erased = await walk.post(f"/victims/{walk.person}/erase", None, coordinator)
    assert (erased["status"], erased["given_name"]) == ("erased", "(erased)")
    assert await walk.worklist() == []
    assert await walk.worklist(coordinator) == []
    expect_problem(
        await client.get(f"{API}/victims/{walk.person}", headers=worker.headers), 404, "not_found"
    )
