"""One resident through the shelter, end to end over HTTP, with the worklist checked at each
step: propose → admit → medical examination → discharge → monitoring report; then a
psychologist's alarming finding, and erasure once the file may go."""

from datetime import timedelta
from uuid import UUID

import httpx
from sqlmodel import select

from app.models import Consent, HealthRecord, ShelterStay
from tests.api.shelter_world import (
    API,
    ShelterWorld,
    admitted_stay,
    annex_7,
    build_shelter_world,
    discharge_body,
    propose,
)
from tests.conftest import FakeClock
from tests.factories import Actor, Actors
from tests.helpers import expect_problem


async def worklist(client: httpx.AsyncClient, actor: Actor) -> list[tuple[str, str, bool, str]]:
    items = (await client.get(f"{API}/worklist", headers=actor.headers)).json()["items"]
    return [(i["kind"], i["due_on"], i["overdue"], i["rule"]) for i in items]


async def test_one_resident_through_the_shelter(
    client: httpx.AsyncClient, actors: Actors, clock: FakeClock
) -> None:
    world = await build_shelter_world(actors)
    start = clock.now()

    # 1. Proposed by the shelter's social worker: nothing due yet.
    proposed = await propose(client, world)
    assert proposed.json()["status"] == "proposed"
    assert await worklist(client, world.manager) == []

    # 2. Admitted by the coordinator: the medical examination is due in three days.
    stay_url = f"{API}/shelter-stays/{proposed.json()['id']}"
    admitted = await client.post(f"{stay_url}/admit", json={}, headers=world.coordinator.headers)
    exam_due = (world.today + timedelta(days=3)).isoformat()
    assert admitted.json()["medical_exam_due_on"] == exam_due
    assert await worklist(client, world.manager) == [
        ("medical_examination", exam_due, False, "MAN-MEDICAL-EXAM")
    ]
    assert await worklist(client, world.outside_manager) == []  # another NGO's work? no

    # ... overdue on the fourth day.
    clock.set(start + timedelta(days=4))
    assert await worklist(client, world.medic) == [
        ("medical_examination", exam_due, True, "MAN-MEDICAL-EXAM")
    ]

    # 3. The medical examination, recorded by the medical officer: off the list.
    exam = await client.post(
        f"{API}/assessments",
        json={
            "victim_id": str(world.woman.id),
            "kind": "medical",
            "performed_on": clock.today().isoformat(),
            "findings": {"summary": "Healthy; vaccinations due.", "needs": ["vaccination"]},
        },
        headers=world.medic.headers,
    )
    assert exam.status_code == 201, exam.text
    assert await worklist(client, world.manager) == [
        ("medical_examination", exam_due, True, "MAN-MEDICAL-EXAM")
    ]  # a draft is not the exam
    await client.post(
        f"{API}/assessments/{exam.json()['id']}/complete", json={}, headers=world.medic.headers
    )
    assert await worklist(client, world.manager) == []

    # 4. Discharged 2 months in, handed over, with the exit information: the follow-up
    # contact falls due a month on (MAN-EXIT), the monitoring report six months on.
    clock.set(start + timedelta(days=60))
    discharged_on = clock.today()
    discharge = discharge_body(discharged_on, handover_organisation_id=str(world.outsider.id))
    done = await client.post(f"{stay_url}/discharge", json=discharge, headers=world.worker.headers)
    assert done.json()["exit_information"] == discharge["exit_information"]
    monitoring_due = done.json()["monitoring_due_on"]
    follow_up_due = (discharged_on + timedelta(days=30)).isoformat()
    assert await worklist(client, world.worker) == [
        ("follow_up_contact", follow_up_due, False, "SOP-FOLLOW-UP"),
        ("monitoring_report", monitoring_due, False, "MAN-MONITORING-6M"),
    ]
    follow_ups = (
        await client.get(
            f"{API}/follow-up-contacts",
            params={"victim_id": str(world.woman.id)},
            headers=world.worker.headers,
        )
    ).json()["items"]
    assert [(f["trigger"], f["stay_id"]) for f in follow_ups] == [("discharged", done.json()["id"])]
    recorded = await client.post(
        f"{API}/follow-up-contacts/{follow_ups[0]['id']}/record",
        json={"done_on": follow_up_due, "channel": "phone"},
        headers=world.worker.headers,
    )
    assert recorded.status_code == 422, recorded.text  # not yet: it lies in the future
    clock.set(start + timedelta(days=90))
    recorded = await client.post(
        f"{API}/follow-up-contacts/{follow_ups[0]['id']}/record",
        json={"done_on": follow_up_due, "channel": "phone"},
        headers=world.worker.headers,
    )
    assert recorded.status_code == 200, recorded.text

    # 5. Six months and a day later it is overdue; the Annex 7 report clears it.
    clock.set(start + timedelta(days=60 + 185))
    assert await worklist(client, world.worker) == [
        ("monitoring_report", monitoring_due, True, "MAN-MONITORING-6M")
    ]
    report = annex_7(clock.today(), employed=True, pay="partial", plans="Study accounting.")
    made = await client.post(
        f"{stay_url}/monitoring-report", json=report, headers=world.worker.headers
    )
    assert made.status_code == 201, made.text
    assert await worklist(client, world.worker) == []
    assert await worklist(client, world.coordinator) == []


async def test_a_finding_of_mental_disorder_alerts_the_shelter_manager_and_the_coordinator(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    await admitted_stay(client, world)
    await client.post(
        f"{API}/assessments",
        json={
            "victim_id": str(world.woman.id),
            "kind": "medical",
            "performed_on": world.today.isoformat(),
            "findings": {"summary": "ok", "needs": []},
        },
        headers=world.medic.headers,
    )
    findings = {
        "summary": "Intrusive flashbacks; dissociation.",
        "recovery_stage": "I",
        "plan": {"informational": "i", "content": "c", "organisational": "o"},
        "signs_of_mental_disorder": True,
    }
    made = await client.post(
        f"{API}/assessments",
        json={
            "victim_id": str(world.woman.id),
            "kind": "psychological",
            "performed_on": world.today.isoformat(),
            "findings": findings,
        },
        headers=world.psychologist.headers,
    )
    assert await worklist(client, world.manager) == [
        (
            "medical_examination",
            (world.today + timedelta(days=3)).isoformat(),
            False,
            "MAN-MEDICAL-EXAM",
        )
    ]
    await client.post(
        f"{API}/assessments/{made.json()['id']}/complete",
        json={},
        headers=world.psychologist.headers,
    )

    alert = ("psychiatric_alert", world.today.isoformat(), False, "MAN-PSYCHIATRIC-ALERT")
    assert alert in await worklist(client, world.manager)
    assert alert in await worklist(client, world.coordinator)
    assert alert not in await worklist(client, world.worker)
    assert alert not in await worklist(client, world.psychologist)

    alerts = (await client.get(f"{API}/alerts", headers=world.manager.headers)).json()["items"]
    assert [a["assessment_id"] for a in alerts] == [made.json()["id"]]
    acknowledge = f"{API}/alerts/{alerts[0]['id']}/acknowledge"
    expect_problem(await client.post(acknowledge, headers=world.worker.headers), 403, "forbidden")
    assert (await client.post(acknowledge, headers=world.manager.headers)).json()["acknowledged_at"]
    assert alert not in await worklist(client, world.coordinator)
    expect_problem(
        await client.post(acknowledge, headers=world.coordinator.headers), 409, "invalid_transition"
    )


async def test_no_alert_without_signs(client: httpx.AsyncClient, actors: Actors) -> None:
    world = await build_shelter_world(actors)
    findings = {
        "summary": "Stable.",
        "recovery_stage": "III",
        "plan": {"informational": "i", "content": "c", "organisational": "o"},
        "signs_of_mental_disorder": False,
    }
    made = await client.post(
        f"{API}/assessments",
        json={
            "victim_id": str(world.woman.id),
            "kind": "psychological",
            "performed_on": world.today.isoformat(),
            "findings": findings,
        },
        headers=world.psychologist.headers,
    )
    await client.post(
        f"{API}/assessments/{made.json()['id']}/complete",
        json={},
        headers=world.psychologist.headers,
    )
    assert (await client.get(f"{API}/alerts", headers=world.coordinator.headers)).json()[
        "items"
    ] == []


# --- MAN-RETENTION-6M and erasure -------------------------------------------------------------


async def discharged(client: httpx.AsyncClient, world: ShelterWorld) -> str:
    stay = await admitted_stay(client, world)
    body = discharge_body(world.today)
    await client.post(
        f"{API}/shelter-stays/{stay['id']}/discharge", json=body, headers=world.worker.headers
    )
    return str(stay["id"])


async def test_the_file_is_kept_six_months_after_discharge_then_erased(
    client: httpx.AsyncClient, actors: Actors, clock: FakeClock
) -> None:
    world = await build_shelter_world(actors)
    person = f"{API}/victims/{world.woman.id}"
    await client.post(
        f"{person}/consents", json={"purpose": "data_processing"}, headers=world.worker.headers
    )
    await client.put(
        f"{person}/health-record",
        json={"conditions": ["asthma"], "hiv_status": "negative"},
        headers=world.medic.headers,
    )
    start = clock.now()
    stay_id = await discharged(client, world)
    kept_until = (
        await client.get(f"{API}/shelter-stays/{stay_id}", headers=world.worker.headers)
    ).json()["monitoring_due_on"]

    owed = [{"type": "monitoring_report", "stay_id": stay_id, "due_on": kept_until}]
    clock.set(start + timedelta(days=150))
    problem = expect_problem(
        await client.post(f"{person}/erase", headers=world.coordinator.headers),
        422,
        "rule_violation",
        "MAN-RETENTION-6M",
    )
    assert (problem["kept_until"], problem["outstanding"]) == (kept_until, owed)
    expect_problem(
        await client.post(f"{person}/erase", headers=world.worker.headers), 403, "forbidden"
    )

    # six months on the file is still kept: the monitoring report is owed
    clock.set(start + timedelta(days=190))
    problem = expect_problem(
        await client.post(f"{person}/erase", headers=world.coordinator.headers),
        422,
        "rule_violation",
        "MAN-RETENTION-6M",
    )
    assert "kept_until" not in problem and problem["outstanding"] == owed
    unreachable = {"outcome": "unreachable", "contact_attempts": "Three calls, one letter."}
    filed = await client.post(
        f"{API}/shelter-stays/{stay_id}/monitoring-report",
        json=unreachable,
        headers=world.worker.headers,
    )
    assert filed.status_code == 201, filed.text
    erased = await client.post(f"{person}/erase", headers=world.coordinator.headers)
    assert erased.status_code == 200, erased.text
    record = erased.json()
    assert (record["status"], record["given_name"], record["family_name"]) == (
        "erased",
        "(erased)",
        "(erased)",
    )
    assert record["registered_address"] is None and record["contact_phone"] is None
    assert record["birth_date"] == "1995-01-01"  # the age band only
    assert record["registration_number"].startswith("ERASED-")

    # the person is no one's case any more: nothing is read or written about them
    for reader in (world.worker, world.medic, world.coordinator):
        expect_problem(await client.get(person, headers=reader.headers), 404, "not_found")
    rewrite = {"conditions": ["asthma"], "hiv_status": "positive"}
    expect_problem(
        await client.put(f"{person}/health-record", json=rewrite, headers=world.medic.headers),
        404,
        "not_found",
    )
    expect_problem(
        await client.get(
            f"{API}/shelter-stays/{stay_id}/monitoring-report", headers=world.worker.headers
        ),
        404,
        "not_found",
    )
    assert (await client.get(f"{API}/worklist", headers=world.worker.headers)).json()["items"] == []

    # what stays is anonymous: the stay's dates, the consents' purposes, the audit trail
    async with actors.sessionmaker() as session:
        stay = await session.get_one(ShelterStay, UUID(stay_id))
        assert (stay.status, stay.discharge_reason, stay.exit_information) == (
            "discharged",
            None,
            None,
        )
        assert (
            await session.exec(select(HealthRecord).where(HealthRecord.victim_id == world.woman.id))
        ).first() is None
        consents = (
            await session.exec(select(Consent).where(Consent.victim_id == world.woman.id))
        ).all()
        assert [c.purpose for c in consents] == ["data_processing"]
    trail = (
        await client.get(
            f"{API}/audit-events",
            params={"victim_id": str(world.woman.id), "limit": 200},
            headers=world.coordinator.headers,
        )
    ).json()["items"]
    assert trail[0]["action"] == "erase"
    assert {"create", "read", "update"} <= {e["action"] for e in trail}  # the trail survives


async def test_a_person_in_a_shelter_is_not_erased(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    await propose(client, world)
    answer = await client.post(
        f"{API}/victims/{world.woman.id}/erase", headers=world.coordinator.headers
    )
    expect_problem(answer, 422, "rule_violation", "MAN-RETENTION-6M")


async def test_a_person_never_in_a_shelter_may_be_erased(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    answer = await client.post(
        f"{API}/victims/{world.woman.id}/erase", headers=world.coordinator.headers
    )
    assert answer.json()["status"] == "erased"
