"""Who writes the reintegration records (MAN chapter III): every role × own/other organisation ×
write route of trainings, identity documents, micro-enterprises and returns, and the one read.

The expectations are written out here, independently of app/domain/access.py, so a change to the
permission table that widens access fails this test.
"""

from datetime import date
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus
from app.domain.reintegration import (
    EnterpriseStep,
    IdentityDocumentKind,
    IdentityDocumentStatus,
    ReturnKind,
    TravelDocuments,
)
from app.models import (
    Assessment,
    IdentityDocument,
    MicroEnterprise,
    MicroEnterpriseStep,
    Organisation,
    Return,
    Training,
)
from tests.factories import Actors
from tests.helpers import expect_problem

API = "/api/v1"
DAY = date(2026, 1, 15)
CASE_WORKERS = {Role.SHELTER_MANAGER, Role.SOCIAL_WORKER}
WRITERS = {
    "training": CASE_WORKERS,
    "identity_document": CASE_WORKERS | {Role.LEGAL_COUNSELLOR},
    "micro_enterprise": CASE_WORKERS,
    "return": CASE_WORKERS | {Role.COORDINATOR},  # the mission arranges returns too
}
READERS = {  # the one read of the person's reintegration
    Role.COORDINATOR,
    Role.SHELTER_MANAGER,
    Role.SOCIAL_WORKER,
    Role.PSYCHOLOGIST,
    Role.LEGAL_COUNSELLOR,
    Role.MEDICAL_OFFICER,
}
SEES_EVERY_ORGANISATION = {Role.COORDINATOR}


async def _case(actors: Actors, home: Organisation) -> dict[str, Any]:
    """A case of ``home`` with one reintegration record of each kind, kept by ``home``."""
    victim = await actors.victim(home, identified_on=date(2025, 12, 1))
    author = await actors.user(Role.SOCIAL_WORKER, home)

    def assessment(kind: AssessmentKind, findings: dict[str, Any] | None) -> Assessment:
        return Assessment(
            victim_id=victim.id,
            kind=kind,
            status=AssessmentStatus.COMPLETED,
            findings=findings,
            organisation_id=home.id,
            author_id=author.id,
            author_role=Role.SOCIAL_WORKER,
            performed_on=DAY,
            rulebook_version="kg-2026.1",
        )

    reintegration = await actors.add(assessment(AssessmentKind.REINTEGRATION, None))
    findings = {
        "work_experience": "x",
        "education": "x",
        "skills": "x",
        "business_oriented": True,
        "decision": "approved",
    }
    candidacy = await actors.add(assessment(AssessmentKind.BUSINESS_CANDIDACY, findings))
    kept = {"victim_id": victim.id, "organisation_id": home.id}
    training = await actors.add(
        Training(
            **kept,
            course="Tailoring",
            provider_organisation_id=home.id,
            starts_on=DAY,
            ends_on=DAY,
            chosen_by_person=True,
            assessment_id=reintegration.id,
            created_by=author.id,
        )
    )
    document = await actors.add(
        IdentityDocument(
            **kept,
            kind=IdentityDocumentKind.INTERNAL_ID,
            status=IdentityDocumentStatus.NEEDED,
            recorded_by=author.id,
        )
    )
    enterprise = await actors.add(
        MicroEnterprise(
            **kept, candidacy_assessment_id=candidacy.id, business="Bakery", created_by=author.id
        )
    )
    journey = await actors.add(
        Return(
            **kept,
            kind=ReturnKind.RETURN_HOME,
            decided_by_person=True,
            destination="Osh",
            travel_documents=TravelDocuments.OBTAINED,
            escort=False,
            meeting_at_arrival=True,
            planned_on=DAY,
            created_by=author.id,
        )
    )
    return {
        "victim": victim.id,
        "reintegration": reintegration.id,
        "candidacy": candidacy.id,
        "training": training.id,
        "identity_document": document.id,
        "micro_enterprise": enterprise.id,
        "return": journey.id,
    }


def _create(record: str, case: dict[str, Any], provider: UUID) -> tuple[str, dict[str, Any]]:
    victim = str(case["victim"])
    if record == "training":
        return "/trainings", {
            "victim_id": victim,
            "course": "Baking",
            "provider_organisation_id": str(provider),
            "starts_on": "2026-02-01",
            "ends_on": "2026-03-01",
            "chosen_by_person": True,
            "assessment_id": str(case["reintegration"]),
        }
    if record == "identity_document":
        return f"/victims/{victim}/identity-documents", {"kind": "birth_certificate"}
    if record == "micro_enterprise":
        body = {"candidacy_assessment_id": str(case["candidacy"]), "business": "Shop"}
        return "/micro-enterprises", {"victim_id": victim} | body
    return "/returns", {
        "victim_id": victim,
        "kind": "return_home",
        "decided_by_person": True,
        "destination": "Talas",
        "travel_documents": "not_needed",
        "escort": False,
        "meeting_at_arrival": False,
        "planned_on": "2026-02-01",
    }


async def _step(
    client: httpx.AsyncClient, record: str, case: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    """The record's own step: start the training, track the document, the enterprise's first
    step, the departure."""
    if record == "identity_document":
        url = f"{API}/victims/{case['victim']}/identity-documents/{case[record]}"
        return await client.patch(url, json={"status": "applied"}, headers=headers)
    url, body = {
        "training": (f"/trainings/{case[record]}/start", {"on": "2026-01-20"}),
        "micro_enterprise": (
            f"/micro-enterprises/{case[record]}/steps",
            {"step": EnterpriseStep.BUSINESS_PLAN_TRAINING.value, "done_on": "2026-01-20"},
        ),
        "return": (f"/returns/{case[record]}/depart", {"on": "2026-01-20"}),
    }[record]
    return await client.post(f"{API}{url}", json=body, headers=headers)


@pytest.mark.parametrize("record", list(WRITERS))
@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_reintegration_write_access(
    client: httpx.AsyncClient, actors: Actors, role: Role, whose: str, record: str
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    owner = home if whose == "own" and home else await actors.organisation()
    case = await _case(actors, owner)
    headers = caller.headers | {"Idempotency-Key": str(uuid4())}
    path, body = _create(record, case, owner.id)

    made = await client.post(f"{API}{path}", json=body, headers=headers)
    stepped = await _step(client, record, case, caller.headers | {"Idempotency-Key": str(uuid4())})

    sees = (whose == "own" and home is not None) or role in SEES_EVERY_ORGANISATION
    if role not in WRITERS[record]:
        expect_problem(made, 403, "forbidden")
        expect_problem(stepped, 403, "forbidden")
    elif not sees:
        if record == "identity_document":  # the person is in the path
            expect_problem(made, 404, "not_found")
        else:  # the person is named in the body: unknown to the caller
            expect_problem(made, 422, "validation_error")
        expect_problem(stepped, 404, "not_found")
    else:
        assert made.status_code == 201, made.text
        if owner.id == caller.organisation_id:
            assert stepped.status_code == 200, stepped.text
        else:  # the coordinator sees the case; the organisation that keeps the record moves it
            expect_problem(stepped, 403, "forbidden")


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_who_reads_the_persons_reintegration(
    client: httpx.AsyncClient, actors: Actors, role: Role, whose: str
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    owner = home if whose == "own" and home else await actors.organisation()
    case = await _case(actors, owner)
    await actors.add(
        MicroEnterpriseStep(
            micro_enterprise_id=case["micro_enterprise"],
            step=EnterpriseStep.BUSINESS_PLAN_TRAINING,
            done_on=DAY,
            recorded_by=uuid4(),
        )
    )
    answer = await client.get(
        f"{API}/victims/{case['victim']}/reintegration", headers=caller.headers
    )

    sees = (whose == "own" and home is not None) or role in SEES_EVERY_ORGANISATION
    if role not in READERS:
        expect_problem(answer, 403, "forbidden")
    elif not sees:
        expect_problem(answer, 404, "not_found")
    else:
        assert answer.status_code == 200, answer.text
        view = answer.json()
        assert [t["id"] for t in view["trainings"]] == [str(case["training"])]
        assert [len(e["steps"]) for e in view["micro_enterprises"]] == [1]
        assert [r["id"] for r in view["returns"]] == [str(case["return"])]
        assert [d["id"] for d in view["identity_documents"]] == [str(case["identity_document"])]
