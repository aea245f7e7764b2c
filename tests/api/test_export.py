"""ACCESS-OWN-RECORDS: the person's export is everything held on them — grants, alerts,
sessions, visits naming them, closures and reopenings among the rest — as the caller's role may
read it, naming what it may not."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus
from app.domain.consent import ConsentPurpose
from app.domain.grants import GrantStatus
from app.domain.rulebook import GrantForm
from app.models import Alert, Assessment, GrantLine, ReintegrationGrant
from tests.api.shelter_world import (
    API,
    EXIT_INFORMATION,
    ShelterWorld,
    admitted_stay,
    build_shelter_world,
    propose,
    resident,
    shared_with,
)
from tests.factories import Actor, Actors


async def hold_everything(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld
) -> dict[str, str]:
    """One of each new kind of record about the woman."""
    woman = world.woman
    # admitted two days ago: the visit, half an hour ago, falls within the stay at any hour
    two_days_ago = (world.today - timedelta(days=2)).isoformat()
    proposed = await propose(client, world, proposed_on=two_days_ago)
    admitted = await client.post(
        f"{API}/shelter-stays/{proposed.json()['id']}/admit",
        json={"admitted_on": two_days_ago},
        headers=world.coordinator.headers,
    )
    assert admitted.status_code == 200, admitted.text
    grant = await actors.add(
        ReintegrationGrant(
            victim_id=woman.id,
            form=GrantForm.PINK,
            ngo_organisation_id=world.runner.id,
            period_start=world.today,
            period_end=world.today,
            status=GrantStatus.DRAFT,
            total=Decimal("500.00"),
            author_id=world.worker.id,
            author_organisation_id=world.runner.id,
            rulebook_version="kg-2026.1",
        )
    )
    await actors.add(
        GrantLine(
            grant_id=grant.id,
            position=0,
            category="underwear",
            amount=Decimal("500.00"),
            ceiling=Decimal("500.00"),
        )
    )
    interview = await actors.add(
        Assessment(
            victim_id=woman.id,
            kind=AssessmentKind.PSYCHOLOGICAL,
            status=AssessmentStatus.COMPLETED,
            organisation_id=world.runner.id,
            author_id=world.psychologist.id,
            author_role=Role.PSYCHOLOGIST,
            rulebook_version="kg-2026.1",
        )
    )
    alert = await actors.add(
        Alert(
            victim_id=woman.id,
            organisation_id=world.runner.id,
            assessment_id=interview.id,
            raised_on=world.today,
        )
    )
    other = await resident(actors, world)
    await admitted_stay(client, world, other)
    group = {
        "victim_ids": [str(woman.id), str(other.id)],
        "kind": "group",
        "method": "group_therapy",
        "held_on": world.today.isoformat(),
        "duration_minutes": 90,
        "notes": "Both spoke of going home.",
    }
    session = await client.post(f"{API}/sessions", json=group, headers=world.psychologist.headers)
    assert session.status_code == 201, session.text
    visit = {
        "visitor_kind": "family",
        "visitor_name": "Her sister",
        "visitor_organisation": "family",
        "victim_id": str(woman.id),
        "justification": "Agreed with the resident and the manager.",
        "arrived_at": (datetime.now(UTC) - timedelta(minutes=30)).isoformat(),
    }
    made = await client.post(
        f"{API}/shelters/{world.adult.id}/visits", json=visit, headers=world.worker.headers
    )
    assert made.status_code == 201, made.text
    return {
        "grant": str(grant.id),
        "alert": str(alert.id),
        "session": session.json()["id"],
        "visit": made.json()["id"],
    } | await protection_records(client, actors, world, other.id)


async def protection_records(
    client: httpx.AsyncClient, actors: Actors, world: ShelterWorld, other: Any
) -> dict[str, str]:
    """A legal consultation, a disclosure, an incident naming her and another resident, and a
    complaint about the social worker."""
    woman, day = world.woman, world.today.isoformat()
    counsellor = await actors.user(Role.LEGAL_COUNSELLOR, world.runner)
    consultation = {
        "victim_id": str(woman.id),
        "held_on": day,
        "psychologist_approval": {"by_user_id": str(world.psychologist.id), "on": day},
        "options_explained": ["no_cooperation", "intelligence_only", "witness", "compensation"],
        "decision": "witness",
        "notes": "She will testify.",
    }
    consent = await actors.consent(woman, ConsentPurpose.LAW_ENFORCEMENT_COOPERATION)
    disclosure = {
        "victim_id": str(woman.id),
        "recipient": "court",
        "recipient_name": "District court",
        "what": "Her statement.",
        "disclosed_on": day,
    }
    incident = {
        "shelter_id": str(world.adult.id),
        "kind": "threat",
        "occurred_at": actors.clock.now().isoformat(),
        "police_called": False,
        "summary": "A threatening call.",
        "victim_ids": [str(woman.id), str(other)],
    }
    complaint = {
        "victim_id": str(woman.id),
        "kind": "staff_conduct",
        "about_user_id": str(world.worker.id),
        "summary": "Shouted at.",
        "received_on": day,
    }
    made = {}
    for name, path, body, by in (
        ("consultation", "legal-consultations", consultation, counsellor),
        ("disclosure", "disclosures", disclosure, counsellor),
        ("incident", "incidents", incident, world.worker),
        ("complaint", "complaints", complaint, world.psychologist),
    ):
        answer = await client.post(f"{API}/{path}", json=body, headers=by.headers)
        assert answer.status_code == 201, answer.text
        made[name] = answer.json()["id"]
    return made | {"consent": str(consent.id)}


async def export(client: httpx.AsyncClient, world: ShelterWorld, by: Actor) -> dict[str, Any]:
    answer = await client.get(f"{API}/victims/{world.woman.id}/export", headers=by.headers)
    assert answer.status_code == 200, answer.text
    return dict(answer.json())


async def test_the_export_holds_everything_as_the_role_may_read_it(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    held = await hold_everything(client, actors, world)

    full = await export(client, world, world.manager)
    assert full["withheld"] == []
    assert [g["id"] for g in full["grants"]] == [held["grant"]]
    assert [line["category"] for line in full["grants"][0]["lines"]] == ["underwear"]
    assert [a["id"] for a in full["alerts"]] == [held["alert"]]
    assert [v["id"] for v in full["visits"]] == [held["visit"]]
    (session,) = full["sessions"]
    assert (session["id"], session["notes"], session["notes_withheld"]) == (
        held["session"],
        None,
        True,
    )
    assert len(session["victim_ids"]) == 2
    (consultation,) = full["legal_consultations"]
    assert (consultation["id"], consultation["legal_withheld"]) == (held["consultation"], True)
    assert [(d["disclosure"]["id"], d["consent"]["id"]) for d in full["disclosures"]] == [
        (held["disclosure"], held["consent"])
    ]
    (incident,) = full["incidents"]  # the other resident counted, not named: she takes it away
    assert (incident["id"], incident["victim_ids"], incident["other_residents"]) == (
        held["incident"],
        [str(world.woman.id)],
        1,
    )
    assert [c["id"] for c in full["complaints"]] == [held["complaint"]]

    psychologist = await export(client, world, world.psychologist)
    assert sorted(psychologist["withheld"]) == ["complaints", "grants", "visits"]
    assert psychologist["complaints"] == []
    assert psychologist["legal_consultations"][0]["decision"] == "witness"
    assert (psychologist["grants"], psychologist["visits"]) == ([], [])
    # a group session's notes speak of the others too: not in one person's own file
    assert (
        psychologist["sessions"][0]["notes"],
        psychologist["sessions"][0]["notes_withheld"],
    ) == (
        None,
        True,
    )
    assert [a["id"] for a in psychologist["alerts"]] == [held["alert"]]

    worker = await export(client, world, world.worker)
    assert sorted(worker["withheld"]) == ["alerts", "complaints", "visits"]
    assert worker["complaints"] == []  # and never to the social worker it names
    assert [g["id"] for g in worker["grants"]] == [held["grant"]]


async def test_the_export_lists_closures_and_reopenings(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    person = f"{API}/victims/{world.woman.id}"
    closure = {"reason": "returned_home", "exit_information": EXIT_INFORMATION}
    await client.post(f"{person}/close", json=closure, headers=world.worker.headers)
    await client.post(f"{person}/reopen", json={"reason": "Back."}, headers=world.worker.headers)
    closures = (await export(client, world, world.worker))["closures"]
    assert [(c["reason"], c["reopen_reason"]) for c in closures] == [("returned_home", "Back.")]


async def test_exporting_a_group_session_audits_the_others_shown(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    held = await hold_everything(client, actors, world)
    session = (await export(client, world, world.manager))["sessions"][0]
    (other,) = [v for v in session["victim_ids"] if v != str(world.woman.id)]
    trail = (
        await client.get(
            f"{API}/audit-events",
            params={"victim_id": other, "record_type": "counselling_session", "action": "list"},
            headers=world.coordinator.headers,
        )
    ).json()["items"]
    assert [(e["record_id"], e["actor_id"]) for e in trail] == [
        (held["session"], str(world.manager.id))
    ]


async def test_another_organisation_exports_no_visits_or_alerts_of_this_shelter(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """A partner's manager sees the shared case, but reads neither this shelter's visitor log
    nor the alerts raised to this NGO: their export does not show them either."""
    world = await build_shelter_world(actors)
    await hold_everything(client, actors, world)
    await shared_with(actors, world, world.woman, receiver=world.outsider)
    theirs = await export(client, world, world.outside_manager)
    assert (theirs["visits"], theirs["alerts"], theirs["withheld"]) == ([], [], [])
    coordinator = await export(client, world, world.coordinator)
    assert (len(coordinator["visits"]), len(coordinator["alerts"])) == (1, 1)
