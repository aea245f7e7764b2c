"""Protection, as the manual has it: legal counselling with the psychologist's approval
(MAN-LEGAL-ADVICE), disclosures only with the person's consent, incidents at a shelter
(MAN-INCIDENT), residents' complaints (MAN-COMPLAINT) and staff who signed Annex 4
(MAN-STAFF-CONFIDENTIALITY). Each rule broken and kept; a refusal writes nothing and is audited."""

from datetime import timedelta
from typing import Any

import httpx
import pytest

from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from tests.api.shelter_world import (
    ADDRESS,
    API,
    ShelterWorld,
    admitted_stay,
    build_shelter_world,
)
from tests.factories import PASSWORD, Actor, Actors
from tests.helpers import expect_problem

OPTIONS = ["no_cooperation", "intelligence_only", "witness", "compensation"]


@pytest.fixture
async def world(actors: Actors) -> ShelterWorld:
    return await build_shelter_world(actors)


@pytest.fixture
async def counsellor(actors: Actors, world: ShelterWorld) -> Actor:
    return await actors.user(Role.LEGAL_COUNSELLOR, world.runner)


async def _trail(client: httpx.AsyncClient, world: ShelterWorld, **filters: str) -> list[Any]:
    answer = await client.get(
        f"{API}/audit-events", params=filters, headers=world.coordinator.headers
    )
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


async def _listed(client: httpx.AsyncClient, path: str, by: Actor) -> list[Any]:
    answer = await client.get(f"{API}/{path}", headers=by.headers)
    assert answer.status_code == 200, answer.text
    return list(answer.json()["items"])


# --- legal consultations (MAN-LEGAL-ADVICE) ------------------------------------------------------


def consultation_body(world: ShelterWorld, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "victim_id": str(world.woman.id),
        "held_on": world.today.isoformat(),
        "psychologist_approval": {
            "by_user_id": str(world.psychologist.id),
            "on": (world.today - timedelta(days=2)).isoformat(),
        },
        "options_explained": OPTIONS,
        "decision": "undecided",
        "notes": "She wants time to think about testifying.",
    }
    return body | overrides


async def test_legal_counselling_with_the_psychologists_approval(
    client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    answer = await client.post(
        f"{API}/legal-consultations",
        json=consultation_body(world, court_readiness="ready_with_support"),
        headers=counsellor.headers,
    )
    assert answer.status_code == 201, answer.text
    consultation = answer.json()
    assert consultation["approved_by"] == str(world.psychologist.id)
    assert consultation["decision"] == "undecided"
    assert consultation["court_readiness"] == "ready_with_support"
    assert answer.headers["Location"].endswith(consultation["id"])


@pytest.mark.parametrize(
    "change",
    [
        {"psychologist_approval": None},
        {"options_explained": OPTIONS[:2]},
    ],
    ids=["no approval", "options not explained"],
)
async def test_legal_counselling_without_what_the_rule_asks_writes_nothing_and_is_audited(
    client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor, change: dict[str, Any]
) -> None:
    answer = await client.post(
        f"{API}/legal-consultations",
        json=consultation_body(world, **change),
        headers=counsellor.headers,
    )
    expect_problem(answer, 422, "rule_violation", "MAN-LEGAL-ADVICE")
    assert await _listed(client, "legal-consultations", counsellor) == []
    refusals = await _trail(client, world, action="refuse", victim_id=str(world.woman.id))
    assert [(e["record_type"], e["actor_id"]) for e in refusals] == [
        ("legal_consultation", str(counsellor.id))
    ]


async def test_the_approval_is_a_psychologists_of_an_organisation_that_sees_the_case(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    outside_psychologist = await actors.user(Role.PSYCHOLOGIST, world.outsider)
    later = (world.today + timedelta(days=1)).isoformat()
    for approval in (
        {"by_user_id": str(world.worker.id), "on": world.today.isoformat()},
        {"by_user_id": str(outside_psychologist.id), "on": world.today.isoformat()},
        {"by_user_id": str(world.psychologist.id), "on": later},
    ):
        body = consultation_body(world, psychologist_approval=approval)
        answer = await client.post(
            f"{API}/legal-consultations", json=body, headers=counsellor.headers
        )
        expect_problem(answer, 422, "rule_violation", "MAN-LEGAL-ADVICE")


async def test_the_approving_psychologist_has_signed_the_confidentiality_agreement(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    unsigned = await actors.user(Role.PSYCHOLOGIST, world.runner, signed=False)
    approval = {"by_user_id": str(unsigned.id), "on": world.today.isoformat()}
    answer = await client.post(
        f"{API}/legal-consultations",
        json=consultation_body(world, psychologist_approval=approval),
        headers=counsellor.headers,
    )
    expect_problem(answer, 422, "rule_violation", "MAN-LEGAL-ADVICE")
    assert await _listed(client, "legal-consultations", counsellor) == []


async def test_the_decision_may_change_and_the_history_stays(
    client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    for decision in ("undecided", "witness"):
        answer = await client.post(
            f"{API}/legal-consultations",
            json=consultation_body(world, decision=decision),
            headers=counsellor.headers,
        )
        assert answer.status_code == 201, answer.text
    history = await _listed(client, f"legal-consultations?victim_id={world.woman.id}", counsellor)
    assert [c["decision"] for c in history] == ["witness", "undecided"]  # newest first


async def test_legal_notes_are_read_by_the_counsellor_the_psychologist_and_the_coordinator(
    client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    created = await client.post(
        f"{API}/legal-consultations", json=consultation_body(world), headers=counsellor.headers
    )
    url = f"{API}/legal-consultations/{created.json()['id']}"
    for reader in (counsellor, world.psychologist, world.coordinator):
        shown = (await client.get(url, headers=reader.headers)).json()
        assert shown["notes"] and shown["decision"] == "undecided"
        assert shown["legal_withheld"] is False
    for other in (world.worker, world.manager, world.medic):
        shown = (await client.get(url, headers=other.headers)).json()
        assert shown["held_on"] == world.today.isoformat()  # that it took place
        legal = (shown[k] for k in ("notes", "decision", "options_explained", "court_readiness"))
        assert all(value is None for value in legal)
        assert shown["legal_withheld"] is True


async def test_only_the_legal_counsellor_holds_a_consultation(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    answer = await client.post(
        f"{API}/legal-consultations", json=consultation_body(world), headers=world.worker.headers
    )
    expect_problem(answer, 403, "forbidden", "MAN-LEGAL-ADVICE")


# --- disclosures (MAN-LEGAL-ADVICE) --------------------------------------------------------------


def disclosure_body(world: ShelterWorld, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "victim_id": str(world.woman.id),
        "recipient": "law_enforcement",
        "recipient_name": "Anti-trafficking unit, district police",
        "what": "Her statement of the recruitment, as she agreed.",
        "disclosed_on": world.today.isoformat(),
    }
    return body | overrides


async def test_nothing_is_disclosed_without_the_consent_to_cooperate(
    client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    answer = await client.post(
        f"{API}/disclosures", json=disclosure_body(world), headers=counsellor.headers
    )
    expect_problem(answer, 422, "consent_required", "MAN-LEGAL-ADVICE")
    assert await _listed(client, "disclosures", counsellor) == []
    refusals = await _trail(client, world, action="refuse", victim_id=str(world.woman.id))
    assert [e["record_type"] for e in refusals] == ["disclosure"]


async def test_a_disclosure_rests_on_the_consent_and_a_withdrawal_blocks_the_next(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    consent = await actors.consent(world.woman, ConsentPurpose.LAW_ENFORCEMENT_COOPERATION)
    answer = await client.post(
        f"{API}/disclosures", json=disclosure_body(world), headers=counsellor.headers
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["consent_id"] == str(consent.id)

    withdrawn = await client.post(
        f"{API}/victims/{world.woman.id}/consents/{consent.id}/withdraw",
        headers=counsellor.headers,
    )
    assert withdrawn.status_code == 200, withdrawn.text
    again = await client.post(
        f"{API}/disclosures", json=disclosure_body(world), headers=counsellor.headers
    )
    expect_problem(again, 422, "consent_required", "MAN-LEGAL-ADVICE")
    assert len(await _listed(client, "disclosures", counsellor)) == 1


async def test_a_disclosure_is_not_dated_before_the_consent_was_given(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    await actors.consent(world.woman, ConsentPurpose.LAW_ENFORCEMENT_COOPERATION)  # given today
    yesterday = (world.today - timedelta(days=1)).isoformat()
    answer = await client.post(
        f"{API}/disclosures",
        json=disclosure_body(world, disclosed_on=yesterday),
        headers=counsellor.headers,
    )
    expect_problem(answer, 422, "consent_required", "MAN-LEGAL-ADVICE")
    assert await _listed(client, "disclosures", counsellor) == []


async def test_the_persons_export_lists_every_disclosure_with_its_consent(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    consent = await actors.consent(world.woman, ConsentPurpose.LAW_ENFORCEMENT_COOPERATION)
    made = await client.post(
        f"{API}/disclosures", json=disclosure_body(world), headers=counsellor.headers
    )
    exported = await client.get(
        f"{API}/victims/{world.woman.id}/export", headers=world.worker.headers
    )
    assert exported.status_code == 200, exported.text
    ledger = exported.json()["disclosures"]
    assert [(d["disclosure"]["id"], d["consent"]["id"]) for d in ledger] == [
        (made.json()["id"], str(consent.id))
    ]
    assert ledger[0]["consent"]["purpose"] == "law_enforcement_cooperation"


async def test_what_was_disclosed_and_to_whom_is_legal_data(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld, counsellor: Actor
) -> None:
    await actors.consent(world.woman, ConsentPurpose.LAW_ENFORCEMENT_COOPERATION)
    made = await client.post(
        f"{API}/disclosures", json=disclosure_body(world), headers=counsellor.headers
    )
    assert made.status_code == 201, made.text
    url = f"{API}/disclosures/{made.json()['id']}"
    legal = ("what", "recipient_name")
    for reader in (counsellor, world.psychologist, world.coordinator):
        shown = (await client.get(url, headers=reader.headers)).json()
        assert all(shown[k] for k in legal) and shown["legal_withheld"] is False
        [listed] = await _listed(client, "disclosures", reader)
        assert listed["what"] and listed["legal_withheld"] is False
    for other in (world.worker, world.manager, world.medic):
        shown = (await client.get(url, headers=other.headers)).json()
        assert shown["disclosed_on"] == world.today.isoformat()  # that it was made
        assert shown["recipient"] == "law_enforcement" and shown["consent_id"]
        assert all(shown[k] is None for k in legal) and shown["legal_withheld"] is True
        [listed] = await _listed(client, "disclosures", other)
        assert all(listed[k] is None for k in legal) and listed["legal_withheld"] is True
    for exporter, withheld in ((world.worker, True), (world.psychologist, False)):
        exported = await client.get(
            f"{API}/victims/{world.woman.id}/export", headers=exporter.headers
        )
        assert exported.status_code == 200, exported.text
        [entry] = exported.json()["disclosures"]
        assert entry["disclosure"]["legal_withheld"] is withheld
        assert (entry["disclosure"]["what"] is None) is withheld


# --- incidents (MAN-INCIDENT) --------------------------------------------------------------------


def incident_body(world: ShelterWorld, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "shelter_id": str(world.adult.id),
        "kind": "attack",
        "occurred_at": (world.today - timedelta(days=1)).isoformat() + "T22:30:00+00:00",
        "police_called": True,
        "summary": "A man tried to force the gate; the police came after a call to 102.",
    }
    return body | overrides


async def _worklist(client: httpx.AsyncClient, by: Actor, kind: str) -> list[Any]:
    items = await _listed(client, "worklist", by)
    return [i for i in items if i["kind"] == kind]


async def test_an_incident_reaches_the_shelter_manager_and_the_coordinator_at_once(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    answer = await client.post(
        f"{API}/incidents", json=incident_body(world), headers=world.worker.headers
    )
    assert answer.status_code == 201, answer.text
    incident = answer.json()
    assert ADDRESS not in answer.text
    for overseer in (world.manager, world.coordinator):
        items = await _worklist(client, overseer, "incident")
        assert [(i["record_id"], i["rule"], i["due_on"]) for i in items] == [
            (incident["id"], "MAN-INCIDENT", world.today.isoformat())
        ]
        assert items[0]["victim_id"] is None
    assert await _worklist(client, world.worker, "incident") == []
    assert await _worklist(client, world.outside_manager, "incident") == []

    refused = await client.post(
        f"{API}/incidents/{incident['id']}/acknowledge", headers=world.worker.headers
    )
    expect_problem(refused, 403, "forbidden", "MAN-INCIDENT")
    acknowledged = await client.post(
        f"{API}/incidents/{incident['id']}/acknowledge", headers=world.manager.headers
    )
    assert acknowledged.status_code == 200, acknowledged.text
    assert acknowledged.json()["acknowledged_by"] == str(world.manager.id)
    for overseer in (world.manager, world.coordinator):
        assert await _worklist(client, overseer, "incident") == []
    twice = await client.post(
        f"{API}/incidents/{incident['id']}/acknowledge", headers=world.coordinator.headers
    )
    expect_problem(twice, 409, "invalid_transition")


async def test_an_incident_names_residents_by_id_who_lived_there(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    await admitted_stay(client, world)
    outside = incident_body(world, victim_ids=[str(world.woman.id)])  # admitted today, not then
    expect_problem(
        await client.post(f"{API}/incidents", json=outside, headers=world.worker.headers),
        422,
        "validation_error",
    )
    now = world.today.isoformat() + "T00:00:00+00:00"
    body = incident_body(world, occurred_at=now, victim_ids=[str(world.woman.id)])
    answer = await client.post(f"{API}/incidents", json=body, headers=world.worker.headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["victim_ids"] == [str(world.woman.id)]
    assert answer.json()["other_residents"] == 0


async def test_only_the_shelters_staff_record_and_read_its_incidents(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    refused = await client.post(
        f"{API}/incidents", json=incident_body(world), headers=world.outside_worker.headers
    )
    expect_problem(refused, 403, "forbidden")
    made = await client.post(
        f"{API}/incidents", json=incident_body(world), headers=world.worker.headers
    )
    url = f"{API}/incidents/{made.json()['id']}"
    expect_problem(await client.get(url, headers=world.outside_manager.headers), 404, "not_found")
    assert await _listed(client, "incidents", world.outside_manager) == []
    for reader in (world.worker, world.medic, world.coordinator):
        assert (await client.get(url, headers=reader.headers)).status_code == 200


async def test_an_incident_that_has_not_happened_is_refused(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    later = (world.today + timedelta(days=2)).isoformat() + "T10:00:00+00:00"
    answer = await client.post(
        f"{API}/incidents",
        json=incident_body(world, occurred_at=later),
        headers=world.worker.headers,
    )
    expect_problem(answer, 422, "validation_error")
    assert await _worklist(client, world.manager, "incident") == []


# --- complaints (MAN-COMPLAINT) ------------------------------------------------------------------


def complaint_body(world: ShelterWorld, about: Actor | None, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "victim_id": str(world.woman.id),
        "kind": "staff_conduct" if about else "rights_disregarded",
        "about_user_id": str(about.id) if about else None,
        "summary": "She says she was shouted at during the evening meal.",
        "received_on": world.today.isoformat(),
    }
    return body | overrides


async def test_a_complaint_about_a_staff_member_is_never_read_by_that_member(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    recorded = await client.post(
        f"{API}/complaints",
        json=complaint_body(world, world.worker),
        headers=world.psychologist.headers,
    )
    assert recorded.status_code == 201, recorded.text
    receipt = recorded.json()
    assert "summary" not in receipt and "about_user_id" not in receipt  # the recorder's receipt
    due = (world.today + timedelta(days=3)).isoformat()
    assert receipt["meeting_due_on"] == due
    url = f"{API}/complaints/{receipt['id']}"

    for handler in (world.manager, world.coordinator):
        shown = await client.get(url, headers=handler.headers)
        assert shown.status_code == 200, shown.text
        assert shown.json()["about_user_id"] == str(world.worker.id)
        items = await _worklist(client, handler, "complaint")
        assert [(i["record_id"], i["due_on"], i["rule"]) for i in items] == [
            (receipt["id"], due, "MAN-COMPLAINT")
        ]
    expect_problem(await client.get(url, headers=world.worker.headers), 403, "forbidden")
    assert await _worklist(client, world.worker, "complaint") == []


async def test_a_complaint_about_the_shelter_manager_reaches_the_coordinator_only(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    recorded = await client.post(
        f"{API}/complaints", json=complaint_body(world, world.manager), headers=world.worker.headers
    )
    assert recorded.status_code == 201, recorded.text
    complaint_id = recorded.json()["id"]
    url = f"{API}/complaints/{complaint_id}"

    expect_problem(await client.get(url, headers=world.manager.headers), 404, "not_found")
    assert await _listed(client, "complaints", world.manager) == []
    assert await _worklist(client, world.manager, "complaint") == []
    refusals = await _trail(client, world, action="refuse", record_type="complaint")
    assert [(e["record_id"], e["actor_id"]) for e in refusals] == [
        (complaint_id, str(world.manager.id))
    ]
    assert (await client.get(url, headers=world.coordinator.headers)).status_code == 200
    assert [c["id"] for c in await _listed(client, "complaints", world.coordinator)] == [
        complaint_id
    ]


async def test_a_complaint_is_met_about_then_resolved_and_leaves_the_worklist(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    recorded = await client.post(
        f"{API}/complaints", json=complaint_body(world, None), headers=world.manager.headers
    )
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["summary"]  # the manager handles it: all of it
    url = f"{API}/complaints/{recorded.json()['id']}"
    met = await client.post(
        f"{url}/meeting",
        json={"held_on": world.today.isoformat(), "notes": "Met in private."},
        headers=world.manager.headers,
    )
    assert met.status_code == 200, met.text
    assert met.json()["status"] == "meeting_held"
    assert await _worklist(client, world.manager, "complaint") == []
    again = await client.post(
        f"{url}/meeting", json={"held_on": world.today.isoformat()}, headers=world.manager.headers
    )
    expect_problem(again, 409, "invalid_transition")
    resolved = await client.post(
        f"{url}/resolve",
        json={"resolved_on": world.today.isoformat(), "resolution": "Rota changed."},
        headers=world.coordinator.headers,
    )
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved"


async def test_an_unmet_complaint_is_overdue_after_three_days(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    long_ago = (world.today - timedelta(days=4)).isoformat()
    recorded = await client.post(
        f"{API}/complaints",
        json=complaint_body(world, None, received_on=long_ago),
        headers=world.worker.headers,
    )
    assert recorded.status_code == 201, recorded.text
    (item,) = await _worklist(client, world.manager, "complaint")
    assert item["overdue"] is True


async def test_the_staff_member_named_does_not_record_the_complaint_about_them(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    answer = await client.post(
        f"{API}/complaints", json=complaint_body(world, world.worker), headers=world.worker.headers
    )
    expect_problem(answer, 422, "rule_violation", "MAN-COMPLAINT")
    assert await _listed(client, "complaints", world.coordinator) == []
    refusals = await _trail(client, world, action="refuse", victim_id=str(world.woman.id))
    assert [e["record_type"] for e in refusals] == ["complaint"]


async def test_a_complaint_about_conduct_names_a_member_of_staff(
    client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    for body in (
        complaint_body(world, None, kind="staff_conduct"),
        complaint_body(world, world.worker, kind="rights_disregarded"),
        complaint_body(world, world.coordinator),
    ):
        answer = await client.post(
            f"{API}/complaints", json=body, headers=world.psychologist.headers
        )
        expect_problem(answer, 422, "validation_error")


# --- staff who signed (MAN-STAFF-CONFIDENTIALITY) ------------------------------------------------


async def test_a_staff_account_works_on_no_case_until_its_agreement_is_recorded(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    newcomer = await actors.user(Role.SOCIAL_WORKER, world.runner, signed=False)
    for path in ("victims", f"victims/{world.woman.id}", "worklist", "shelters", "incidents"):
        answer = await client.get(f"{API}/{path}", headers=newcomer.headers)
        expect_problem(
            answer, 403, "confidentiality_agreement_required", "MAN-STAFF-CONFIDENTIALITY"
        )
    for path in ("organisations", "rulebook", "auth/me"):
        answer = await client.get(f"{API}/{path}", headers=newcomer.headers)
        assert answer.status_code == 200, (path, answer.text)
    me = await client.get(f"{API}/auth/me", headers=newcomer.headers)
    assert me.json()["works_on_cases"] is False

    recorded = await client.post(
        f"{API}/users/{newcomer.id}/confidentiality-agreement",
        json={"signed_on": world.today.isoformat()},
        headers=world.manager.headers,
    )
    assert recorded.status_code == 200, recorded.text
    assert recorded.json()["confidentiality_signed_on"] == world.today.isoformat()
    assert (await client.get(f"{API}/victims", headers=newcomer.headers)).status_code == 200
    me = await client.get(f"{API}/auth/me", headers=newcomer.headers)
    assert me.json()["works_on_cases"] is True
    twice = await client.post(
        f"{API}/users/{newcomer.id}/confidentiality-agreement",
        json={"signed_on": world.today.isoformat()},
        headers=world.manager.headers,
    )
    expect_problem(twice, 409, "invalid_transition")


async def test_the_admin_or_the_members_own_shelter_manager_records_the_agreement(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld, admin: Actor
) -> None:
    newcomer = await actors.user(Role.PSYCHOLOGIST, world.runner, signed=False)
    url = f"{API}/users/{newcomer.id}/confidentiality-agreement"
    body = {"signed_on": world.today.isoformat()}
    expect_problem(
        await client.post(url, json=body, headers=world.outside_manager.headers), 404, "not_found"
    )
    expect_problem(
        await client.post(url, json=body, headers=world.worker.headers), 403, "forbidden"
    )
    future = {"signed_on": (world.today + timedelta(days=1)).isoformat()}
    expect_problem(
        await client.post(url, json=future, headers=admin.headers), 422, "validation_error"
    )
    coordinator_url = f"{API}/users/{world.coordinator.id}/confidentiality-agreement"
    expect_problem(
        await client.post(coordinator_url, json=body, headers=admin.headers),
        422,
        "validation_error",
    )
    assert (await client.post(url, json=body, headers=admin.headers)).status_code == 200


async def test_an_unsigned_shelter_manager_countersigns_nothing(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld
) -> None:
    unsigned_manager = await actors.user(Role.SHELTER_MANAGER, world.runner, signed=False)
    newcomer = await actors.user(Role.SOCIAL_WORKER, world.runner, signed=False)
    answer = await client.post(
        f"{API}/users/{newcomer.id}/confidentiality-agreement",
        json={"signed_on": world.today.isoformat()},
        headers=unsigned_manager.headers,
    )
    expect_problem(answer, 403, "confidentiality_agreement_required", "MAN-STAFF-CONFIDENTIALITY")


async def test_a_move_to_another_organisation_ends_the_recorded_agreement(
    actors: Actors, client: httpx.AsyncClient, world: ShelterWorld, admin: Actor
) -> None:
    mover = await actors.user(Role.SOCIAL_WORKER, world.outsider)  # signed with the outsider
    stays = await client.patch(
        f"{API}/users/{mover.id}", json={"role": "psychologist"}, headers=admin.headers
    )
    assert stays.json()["confidentiality_signed_on"] == world.today.isoformat(), stays.text
    moved = await client.patch(
        f"{API}/users/{mover.id}",
        json={"organisation_id": str(world.runner.id)},
        headers=admin.headers,
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["confidentiality_signed_on"] is None
    token = await client.post(
        f"{API}/auth/token",
        data={"grant_type": "password", "username": mover.name, "password": PASSWORD},
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    expect_problem(
        await client.get(f"{API}/victims", headers=headers),
        403,
        "confidentiality_agreement_required",
        "MAN-STAFF-CONFIDENTIALITY",
    )
    recorded = await client.post(
        f"{API}/users/{mover.id}/confidentiality-agreement",
        json={"signed_on": world.today.isoformat()},
        headers=world.manager.headers,  # the new organisation's manager
    )
    assert recorded.status_code == 200, recorded.text
    assert (await client.get(f"{API}/victims", headers=headers)).status_code == 200


async def test_machine_clients_sign_no_agreement(actors: Actors, client: httpx.AsyncClient) -> None:
    partner = await actors.client(Role.PARTNER_SYSTEM)
    assert (await client.get(f"{API}/victims", headers=partner.headers)).status_code == 200


async def test_an_account_created_with_its_signed_agreement_works_at_once(
    client: httpx.AsyncClient, world: ShelterWorld, admin: Actor
) -> None:
    body = {
        "username": "new.counsellor",
        "password": "a long synthetic password",
        "role": "legal_counsellor",
        "organisation_id": str(world.runner.id),
        "confidentiality_signed_on": world.today.isoformat(),
    }
    created = await client.post(f"{API}/users", json=body, headers=admin.headers)
    assert created.status_code == 201, created.text
    assert created.json()["confidentiality_signed_on"] == world.today.isoformat()
    token = await client.post(
        f"{API}/auth/token",
        data={"grant_type": "password", "username": body["username"], "password": body["password"]},
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert (await client.get(f"{API}/victims", headers=headers)).status_code == 200
