"""A generated access matrix (issue 16, point 5): every GET route of the app × every role × a
case of another organisation that is not shared with the caller's, is shared with it (an
accepted referral and an active consent to share), or whose consent to share was withdrawn;
and every write operation (POST, PUT, PATCH, DELETE) that names such a record in its path or
such a person in its body, for every role of its ``x-roles``.

The routes come from the contract (``x-roles``); who sees which record comes from
app/domain/access.py (``case_scope`` and the keeper rules), applied to a world built straight
into the database. A route with a path parameter missing from PARAMS, or a list of no known
kind, fails the test by name; so does a write that names neither and is not in NAMING_NONE.
A leak is a 2xx answer that should not be, an answer that carries an id (or a shelter address,
or a secret) its caller may not see, or a write on what it may not see that changed a row.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func
from sqlmodel import SQLModel, select

from app import models as m
from app.domain import access
from app.domain import casework as cw
from app.domain import reintegration as ri
from app.domain.access import CaseScope, Role
from app.domain.consent import ConsentPurpose
from app.domain.documents import DocumentKind, MediaType
from app.domain.exchange import JobReferralStatus, Topic
from app.domain.protection import ComplaintKind, DisclosureRecipient, IncidentKind, LegalDecision
from app.domain.rulebook import GrantForm, ServiceTerm, ShelterKind
from app.domain.shelter import MonitoringOutcome, StaySource, StayStatus
from app.domain.vocabulary import Funding
from app.services.file_store import LocalFileStore
from app.services.sealed_files import Keyring, new_file_key, seal, wrap
from tests import figures
from tests.factories import Actor, Actors

VARIANTS = ("unshared", "shared", "withdrawn")
DAY = date(2026, 1, 15)
RULEBOOK = "kg-2026.1"
SECRET = "whsec-generated-matrix-never-shown"  # a webhook endpoint's signing secret

# every path parameter of a route: the kind of record it names in the world
PARAMS = {
    "alert_id": "alert",
    "victim_id": "victim",
    "consent_id": "consent",
    "referral_id": "referral",
    "assessment_id": "assessment",
    "care_plan_id": "care_plan",
    "review_id": "review",
    "session_id": "session",
    "agreement_id": "agreement",
    "follow_up_id": "follow_up",
    "stay_id": "stay",
    "consultation_id": "consultation",
    "disclosure_id": "disclosure",
    "incident_id": "incident",
    "complaint_id": "complaint",
    "grant_id": "grant",
    "training_id": "training",
    "micro_enterprise_id": "micro_enterprise",
    "return_id": "return",
    "identity_document_id": "identity_document",
    "document_id": "document",
    "job_referral_id": "job_referral",
    "endpoint_id": "endpoint",
    "message_id": "message",
    "shelter_id": "shelter",
    "organisation_id": "organisation",
    "user_id": "user",
    "client_id": "client",
    "import_id": "import",
    "pair_id": "possible_duplicate",
}
# who sees each kind of record of the other organisation (the rules: ``_sees``)
RULES = {kind: "case" for kind in PARAMS.values()} | {
    "incident": "kept",  # the running organisation's staff, and the coordinator
    "shelter": "kept",  # its visitor log and monthly report; the rest is in ALLOWED_ACROSS
    "organisation": "kept",
    "user": "kept",
    "client": "kept",
    "complaint": "complaint",  # the handling organisation's manager, and the coordinator
    "health_record": "case",  # named by no route: the person's is read through the person
    "alert": "alert",  # the responsible organisation's manager, and the coordinator
    "endpoint": "own",  # the organisation's own endpoints, no one else's
    "message": "outbox",  # an organisation's deliveries; the coordinator all
    "job_referral": "job_referral",  # the case's workers; SCME those sent to it
    "import": "own",  # a spreadsheet import: its organisation's importers, no one else
}
# named freely by the records that point at them (a stay's shelter, a referral's organisations,
# the endpoint of a delivery the coordinator oversees): ids of no personal data
NAMED_FREELY = {"organisation", "user", "client", "shelter", "endpoint"}
# routes any role of their x-roles reads across organisations, with the reason
ALLOWED_ACROSS = {
    "/api/v1/auth/me": "the caller's own account (checked: its own id)",
    "/api/v1/organisations": "the directory: names and kinds, no personal data",
    "/api/v1/organisations/{organisation_id}": "the directory",
    "/api/v1/users": "the admin runs every organisation's accounts (no password hash: checked)",
    "/api/v1/users/{user_id}": "the admin runs every organisation's accounts",
    "/api/v1/clients": "the admin runs every machine client (no secret: checked)",
    "/api/v1/clients/{client_id}": "the admin runs every machine client",
    "/api/v1/shelters": "public shelter information: the address hidden (checked)",
    "/api/v1/shelters/{shelter_id}": "public shelter information: the address hidden (checked)",
    "/api/v1/shelters/{shelter_id}/occupancy": "counts of places, for placing a person",
    "/api/v1/rulebook": "the rules in force: no data",
    "/api/v1/vocabulary": "the labels of the contract's enumerations: no data",
    "/api/v1/reports/deidentified": "persons by generalised quasi-identifiers, every "
    "combination shared by at least k (tests/api/test_deidentified.py)",
    "/api/v1/exports/htcds": "the coordinator's alone, every case whose person consented to "
    "the processing of their data (CaseScope.ALL; tests/api/test_htcds.py)",
    "/api/v1/reports/compliance": "the coordinator's alone, over every case (CaseScope.ALL)",
    "/api/v1/reports/aggregate": "counts only, cells below 5 suppressed",
    "/api/v1/audit-events": "the trail, read whole by the admin and the coordinator",
    "/api/v1/imports/template.csv": "the import template: column names, no data",
    "/api/v1/imports/template.xlsx": "the import template: column names and enumerations",
    "/api/v1/worklist/reminders": "the caller's own reminder settings (their own address)",
    "/api/v1/reports/kpis": "counts by month and organisation: every one for the coordinator "
    "and the auditor (small counts hidden), a shelter manager's own (tests/api/test_kpis.py)",
}
# lists without an item route of their own: the kind of record they list
LIST_KINDS = {
    "/api/v1/alerts": "alert",
    "/api/v1/worklist": "incident",
    "/api/v1/possible-duplicates": "possible_duplicate",
}
# lists that leave out, by default, a record their caller may read (none so far)
LIST_EXCEPTIONS: dict[str, str] = {}
QUERY = {"month": "2026-01", "from": "2026-01", "to": "2026-01"}  # required query parameters
NEVER_SHOWN = ('"password_hash"', '"secret_hash"', SECRET)

TOTALS = {"cells": 0, "leaks": 0}


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    figures.report("access matrix", cells=TOTALS["cells"], leaks=TOTALS["leaks"])


def _operations(app: FastAPI) -> list[tuple[str, list[str] | None, bool, dict[str, str]]]:
    """Every GET route of the API (the health probes aside: no caller, no data): its path, its
    roles (None: any caller), whether it is a list, and its required query."""
    spec = app.openapi()
    schemas = spec["components"]["schemas"]
    found = []
    for path, item in spec["paths"].items():
        if (operation := item.get("get")) is None or not path.startswith("/api/"):
            continue
        names = re.findall(r"\{(\w+)\}", path)
        unknown = [n for n in names if n not in PARAMS]
        assert not unknown, f"GET {path}: add {unknown} to PARAMS (and the world)"
        content = operation["responses"].get("200", {}).get("content", {})
        ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
        listing = "items" in schemas.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
        queried = [q for q in operation.get("parameters", []) if q["in"] == "query"]
        required = [q["name"] for q in queried if q.get("required")]
        assert set(required) <= set(QUERY), f"GET {path}: add ?{required} to QUERY"
        if not names and path not in ALLOWED_ACROSS:
            assert listing, f"GET {path} names no record and lists none: ALLOWED_ACROSS?"
            assert _list_kind(spec, path), f"GET {path}: add the kind it lists to LIST_KINDS"
        query = {name: QUERY[name] for name in required}
        found.append((path, operation.get("x-roles"), listing and not names, query))
    return found


def _list_kind(spec: dict[str, Any], path: str) -> str | None:
    for other in spec["paths"]:
        if re.fullmatch(re.escape(path) + r"/\{(\w+)\}", other) and "get" in spec["paths"][other]:
            return PARAMS[other.rsplit("{", 1)[1].rstrip("}")]
    return LIST_KINDS.get(path)


def _sees(rule: str, role: Role, variant: str, me: Actor, other: UUID) -> bool:
    """What app/domain/access.py lets ``me`` see of a record kept by ``other``."""
    home, scope = me.organisation_id, access.case_scope(role)
    case = scope is CaseScope.ALL or (
        scope is CaseScope.ORGANISATION and home is not None and variant == "shared"
    )
    if rule == "case":
        return case
    if rule == "kept":
        return access.oversees_or_keeps(role, home, other)
    if rule == "own":
        return access.keeps_record(home, other)
    if rule == "outbox":
        return access.sees_all_deliveries(role) or access.keeps_record(home, other)
    if rule == "complaint":
        return case and access.handles_complaint(role, me.id, home, other, None)
    if rule == "alert":
        return case and access.oversees_or_keeps(role, home, other)
    if rule == "job_referral":  # sent to SCME with the consent; withdrawn in that variant
        return variant != "withdrawn" if access.reads_as_scme(role) else case
    raise AssertionError(f"no rule {rule}")


async def _add_stages(actors: Actors, *stages: list[Any]) -> None:
    """Records written in one session, each stage flushed before the next (foreign keys)."""
    async with actors.sessionmaker() as session:
        for stage in stages:
            session.add_all(stage)
            await session.flush()
        await session.commit()


async def _sealed_document(actors: Actors, kept: dict[str, Any], by: UUID) -> m.Document:
    """A paper of the person's file, its sealed file in the application's store."""
    keyring = Keyring.of(actors.settings.document_key_list)
    document_id, file_key = uuid4(), new_file_key()
    key_id, wrapped = wrap(keyring, file_key, document_id)
    content = b"%PDF-1.4\n%%EOF\n"
    await LocalFileStore(actors.settings.document_dir).put(
        document_id.hex, seal(file_key, content, document_id)
    )
    return m.Document(
        id=document_id, **kept, kind=DocumentKind.OTHER, media_type=MediaType.PDF,
        size_bytes=len(content), filename="signed.pdf", key_id=key_id, wrapped_key=wrapped,
        uploaded_by=by,
    )  # fmt: skip


async def _case(
    actors: Actors, other: m.Organisation, recipient: m.Organisation, variant: str, n: int
) -> dict[str, UUID]:
    """A case of ``other`` with one record of each kind; shared with ``recipient`` by an
    accepted referral and a consent to share, withdrawn (with the SCME one) if so."""
    worker = await actors.user(Role.SOCIAL_WORKER, other)
    victim, twin = await actors.victim(other), await actors.victim(other)
    today, now, by = actors.clock.today(), actors.clock.now(), worker.id
    withdrawn = now if variant == "withdrawn" else None

    def consent(purpose: ConsentPurpose, to: UUID | None = None) -> m.Consent:
        return m.Consent(
            victim_id=victim.id, purpose=purpose, recipient_organisation_id=to, given_on=today,
            given_at=now, recorded_by=victim.id, withdrawn_at=withdrawn,
        )  # fmt: skip

    kept: dict[str, Any] = {"victim_id": victim.id, "organisation_id": other.id}
    sharing = consent(ConsentPurpose.SHARE_WITH_ORGANISATION, recipient.id)
    scme, cooperation = (
        consent(ConsentPurpose.SCME_JOB_REFERRAL),
        consent(ConsentPurpose.LAW_ENFORCEMENT_COOPERATION),
    )
    processing = consent(ConsentPurpose.DATA_PROCESSING)  # what an HTCDS export needs
    cooperation.withdrawn_at = processing.withdrawn_at = None
    shelter = m.Shelter(
        name=f"House {n}", organisation_id=other.id, kind=ShelterKind.ADULT, capacity=5,
        address=f"{n} Hidden Lane {variant}",
    )  # fmt: skip
    referral = m.Referral(
        victim_id=victim.id, from_organisation_id=other.id, to_organisation_id=recipient.id,
        service=cw.Service.LEGAL, funding=Funding.PROJECT, status=cw.ReferralStatus.ACCEPTED,
        referred_on=today, created_by=by, rulebook_version=RULEBOOK,
    )  # fmt: skip
    assessment = m.Assessment(
        **kept, kind=cw.AssessmentKind.INDIVIDUAL_NEEDS, author_id=by,
        author_role=Role.SOCIAL_WORKER, rulebook_version=RULEBOOK,
    )  # fmt: skip
    endpoint = m.WebhookEndpoint(organisation_id=other.id, url="https://x.test/h", secret=SECRET)
    first = [sharing, scme, cooperation, processing, shelter, referral, assessment, endpoint]
    plan = m.CarePlan(
        **kept, assessment_id=assessment.id, kind=cw.CarePlanKind.CARE, planned_months=6,
        created_by=by, rulebook_version=RULEBOOK,
    )  # fmt: skip
    stay = m.ShelterStay(
        victim_id=victim.id, shelter_id=shelter.id, status=StayStatus.DISCHARGED,
        source=StaySource.NGO_COORDINATOR, pocket_money_per_day=Decimal("0.00"),
        proposed_on=DAY, proposed_by=by, rulebook_version=RULEBOOK,
    )  # fmt: skip
    session = m.CounsellingSession(
        organisation_id=other.id, kind=cw.SessionKind.INDIVIDUAL, held_on=DAY,
        method=cw.SessionMethod.COUNSELLING, duration_minutes=50, author_id=by,
        author_role=Role.SOCIAL_WORKER,
    )  # fmt: skip
    incident = m.Incident(
        shelter_id=shelter.id, organisation_id=other.id, kind=IncidentKind.STATE_INQUIRY,
        occurred_at=now, police_called=False, recorded_by=by, reported_on=today,
    )  # fmt: skip
    job = m.JobReferral(
        **kept, profession="Baker", region="Osh", status=JobReferralStatus.SENT, created_by=by
    )
    records: dict[str, Any] = {
        "care_plan": plan, "stay": stay, "session": session, "incident": incident,
        "job_referral": job,
        "follow_up": m.FollowUpContact(
            **kept, trigger=cw.FollowUpTrigger.AGREEMENT_ENDED, due_on=DAY,
            rulebook_version=RULEBOOK,
        ),
        "consultation": m.LegalConsultation(
            **kept, counsellor_id=by, held_on=DAY, approved_by=by, approved_on=DAY,
            options_explained=["witness"], decision=LegalDecision.UNDECIDED,
        ),
        "disclosure": m.Disclosure(
            **kept, recipient=DisclosureRecipient.LAW_ENFORCEMENT, recipient_name="Police",
            what="Her statement.", disclosed_on=DAY, consent_id=cooperation.id, recorded_by=by,
        ),
        "complaint": m.Complaint(
            **kept, kind=ComplaintKind.RIGHTS_DISREGARDED, received_on=DAY, meeting_due_on=DAY,
            recorded_by=by, rulebook_version=RULEBOOK,
        ),
        "grant": m.ReintegrationGrant(
            victim_id=victim.id, form=GrantForm.PINK, ngo_organisation_id=other.id,
            period_start=DAY, period_end=DAY, total=Decimal("0.00"), author_id=by,
            author_organisation_id=other.id, rulebook_version=RULEBOOK,
        ),
        "training": m.Training(
            **kept, course="Tailoring", provider_organisation_id=other.id, starts_on=DAY,
            ends_on=DAY, chosen_by_person=True, assessment_id=assessment.id, created_by=by,
        ),
        "micro_enterprise": m.MicroEnterprise(
            **kept, candidacy_assessment_id=assessment.id, business="Bakery", created_by=by
        ),
        "return": m.Return(
            **kept, kind=ri.ReturnKind.RETURN_HOME, decided_by_person=True, destination="Osh",
            travel_documents=ri.TravelDocuments.NOT_NEEDED, escort=False, meeting_at_arrival=False,
            planned_on=DAY, created_by=by,
        ),
        "identity_document": m.IdentityDocument(
            **kept, kind=ri.IdentityDocumentKind.INTERNAL_ID, recorded_by=by,
            status=ri.IdentityDocumentStatus.NEEDED,
        ),
        "document": await _sealed_document(actors, kept, by),
        "alert": m.Alert(**kept, assessment_id=assessment.id, raised_on=today),
        "health_record": m.HealthRecord(victim_id=victim.id, updated_by=by),
        "possible_duplicate": m.PossibleDuplicate(
            victim_id=victim.id, candidate_id=twin.id, score=0.9, reasons=["the same names"],
            found_on=today,
        ),
        "import": m.ImportJob(
            organisation_id=other.id, created_by=by, file_sha256=f"{n:064d}", file_format="csv",
            status="succeeded", total_rows=1, done_rows=1, created={"victims": 1},
        ),
    }  # fmt: skip
    review = m.CarePlanReview(care_plan_id=plan.id, held_on=DAY, author_id=by)
    agreement = m.ServiceAgreement(
        **kept, care_plan_id=plan.id, provider_organisation_id=other.id, term=ServiceTerm.SHORT,
        starts_on=DAY, ends_on=DAY, consent_given=True, created_by=by, rulebook_version=RULEBOOK,
    )  # fmt: skip
    report = m.MonitoringReport(
        stay_id=stay.id, victim_id=victim.id, outcome=MonitoringOutcome.UNREACHABLE,
        reported_on=DAY, contact_attempts="Three calls.", author_id=by,
    )  # fmt: skip
    message = m.OutboxMessage(
        topic=Topic.WEBHOOK, organisation_id=other.id, endpoint_id=endpoint.id,
        record_id=referral.id,
        payload={"type": "referral.accepted", "data": {"referral_id": str(referral.id)}},
    )  # fmt: skip
    last = [
        review, agreement, report, message,
        m.SessionParticipant(session_id=session.id, victim_id=victim.id),
        m.IncidentResident(incident_id=incident.id, victim_id=victim.id),
    ]  # fmt: skip
    await _add_stages(actors, first, [plan, stay, session, incident, job], list(records.values()))
    await _add_stages(actors, last)
    ids = {kind: record.id for kind, record in records.items()}
    return ids | {
        "victim": victim.id, "consent": sharing.id, "referral": referral.id,
        "assessment": assessment.id, "shelter": shelter.id, "endpoint": endpoint.id,
        "review": review.id, "agreement": agreement.id, "message": message.id,
        "organisation": other.id, "user": worker.id,
    }  # fmt: skip


async def _world(actors: Actors, home: m.Organisation | None) -> dict[str, dict[str, UUID]]:
    other, third = await actors.organisation(), await actors.organisation()
    client = await actors.add(
        m.Client(name="Other's system", role=Role.PARTNER_SYSTEM, organisation_id=other.id,
               secret_hash="$argon2id$not-a-hash")
    )  # fmt: skip
    world = {}
    for n, variant in enumerate(VARIANTS):
        recipient = home if variant != "unshared" and home is not None else third
        world[variant] = await _case(actors, other, recipient, variant, n) | {"client": client.id}
    # records that name persons of several cases show only those their reader sees: the shared
    # case's group session, and an incident at the caller's own shelter, name all three persons
    persons = [world[variant]["victim"] for variant in VARIANTS]
    named: list[Any] = [
        m.SessionParticipant(session_id=world["shared"]["session"], victim_id=v)
        for v in persons[::2]
    ]
    house = m.Shelter(name="Own", organisation_id=(home or other).id, kind=ShelterKind.ADULT,
                      capacity=5, address="The caller's own house")  # fmt: skip
    incident = m.Incident(
        shelter_id=house.id, organisation_id=house.organisation_id, kind=IncidentKind.THREAT,
        occurred_at=actors.clock.now(), police_called=True, reported_on=actors.clock.today(),
        recorded_by=world["shared"]["user"],
    )  # fmt: skip
    named += [m.IncidentResident(incident_id=incident.id, victim_id=v) for v in persons]
    await _add_stages(actors, [house], [incident], named)
    return world


def _url(path: str, world: dict[str, dict[str, UUID]], variant: str) -> str:
    """The path with the variant's records; ``mixed``: the parent shared, the child not."""
    names = re.findall(r"\{(\w+)\}", path)

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        chosen = variant
        if variant == "mixed":
            chosen = "unshared" if name == names[-1] else "shared"
        return str(world[chosen][PARAMS[name]])

    return re.sub(r"\{(\w+)\}", fill, path)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_generated_access_matrix(
    client: httpx.AsyncClient, app: FastAPI, actors: Actors, role: Role
) -> None:
    me = await actors.caller(role)
    home = await actors.organisation_of(me.organisation_id)
    world = await _world(actors, home)
    other = world["shared"]["organisation"]
    spec = app.openapi()

    def sees(kind: str, variant: str) -> bool:
        return _sees(RULES[kind], role, variant, me, other)

    forbidden = {
        str(ids[kind]): f"{kind} ({variant})"
        for variant, ids in world.items()
        for kind in ids
        if kind not in NAMED_FREELY and not sees(kind, variant)
    }
    addresses = [] if access.shelter_address_visible(role, me.organisation_id, other) else [
        f"{n} Hidden Lane {v}" for n, v in enumerate(VARIANTS)
    ]  # fmt: skip
    cells, leaks, wrong = 0, [], []

    def carried(answer: httpx.Response, path: str) -> list[str]:
        """What a 2xx answer carries that its caller may not see."""
        if not answer.is_success:
            return []
        text = answer.text
        shown = [s for s in NEVER_SHOWN if s in text] + [a for a in addresses if a in text]
        if path not in ALLOWED_ACROSS:
            shown += [what for id_, what in forbidden.items() if id_ in text]
        return shown

    for path, roles, listing, query in _operations(app):
        may = roles is None or role.value in roles
        cell = f"GET {path} as {role}"
        across = path in ALLOWED_ACROSS or READS_ACROSS.get(path, (None, ""))[0] is role
        if listing and may:  # one page, checked for every variant
            answer = await client.get(path, params={"limit": 200}, headers=me.headers)
            cells += len(VARIANTS)
            if answer.status_code != 200:
                wrong.append(f"{cell}: {answer.status_code} {answer.text[:200]}")
                continue
            if shown := carried(answer, path):
                leaks.append(f"{cell}: lists {shown}")
            if (kind := _list_kind(spec, path)) is None:
                continue
            for variant in VARIANTS:
                expected = path in ALLOWED_ACROSS or sees(kind, variant)
                listed = str(world[variant][kind]) in answer.text
                if expected and not listed and path not in LIST_EXCEPTIONS:
                    wrong.append(f"{cell}: the {variant} {kind} is not listed")
            continue
        names = re.findall(r"\{(\w+)\}", path)
        for variant in VARIANTS + (("mixed",) if len(names) > 1 else ()):
            url = _url(path, world, variant)
            answer = await client.get(url, params=query, headers=me.headers)
            cells += 1
            at = f"{cell} ({variant})"
            if not may:
                if answer.is_success:
                    leaks.append(f"{at}: {answer.status_code} outside x-roles")
                elif answer.status_code != 403:
                    wrong.append(f"{at}: {answer.status_code}, not 403")
                continue
            expected = across or (
                variant != "mixed" and all(sees(PARAMS[n], variant) for n in names)
            )
            if answer.is_success and not expected:
                leaks.append(f"{at}: {answer.status_code} {answer.text[:200]}")
            elif shown := carried(answer, path):
                leaks.append(f"{at}: carries {shown}")
            elif expected and not answer.is_success:
                wrong.append(f"{at}: {answer.status_code} {answer.text[:200]}")
            elif not expected and answer.status_code not in (403, 404):
                wrong.append(f"{at}: {answer.status_code}, not 404 (or 403)")
            if path == "/api/v1/auth/me" and answer.json()["id"] != str(me.id):
                leaks.append(f"{at}: another account")

    TOTALS["cells"] += cells
    TOTALS["leaks"] += len(leaks)
    assert not leaks, "leaks:\n" + "\n".join(leaks)
    assert not wrong, "unexpected answers:\n" + "\n".join(wrong)


# --- the write operations ----------------------------------------------------------------------
# Every POST, PUT, PATCH and DELETE of the contract, for every role of its x-roles: one that
# names a record in its path, against each variant's record; one whose body names a person,
# with each variant's person. Where the role may not see the record (or the person), the answer
# is 404 or 403 and no row of any table changed; elsewhere only never a 5xx. Each cell runs in a
# savepoint rolled back after it, so that a write let through changes nothing for the next.

WRITE_METHODS = ("post", "put", "patch", "delete")
# write operations that name neither a record nor a person of a case, with the reason
NAMING_NONE = {
    "POST /api/v1/auth/token": "signing in: no record, no person",
    "POST /api/v1/auth/revoke": "the caller's own token",
    "POST /api/v1/organisations": "a new directory entry (the admin's)",
    "POST /api/v1/users": "a new account (the admin's, in any organisation)",
    "POST /api/v1/clients": "a new machine client (the admin's, of any organisation)",
    "POST /api/v1/victims": "a new person, of the caller's own organisation",
    "POST /api/v1/shelters": "a new shelter (the coordinator's, of any organisation)",
    "POST /api/v1/webhook-endpoints": "an endpoint of the caller's own organisation",
    "POST /api/v1/imports": "a spreadsheet of new persons, of the caller's own organisation",
    "PUT /api/v1/worklist/reminders": "the caller's own reminder settings",
}
# records of another organisation one role reads although ``_sees`` hides them from it
READS_ACROSS = {
    "/api/v1/users/{user_id}/confidentiality-agreement/form.pdf": (
        Role.ADMIN,
        "the admin prints any staff member's agreement, as they record it (a shelter manager "
        "their own's only)",
    ),
}
# records of another organisation a role acts on although ``_sees`` hides them from it
WRITES_ACROSS = {
    "PATCH /api/v1/organisations/{organisation_id}": (Role.ADMIN, "the admin runs the directory"),
    "PATCH /api/v1/users/{user_id}": (Role.ADMIN, "the admin runs every organisation's accounts"),
    "POST /api/v1/users/{user_id}/deactivate": (Role.ADMIN, "the admin runs every account"),
    "POST /api/v1/users/{user_id}/confidentiality-agreement": (
        Role.ADMIN,
        "the admin records any staff member's agreement (a shelter manager their own's only)",
    ),
    "POST /api/v1/clients/{client_id}/deactivate": (Role.ADMIN, "the admin runs every client"),
    "POST /api/v1/users/{user_id}/open-work/transfer": (
        Role.COORDINATOR,
        "the coordinator moves any organisation's caseload (a shelter manager their own's only)",
    ),
}
PERSONS = ("victim_id", "victim_ids")  # body fields that name a person
# body fields that name a record of the person's case: the kind they name
BODY_IDS = {
    "victim_id": "victim",
    "victim_ids": "victim",
    "assessment_id": "assessment",
    "candidacy_assessment_id": "assessment",
    "care_plan_id": "care_plan",
    "consent_id": "consent",
    "into": "victim",  # a merge: the record kept
}
# body fields that name the caller's own record (``own``), or the case's organisation
OWN_IDS = {
    "shelter_id": "shelter",  # a stay, an incident: at the caller's own shelter
    "to_organisation_id": "other",  # a referral: to another organisation
    "provider_organisation_id": "organisation",
    "ngo_organisation_id": "other",  # the case's NGO
    "to_user_id": "user",  # a caseload moved: to the caller (refused, but after the record)
    "user_id": "user",  # a case given to a worker: the caller
}
# path parameters a body-naming-a-person operation is sent with: the caller's own record
OWN_PARAMS = {"shelter_id": "shelter"}
# where the body the contract's schema gives (``_example``) would not do: the fields to use
BODIES: dict[str, dict[str, Any]] = {
    "POST /api/v1/sessions": {"kind": "individual"},
    "POST /api/v1/returns": {"decided_by_person": True},
    "POST /api/v1/shelters/{shelter_id}/visits": {
        "visitor_kind": "family", "justification": "Her sister, expected."
    },
    "POST /api/v1/trainings": {"chosen_by_person": True},
}  # fmt: skip

TOTALS_WRITES = {"cells": 0, "leaks": 0}


@pytest.fixture(scope="module", autouse=True)
def _report_writes() -> Iterator[None]:
    yield
    figures.report("access matrix (writes)", **TOTALS_WRITES)


def _write_operations(spec: dict[str, Any]) -> list[tuple[str, str, list[str], dict[str, Any]]]:
    """Every write operation that names a record (in its path) or a person (in its body): its
    method, path, roles and body schema ({} for none). Any other must be in NAMING_NONE."""
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in WRITE_METHODS:
                continue
            name = f"{method.upper()} {path}"
            names = re.findall(r"\{(\w+)\}", path)
            unknown = [n for n in names if n not in PARAMS]
            assert not unknown, f"{name}: add {unknown} to PARAMS (and the world)"
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema", {})
            if "multipart/form-data" in content:  # an upload: its form, sent as a form
                schema = {MULTIPART: content["multipart/form-data"]["schema"]}
            if not names and not _names_person(spec, schema):
                assert name in NAMING_NONE, f"{name} names no record nor person: NAMING_NONE?"
                continue
            assert name not in NAMING_NONE, f"{name} names a record or a person: NAMING_NONE"
            assert operation.get("x-roles"), f"{name} names a record: who may call it?"
            found.append((method, path, operation["x-roles"], schema))
    return found


def _resolved(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _names_person(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    return bool(set(_resolved(spec, schema).get("properties", {})) & set(PERSONS))


def _example(spec: dict[str, Any], schema: dict[str, Any], ids: dict[str, Any], name: str) -> Any:
    """A value of ``schema`` for the field ``name``: the least the contract asks (required
    fields, the smallest number, the first choice), ids from ``ids`` (the case's records, and
    the caller's own)."""
    schema = _resolved(spec, schema)
    if name in BODY_IDS or name in OWN_IDS:
        chosen = str(ids[BODY_IDS.get(name) or f"own {OWN_IDS[name]}"])
        return [chosen] if schema.get("type") == "array" else chosen
    for given in ("const", "examples", "enum"):
        if given in schema:
            return schema[given] if given == "const" else schema[given][0]
    options = [o for o in schema.get("anyOf", schema.get("oneOf", [])) if o.get("type") != "null"]
    if options:  # the choice that asks the least
        least = min(options, key=lambda o: len(_resolved(spec, o).get("required", [])))
        return _example(spec, least, ids, name)
    kind = schema.get("type")
    if kind == "object":
        fields = schema.get("properties", {})
        wanted = set(schema.get("required", [])) | (set(fields) & set(PERSONS))
        return {f: _example(spec, fields[f], ids, f) for f in fields if f in wanted}
    if kind == "array":
        return [_example(spec, schema["items"], ids, name)] * max(schema.get("minItems", 1), 1)
    if kind in ("integer", "number"):
        return max(int(schema.get("minimum", 1)), 1)
    if kind == "boolean":
        return True
    assert kind == "string", f"{name}: no example of {schema}"
    shape = schema.get("format")
    assert shape != "uuid", f"{name}: add the record it names to BODY_IDS or OWN_IDS"
    if shape == "date":
        return str(ids["today"])
    if shape == "date-time":
        return str(ids["now"])
    text = "Synthetic-value-0123456789-abcdefghij"
    return text[: schema.get("maxLength", len(text))]


MULTIPART = "x-multipart-form"  # the schema of an upload's form
UPLOADED = b"%PDF-1.4\n%%EOF\n"  # the file of an upload: a PDF, whole


@dataclass(frozen=True)
class Form:
    """An upload's body: its fields, and its files (the form's binary fields)."""

    data: dict[str, Any]
    files: dict[str, tuple[str, bytes]]


def _form(spec: dict[str, Any], schema: dict[str, Any], ids: dict[str, Any]) -> Form:
    fields = _resolved(spec, schema).get("properties", {})
    binary = {n for n, f in fields.items() if "contentMediaType" in _resolved(spec, f)}
    example = _example(spec, schema, ids, "body")
    data = {name: value for name, value in example.items() if name not in binary}
    return Form(data, {name: ("upload.pdf", UPLOADED) for name in binary})


def _body(
    spec: dict[str, Any], operation: str, schema: dict[str, Any], ids: dict[str, Any], role: Role
) -> dict[str, Any] | Form | None:
    if not schema:
        return None
    if MULTIPART in schema:
        return _form(spec, schema[MULTIPART], ids)
    body: dict[str, Any] = _example(spec, schema, ids, "body") | BODIES.get(operation, {})
    if operation == "POST /api/v1/assessments":  # a kind the role records, needing no referral
        kinds = reversed(list(access.ASSESSMENT_AUTHORS.items()))
        body["kind"] = next(kind for kind, by in kinds if role in by).value
    return body


def _fingerprint() -> Any:
    """One row: the rows of every table, and the sum of the versions of those that have one
    (a change in place bumps it)."""
    columns = []
    for table in SQLModel.metadata.sorted_tables:
        columns.append(select(func.count()).select_from(table).scalar_subquery().label(table.name))
        if "version" in table.c:
            total = func.coalesce(func.sum(table.c.version), 0)
            columns.append(select(total).scalar_subquery().label(f"{table.name}.version"))
    return select(*columns)


def _named_field(answer: httpx.Response) -> str | None:
    """The body field a 422 refusal names (its last ``loc``)."""
    if answer.status_code != 422:
        return None
    errors = answer.json().get("errors") or [{}]
    loc = errors[0].get("loc") or [None]
    return str(loc[-1])


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_generated_write_matrix(
    client: httpx.AsyncClient, app: FastAPI, actors: Actors, role: Role
) -> None:
    me = await actors.caller(role)
    home = await actors.organisation_of(me.organisation_id)
    world = await _world(actors, home)
    other = world["shared"]["organisation"]
    spec = app.openapi()
    async with actors.sessionmaker() as session:
        house = (await session.exec(select(m.Shelter).where(m.Shelter.name == "Own"))).one()
    now = actors.clock.now() - timedelta(hours=1)
    own = {
        "own shelter": house.id, "own organisation": (home.id if home else other),
        "own other": other, "today": actors.clock.today(), "now": now.isoformat(),
        "own user": me.id,
    }  # fmt: skip
    connection = actors.sessionmaker.kw["bind"]
    fingerprint = _fingerprint()
    cells, leaks, wrong = 0, [], []

    async def attempt(method: str, url: str, body: Any) -> tuple[httpx.Response, list[str]]:
        """The request, in a savepoint rolled back after it; and what it changed."""
        headers = dict(me.headers)
        if method == "post":
            headers["Idempotency-Key"] = str(uuid4())
        savepoint = await connection.begin_nested()
        try:
            before = (await connection.execute(fingerprint)).one()._asdict()
            if isinstance(body, Form):
                sent = {"data": body.data, "files": body.files}
            else:
                sent = {"json": body}
            answer = await client.request(method.upper(), url, headers=headers, **sent)
            after = (await connection.execute(fingerprint)).one()._asdict()
        finally:
            await savepoint.rollback()
        return answer, [table for table, rows in after.items() if rows != before[table]]

    def sees(kind: str, variant: str) -> bool:
        return _sees(RULES[kind], role, variant, me, other)

    for method, path, roles, schema in _write_operations(spec):
        if role.value not in roles:
            continue  # refused first: test_route_permissions
        operation = f"{method.upper()} {path}"
        names = re.findall(r"\{(\w+)\}", path)
        across = WRITES_ACROSS.get(operation, (None, ""))[0] is role
        cases: list[tuple[str, str, bool, str]] = []  # variant, url, may, what it names
        for variant in (VARIANTS + (("mixed",) if len(names) > 1 else ())) if names else ():
            may = across or (variant != "mixed" and all(sees(PARAMS[n], variant) for n in names))
            cases.append((variant, _url(path, world, variant), may, "record"))
        if _names_person(spec, schema) and set(names) <= set(OWN_PARAMS):
            url = re.sub(r"\{(\w+)\}", lambda g: str(own[f"own {OWN_PARAMS[g[1]]}"]), path)
            cases += [(v, url, sees("victim", v), "person") for v in VARIANTS]
        for variant, url, may, naming in cases:
            ids = world["shared" if variant == "mixed" else variant] | own
            # a 403 on a record it may not see: for a directory record, or one of a case shared
            shown = variant == "shared" or all(PARAMS[n] in NAMED_FREELY for n in names)
            answer, changed = await attempt(method, url, _body(spec, operation, schema, ids, role))
            cells += 1
            at = f"{operation} as {role} ({variant} {naming})"
            status = answer.status_code
            if status >= 500:
                wrong.append(f"{at}: {status} {answer.text[:200]}")
            elif status == 422 and answer.json()["detail"] == "The request is not valid.":
                wrong.append(f"{at}: the body does not fit the contract: {answer.text[:300]}")
            elif may:
                continue  # the role may act on it, or be refused: not a leak either way
            elif answer.is_success or changed:
                leaks.append(f"{at}: {status}, changed {changed} {answer.text[:200]}")
            elif naming == "person" and status == 422:
                if (field := _named_field(answer)) not in BODY_IDS:
                    wrong.append(f"{at}: 422 on {field}, not on the person: {answer.text[:300]}")
            elif status == 422:
                wrong.append(f"{at}: 422, the body read before the record: {answer.text[:300]}")
            elif status == 403 and naming == "record" and not shown:
                wrong.append(f"{at}: 403 shows that the hidden record exists, not 404")
            elif status not in (403, 404):
                wrong.append(f"{at}: {status}, not 404 (or 403) {answer.text[:200]}")

    TOTALS_WRITES["cells"] += cells
    TOTALS_WRITES["leaks"] += len(leaks)
    assert not leaks, "leaks:\n" + "\n".join(leaks)
    assert not wrong, "unexpected answers:\n" + "\n".join(wrong)
