"""Object- and role-level access to case data: every role × own/other organisation × operation.

The expectations are written out here, independently of app/domain/access.py, so a change to
the permission table that widens access fails this test.
"""

from datetime import UTC, date, datetime
from uuid import UUID

import httpx
import pytest

from app.domain.access import Role
from app.domain.casework import (
    AssessmentKind,
    CarePlanKind,
    FollowUpTrigger,
    Service,
    SessionKind,
    SessionMethod,
)
from app.domain.consent import ConsentPurpose
from app.domain.rulebook import ServiceTerm
from app.domain.vocabulary import Funding, VictimStatus
from app.models import (
    Assessment,
    CarePlan,
    Consent,
    CounsellingSession,
    FollowUpContact,
    Organisation,
    Referral,
    ServiceAgreement,
    SessionParticipant,
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
    return {
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
