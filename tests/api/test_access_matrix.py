"""Object- and role-level access to case data: every role × own/other organisation × operation.

The expectations are written out here, independently of app/domain/access.py, so a change to
the permission table that widens access fails this test.
"""

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest

from app.domain.access import Role
from app.domain.casework import (
    AssessmentKind,
    CarePlanKind,
    FollowUpTrigger,
    ReferralStatus,
    Service,
    SessionKind,
    SessionMethod,
)
from app.domain.consent import ConsentPurpose
from app.domain.protection import (
    ComplaintKind,
    DisclosureRecipient,
    IncidentKind,
    LegalDecision,
)
from app.domain.reintegration import ReturnKind, TravelDocuments
from app.domain.rulebook import ServiceTerm, ShelterKind
from app.domain.vocabulary import Funding, VictimStatus
from app.models import (
    Assessment,
    CarePlan,
    Complaint,
    Consent,
    CounsellingSession,
    Disclosure,
    FollowUpContact,
    Incident,
    IncidentResident,
    LegalConsultation,
    MicroEnterprise,
    Organisation,
    Referral,
    Return,
    ServiceAgreement,
    SessionParticipant,
    Shelter,
    Training,
    Victim,
)
from tests.factories import Actor, Actors, victim_body
from tests.helpers import expect_problem

OPERATIONS = (
    "get",
    "update",
    "export",
    "consents",
    "read_consent",
    "record_consent",
    "withdraw_consent",
)
READ = {"get", "consents", "read_consent"}
ALL = set(OPERATIONS)
ALLOWED: dict[Role, set[str]] = {
    Role.ADMIN: set(),
    Role.AUDITOR: set(),
    Role.SCME_SYSTEM: set(),
    Role.COORDINATOR: ALL,
    Role.SHELTER_MANAGER: ALL,
    Role.SOCIAL_WORKER: ALL,
    # the health professions export the file with the health record they may read
    Role.PSYCHOLOGIST: READ | {"record_consent", "withdraw_consent", "export"},
    Role.LEGAL_COUNSELLOR: READ | {"record_consent", "withdraw_consent"},
    Role.MEDICAL_OFFICER: READ | {"export"},
    Role.PARTNER_SYSTEM: READ | {"record_consent"},
}
MAY_LIST = {r for r, ops in ALLOWED.items() if "get" in ops}
MAY_CREATE = {
    Role.COORDINATOR,
    Role.SHELTER_MANAGER,
    Role.SOCIAL_WORKER,
    Role.PARTNER_SYSTEM,
}
SEES_EVERY_ORGANISATION = {Role.COORDINATOR}


async def _case(actors: Actors, organisation: Organisation) -> tuple[Victim, Consent]:
    victim = await actors.victim(organisation)
    consent = Consent(
        victim_id=victim.id,
        purpose=ConsentPurpose.DATA_PROCESSING,
        given_on=datetime.now(UTC).date(),
        given_at=datetime.now(UTC),
        recorded_by=victim.id,
    )
    return victim, await actors.add(consent)


async def _call(
    client: httpx.AsyncClient,
    operation: str,
    victim: Victim,
    consent: Consent,
    headers: dict[str, str],
) -> httpx.Response:
    base = f"/api/v1/victims/{victim.id}"
    if operation == "get":
        return await client.get(base, headers=headers)
    if operation == "update":
        return await client.patch(base, json={"contact_phone": "+996 555 999 999"}, headers=headers)
    if operation == "export":
        return await client.get(f"{base}/export", headers=headers)
    if operation == "consents":
        return await client.get(f"{base}/consents", headers=headers)
    if operation == "read_consent":
        return await client.get(f"{base}/consents/{consent.id}", headers=headers)
    if operation == "record_consent":
        body = {"purpose": "law_enforcement_cooperation"}
        return await client.post(f"{base}/consents", json=body, headers=headers)
    return await client.post(f"{base}/consents/{consent.id}/withdraw", headers=headers)


@pytest.mark.parametrize("operation", OPERATIONS)
@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_case_access(
    client: httpx.AsyncClient, actors: Actors, role: Role, whose: str, operation: str
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    elsewhere = await actors.organisation()
    victim, consent = await _case(actors, home if whose == "own" and home else elsewhere)

    answer = await _call(client, operation, victim, consent, caller.headers)

    if operation not in ALLOWED[role]:
        expect_problem(answer, 403, "forbidden")
    elif whose == "other" and role not in SEES_EVERY_ORGANISATION:
        expect_problem(answer, 404, "not_found")
    else:
        assert answer.status_code in (200, 201), answer.text


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_list_shows_only_visible_cases(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    own = await actors.victim(home) if home else None
    other = await actors.victim(await actors.organisation())

    answer = await client.get("/api/v1/victims", headers=caller.headers)

    if role not in MAY_LIST:
        expect_problem(answer, 403, "forbidden")
        return
    listed = {item["id"] for item in answer.json()["items"]}
    expected = {str(v.id) for v in (own, other) if v is not None}
    if role not in SEES_EVERY_ORGANISATION:
        expected.discard(str(other.id))
    assert listed == expected


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_who_may_register_a_person(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    answer = await client.post("/api/v1/victims", json=victim_body(), headers=caller.headers)
    if role in MAY_CREATE:
        assert answer.status_code == 201, answer.text
        assert answer.json()["organisation_id"] == str(caller.organisation_id)
    else:
        expect_problem(answer, 403, "forbidden")


async def test_partner_systems_get_identity_and_contact_without_exploitation_history(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    partner = await actors.client(Role.PARTNER_SYSTEM)
    home = await actors.home_of(partner)
    victim = await actors.victim(home, exploitation_types=["sexual"], country_of_exploitation="TR")
    for path in (f"/api/v1/victims/{victim.id}", "/api/v1/victims"):
        answer = await client.get(path, headers=partner.headers)
        record = answer.json() if path.endswith(str(victim.id)) else answer.json()["items"][0]
        assert record["view"] == "exchange"
        assert "exploitation_types" not in record
        assert "country_of_exploitation" not in record
        assert record["registration_number"] == victim.registration_number


async def test_staff_get_the_full_record(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    home = await actors.home_of(worker)
    victim = await actors.victim(home, exploitation_types=["sexual"])
    record = (await client.get(f"/api/v1/victims/{victim.id}", headers=worker.headers)).json()
    assert record["view"] == "full"
    assert record["exploitation_types"] == ["sexual"]


# --- the case-work records hang off the person: same scope, their own permissions -------------

CASE_RECORDS = (
    "referral",
    "assessment",
    "care_plan",
    "service_agreement",
    "follow_up_contact",
    "counselling_session",
    "training",
    "micro_enterprise",
    "return",
)
READS_CASE_WORK = {
    Role.COORDINATOR,
    Role.SHELTER_MANAGER,
    Role.SOCIAL_WORKER,
    Role.PSYCHOLOGIST,
    Role.LEGAL_COUNSELLOR,
    Role.MEDICAL_OFFICER,
}
READS = {record: READS_CASE_WORK for record in CASE_RECORDS} | {
    "referral": READS_CASE_WORK | {Role.PARTNER_SYSTEM}
}
PATHS = {
    "referral": "referrals",
    "assessment": "assessments",
    "care_plan": "care-plans",
    "service_agreement": "service-agreements",
    "follow_up_contact": "follow-up-contacts",
    "counselling_session": "sessions",
    "training": "trainings",
    "micro_enterprise": "micro-enterprises",
    "return": "returns",
}


async def _records(actors: Actors, home: Organisation, elsewhere: Organisation) -> dict[str, UUID]:
    """One record of each kind on a case of ``home``; the referral goes from home elsewhere."""
    victim = await actors.victim(home)
    author = await actors.user(Role.SOCIAL_WORKER, home)
    assessment = await actors.add(
        Assessment(
            victim_id=victim.id,
            kind=AssessmentKind.INDIVIDUAL_NEEDS,
            organisation_id=home.id,
            author_id=author.id,
            author_role=Role.SOCIAL_WORKER,
            rulebook_version="kg-2026.1",
        )
    )
    plan = await actors.add(
        CarePlan(
            victim_id=victim.id,
            assessment_id=assessment.id,
            organisation_id=home.id,
            kind=CarePlanKind.CARE,
            planned_months=6,
            created_by=author.id,
            rulebook_version="kg-2026.1",
        )
    )
    day = date(2026, 1, 15)
    agreement = await actors.add(
        ServiceAgreement(
            victim_id=victim.id,
            care_plan_id=plan.id,
            provider_organisation_id=home.id,
            organisation_id=home.id,
            term=ServiceTerm.SHORT,
            starts_on=day,
            ends_on=day,
            consent_given=True,
            created_by=author.id,
            rulebook_version="kg-2026.1",
        )
    )
    follow_up = await actors.add(
        FollowUpContact(
            victim_id=victim.id,
            organisation_id=home.id,
            trigger=FollowUpTrigger.AGREEMENT_ENDED,
            due_on=day,
            rulebook_version="kg-2026.1",
        )
    )
    referral = await actors.add(
        Referral(
            victim_id=victim.id,
            from_organisation_id=home.id,
            to_organisation_id=elsewhere.id,
            service=Service.LEGAL,
            funding=Funding.PROJECT,
            referred_on=day,
            created_by=author.id,
            rulebook_version="kg-2026.1",
        )
    )
    counselling = await actors.add(
        CounsellingSession(
            organisation_id=home.id,
            kind=SessionKind.INDIVIDUAL,
            method=SessionMethod.COUNSELLING,
            held_on=day,
            duration_minutes=50,
            author_id=author.id,
            author_role=Role.SOCIAL_WORKER,
        )
    )
    await actors.add(SessionParticipant(session_id=counselling.id, victim_id=victim.id))
    training = await actors.add(
        Training(
            victim_id=victim.id,
            organisation_id=home.id,
            course="Tailoring",
            provider_organisation_id=home.id,
            starts_on=day,
            ends_on=day,
            chosen_by_person=True,
            assessment_id=assessment.id,
            created_by=author.id,
        )
    )
    enterprise = await actors.add(
        MicroEnterprise(
            victim_id=victim.id,
            organisation_id=home.id,
            candidacy_assessment_id=assessment.id,
            business="Bakery",
            created_by=author.id,
        )
    )
    journey = await actors.add(
        Return(
            victim_id=victim.id,
            organisation_id=home.id,
            kind=ReturnKind.RETURN_HOME,
            decided_by_person=True,
            destination="Osh",
            travel_documents=TravelDocuments.NOT_NEEDED,
            escort=False,
            meeting_at_arrival=False,
            planned_on=day,
            created_by=author.id,
        )
    )
    return {
        "micro_enterprise": enterprise.id,
        "return": journey.id,
        "training": training.id,
        "referral": referral.id,
        "assessment": assessment.id,
        "care_plan": plan.id,
        "service_agreement": agreement.id,
        "follow_up_contact": follow_up.id,
        "counselling_session": counselling.id,
    }


@pytest.mark.parametrize("record", CASE_RECORDS)
@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_case_record_access(
    client: httpx.AsyncClient, actors: Actors, role: Role, whose: str, record: str
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    elsewhere = await actors.organisation()
    third = await actors.organisation()
    owner = home if whose == "own" and home else elsewhere
    ids = await _records(actors, owner, third)

    answer = await client.get(f"/api/v1/{PATHS[record]}/{ids[record]}", headers=caller.headers)
    listed = await client.get(f"/api/v1/{PATHS[record]}", headers=caller.headers)

    if role not in READS[record]:
        expect_problem(answer, 403, "forbidden")
        expect_problem(listed, 403, "forbidden")
    elif whose == "other" and role not in SEES_EVERY_ORGANISATION:
        expect_problem(answer, 404, "not_found")
        assert listed.json()["items"] == []
    else:
        assert answer.status_code == 200, answer.text
        assert [i["id"] for i in listed.json()["items"]] == [str(ids[record])]


# --- closing and reopening a case (MAN-CASE-CLOSE) ---------------------------------------------

CLOSES = {Role.COORDINATOR, Role.SHELTER_MANAGER, Role.SOCIAL_WORKER}


@pytest.mark.parametrize("action", ["close", "reopen"])
@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_who_closes_and_reopens_a_case(
    client: httpx.AsyncClient, actors: Actors, role: Role, whose: str, action: str
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    owner = home if whose == "own" and home else await actors.organisation()
    status = VictimStatus.ACTIVE if action == "close" else VictimStatus.CLOSED
    victim = await actors.victim(owner, status=status)
    closure = {"reason": "reintegrated", "exit_information": "The hotline's number."}
    body = closure if action == "close" else {"reason": "She came back."}

    answer = await client.post(
        f"/api/v1/victims/{victim.id}/{action}", json=body, headers=caller.headers
    )

    if role not in CLOSES:
        expect_problem(answer, 403, "forbidden")
    elif whose == "other" and role not in SEES_EVERY_ORGANISATION:
        expect_problem(answer, 404, "not_found")
    else:
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == ("closed" if action == "close" else "active")


# --- protection (MAN-LEGAL-ADVICE, MAN-COMPLAINT, MAN-INCIDENT, MAN-STAFF-CONFIDENTIALITY) -------
# every route × role × own/other organisation × a case shared with the caller's organisation, and
# one whose consent to share was withdrawn

STAFF = {
    Role.SHELTER_MANAGER,
    Role.SOCIAL_WORKER,
    Role.PSYCHOLOGIST,
    Role.LEGAL_COUNSELLOR,
    Role.MEDICAL_OFFICER,
}
PROTECTION_READS = STAFF | {Role.COORDINATOR}  # legal consultations and disclosures
RECORDS_CONSULTATIONS = {Role.LEGAL_COUNSELLOR}
RECORDS_DISCLOSURES = {
    Role.COORDINATOR,
    Role.SHELTER_MANAGER,
    Role.SOCIAL_WORKER,
    Role.LEGAL_COUNSELLOR,
}
RECORDS_COMPLAINTS = STAFF | {Role.COORDINATOR}
HANDLES_COMPLAINTS = {Role.SHELTER_MANAGER, Role.COORDINATOR}
WHOSE_CASE = ["own", "other", "shared", "withdrawn"]
OPTIONS = ["no_cooperation", "intelligence_only", "witness", "compensation"]


async def _shared(
    actors: Actors, victim: Victim, owner: Organisation, receiver: Organisation, *, withdrawn: bool
) -> None:
    """The case taken on by ``receiver`` (an accepted referral) with the person's consent to
    share, or with that consent withdrawn since."""
    author = await actors.user(Role.SOCIAL_WORKER, owner)
    sharing = await actors.consent(victim, ConsentPurpose.SHARE_WITH_ORGANISATION, receiver)
    await actors.add(
        Referral(
            victim_id=victim.id,
            from_organisation_id=owner.id,
            to_organisation_id=receiver.id,
            service=Service.LEGAL,
            funding=Funding.PROJECT,
            status=ReferralStatus.ACCEPTED,
            referred_on=actors.clock.today(),
            created_by=author.id,
            rulebook_version="kg-2026.1",
        )
    )
    if withdrawn:
        sharing.withdrawn_at = actors.clock.now()
        await actors.add(sharing)


async def _protected_case(actors: Actors, home: Organisation | None, whose: str) -> dict[str, Any]:
    """A case of the caller's organisation or of another, shared with the caller's or no
    longer; on it a legal consultation, a disclosure and a complaint, straight into the
    database, kept by the case's organisation."""
    elsewhere = await actors.organisation()
    owner = home if whose == "own" and home else elsewhere
    victim = await actors.victim(owner)
    if whose in ("shared", "withdrawn") and home is not None:
        await _shared(actors, victim, owner, home, withdrawn=whose == "withdrawn")
    author = await actors.user(Role.LEGAL_COUNSELLOR, owner)
    psychologist = await actors.user(Role.PSYCHOLOGIST, home or owner)
    cooperation = await actors.consent(victim, ConsentPurpose.LAW_ENFORCEMENT_COOPERATION)
    day = actors.clock.today()
    consultation = await actors.add(
        LegalConsultation(
            victim_id=victim.id,
            organisation_id=owner.id,
            counsellor_id=author.id,
            held_on=day,
            approved_by=psychologist.id,
            approved_on=day,
            options_explained=OPTIONS,
            decision=LegalDecision.UNDECIDED,
        )
    )
    disclosure = await actors.add(
        Disclosure(
            victim_id=victim.id,
            organisation_id=owner.id,
            recipient=DisclosureRecipient.LAW_ENFORCEMENT,
            recipient_name="Police",
            what="Her statement.",
            disclosed_on=day,
            consent_id=cooperation.id,
            recorded_by=author.id,
        )
    )
    complaint = await actors.add(
        Complaint(
            victim_id=victim.id,
            organisation_id=owner.id,
            kind=ComplaintKind.RIGHTS_DISREGARDED,
            summary="She asks for a private meeting.",
            received_on=day,
            meeting_due_on=day,
            recorded_by=author.id,
            rulebook_version="kg-2026.1",
        )
    )
    return {
        "victim": victim,
        "psychologist": psychologist,
        "legal-consultations": consultation.id,
        "disclosures": disclosure.id,
        "complaints": complaint.id,
    }


def _listing(answer: httpx.Response, record_id: UUID) -> int:
    """A list answered as a read would be: 200 with the record, 404 without it (a record the
    caller may not see is simply not listed), or the refusal."""
    if answer.status_code != 200:
        return answer.status_code
    listed = [item["id"] for item in answer.json()["items"]]
    assert listed in ([], [str(record_id)])
    return 200 if listed else 404


def _expected_protection(role: Role, whose: str) -> dict[str, int]:
    """What each operation answers, written out from API.md and the rules."""
    sees = role is Role.COORDINATOR or (role in STAFF and whose in ("own", "shared"))
    handles = role is Role.COORDINATOR or (role is Role.SHELTER_MANAGER and whose == "own")

    def reading(allowed: set[Role], visible: bool) -> int:
        return 403 if role not in allowed else (200 if visible else 404)

    def writing(allowed: set[Role]) -> int:
        return 403 if role not in allowed else (201 if sees else 422)

    return {
        "read legal-consultations": reading(PROTECTION_READS, sees),
        "list legal-consultations": reading(PROTECTION_READS, sees),
        "record legal-consultations": writing(RECORDS_CONSULTATIONS),
        "read disclosures": reading(PROTECTION_READS, sees),
        "list disclosures": reading(PROTECTION_READS, sees),
        "record disclosures": writing(RECORDS_DISCLOSURES),
        "read complaints": reading(HANDLES_COMPLAINTS, handles),
        "list complaints": reading(HANDLES_COMPLAINTS, handles),
        "record complaints": writing(RECORDS_COMPLAINTS),
        "meeting complaints": reading(HANDLES_COMPLAINTS, handles),
    }


def _bodies(case: dict[str, Any], today: str) -> dict[str, dict[str, Any]]:
    victim_id = str(case["victim"].id)
    return {
        "legal-consultations": {
            "victim_id": victim_id,
            "held_on": today,
            "psychologist_approval": {"by_user_id": str(case["psychologist"].id), "on": today},
            "options_explained": OPTIONS,
            "decision": "undecided",
        },
        "disclosures": {
            "victim_id": victim_id,
            "recipient": "court",
            "recipient_name": "District court",
            "what": "Her statement.",
            "disclosed_on": today,
        },
        "complaints": {
            "victim_id": victim_id,
            "kind": "rights_disregarded",
            "summary": "She asks for a private meeting.",
            "received_on": today,
        },
    }


@pytest.mark.parametrize("whose", WHOSE_CASE)
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_protection_access(
    client: httpx.AsyncClient, actors: Actors, role: Role, whose: str
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    case = await _protected_case(actors, home, whose)
    today = actors.clock.today().isoformat()
    bodies = _bodies(case, today)

    seen: dict[str, int] = {}
    for path in ("legal-consultations", "disclosures", "complaints"):
        answer = await client.get(f"/api/v1/{path}/{case[path]}", headers=caller.headers)
        seen[f"read {path}"] = answer.status_code
        listed = await client.get(f"/api/v1/{path}", headers=caller.headers)
        seen[f"list {path}"] = _listing(listed, case[path])
    meeting = {"held_on": today}
    answer = await client.post(
        f"/api/v1/complaints/{case['complaints']}/meeting", json=meeting, headers=caller.headers
    )
    seen["meeting complaints"] = answer.status_code
    for path, body in bodies.items():
        answer = await client.post(f"/api/v1/{path}", json=body, headers=caller.headers)
        seen[f"record {path}"] = answer.status_code

    assert seen == _expected_protection(role, whose)


@pytest.mark.parametrize("role", sorted(STAFF), ids=lambda r: r.value)
async def test_a_complaint_never_reaches_the_staff_member_it_names(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    named = await actors.user(role)
    home = await actors.organisation_of(named.organisation_id)
    assert home is not None
    victim = await actors.victim(home)
    recorder = await actors.user(Role.PSYCHOLOGIST, home)
    complaint = await actors.add(
        Complaint(
            victim_id=victim.id,
            organisation_id=home.id,
            kind=ComplaintKind.STAFF_CONDUCT,
            about_user_id=named.id,
            summary="About the one reading.",
            received_on=actors.clock.today(),
            meeting_due_on=actors.clock.today(),
            recorded_by=recorder.id,
            rulebook_version="kg-2026.1",
        )
    )
    url = f"/api/v1/complaints/{complaint.id}"
    answer = await client.get(url, headers=named.headers)
    export = await client.get(f"/api/v1/victims/{victim.id}/export", headers=named.headers)
    worklist = await client.get("/api/v1/worklist", headers=named.headers)

    expected = 404 if role in HANDLES_COMPLAINTS else 403
    expect_problem(answer, expected, "not_found" if expected == 404 else "forbidden")
    assert export.status_code in (200, 403)
    if export.status_code == 200:
        assert export.json()["complaints"] == []
    assert [i for i in worklist.json()["items"] if i["kind"] == "complaint"] == []
    if role in HANDLES_COMPLAINTS:
        listed = await client.get("/api/v1/complaints", headers=named.headers)
        assert listed.json()["items"] == []
        met = await client.post(
            f"{url}/meeting", json={"held_on": "2026-01-01"}, headers=named.headers
        )
        expect_problem(met, 404, "not_found")


INCIDENT_RECORDERS = STAFF
INCIDENT_READERS = STAFF | {Role.COORDINATOR}
INCIDENT_ACKNOWLEDGERS = {Role.SHELTER_MANAGER, Role.COORDINATOR}


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_incident_access(
    client: httpx.AsyncClient, actors: Actors, role: Role, whose: str
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    runner = home if whose == "own" and home else await actors.organisation()
    shelter = await actors.add(
        Shelter(
            name="House",
            organisation_id=runner.id,
            kind=ShelterKind.ADULT,
            capacity=5,
            address="1 Hidden Street",
        )
    )
    recorder = await actors.user(Role.SOCIAL_WORKER, runner)
    incident = await actors.add(
        Incident(
            shelter_id=shelter.id,
            organisation_id=runner.id,
            kind=IncidentKind.STATE_INQUIRY,
            occurred_at=actors.clock.now(),
            police_called=False,
            summary="An official asked about a resident.",
            recorded_by=recorder.id,
            reported_on=actors.clock.today(),
        )
    )
    body = {
        "shelter_id": str(shelter.id),
        "kind": "threat",
        "occurred_at": actors.clock.now().isoformat(),
        "police_called": True,
        "summary": "A threat at the gate.",
    }
    url = f"/api/v1/incidents/{incident.id}"
    seen = {
        "read": (await client.get(url, headers=caller.headers)).status_code,
        "acknowledge": (
            await client.post(f"{url}/acknowledge", headers=caller.headers)
        ).status_code,
        "record": (
            await client.post("/api/v1/incidents", json=body, headers=caller.headers)
        ).status_code,
    }
    listed = await client.get("/api/v1/incidents", headers=caller.headers)

    sees = role is Role.COORDINATOR or (role in STAFF and whose == "own")
    assert seen == {
        "read": 403 if role not in INCIDENT_READERS else (200 if sees else 404),
        "acknowledge": 403 if role not in INCIDENT_ACKNOWLEDGERS else (200 if sees else 404),
        "record": 403 if role not in INCIDENT_RECORDERS or whose == "other" else 201,
    }
    if role in INCIDENT_READERS:
        assert (str(incident.id) in {i["id"] for i in listed.json()["items"]}) is sees
    else:
        expect_problem(listed, 403, "forbidden")


async def test_an_incident_names_only_the_residents_the_reader_sees(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    runner, owner = await actors.organisation(), await actors.organisation()
    manager = await actors.user(Role.SHELTER_MANAGER, runner)
    shelter = await actors.add(
        Shelter(
            name="House",
            organisation_id=runner.id,
            kind=ShelterKind.ADULT,
            capacity=5,
            address="2 Hidden Street",
        )
    )
    own, withdrawn = await actors.victim(runner), await actors.victim(owner)
    await _shared(actors, withdrawn, owner, runner, withdrawn=True)  # no longer theirs
    incident = await actors.add(
        Incident(
            shelter_id=shelter.id,
            organisation_id=runner.id,
            kind=IncidentKind.ATTACK,
            occurred_at=actors.clock.now(),
            police_called=True,
            summary="An attack.",
            recorded_by=manager.id,
            reported_on=actors.clock.today(),
        )
    )
    for victim in (own, withdrawn):
        await actors.add(IncidentResident(incident_id=incident.id, victim_id=victim.id))

    shown = (await client.get(f"/api/v1/incidents/{incident.id}", headers=manager.headers)).json()
    assert (shown["victim_ids"], shown["other_residents"]) == ([str(own.id)], 1)


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_who_records_a_confidentiality_agreement(
    client: httpx.AsyncClient, actors: Actors, role: Role, whose: str
) -> None:
    caller = await actors.caller(role)
    home = await actors.organisation_of(caller.organisation_id)
    organisation = home if whose == "own" and home else await actors.organisation()
    newcomer = await actors.user(Role.SOCIAL_WORKER, organisation, signed=False)

    answer = await client.post(
        f"/api/v1/users/{newcomer.id}/confidentiality-agreement",
        json={"signed_on": actors.clock.today().isoformat()},
        headers=caller.headers,
    )

    if role is Role.ADMIN or (role is Role.SHELTER_MANAGER and whose == "own"):
        assert answer.status_code == 200, answer.text
    elif role is Role.SHELTER_MANAGER:
        expect_problem(answer, 404, "not_found")
    else:
        expect_problem(answer, 403, "forbidden")
