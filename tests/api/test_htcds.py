"""Cases out in the HTCDS (issue 20): one case, or every case for the coordinator, in the
toolkit's columns as JSON, CSV or XLSX; only persons with an active data_processing consent,
never their health, psychological or legal data, nor their whereabouts; each one exported on the
audit trail; a caller without the role refused."""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import uuid4

import httpx
import pytest
from sqlmodel import col, func, select

from app.domain import htcds
from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus, ReferralStatus, Service
from app.domain.consent import ConsentPurpose
from app.domain.vocabulary import ExploitationType, Funding
from app.models import (
    Assessment,
    AuditEvent,
    CaseAssignment,
    Consent,
    HealthRecord,
    Organisation,
    Referral,
    Victim,
)
from tests.api.pathway import API
from tests.factories import Actor, Actors
from tests.helpers import expect_problem

EXPORT = f"{API}/exports/htcds"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECRETS = ("Secret Street 7", "+996555000111", "HEALTH-MARKER", "PSYCHE-MARKER")


@dataclass
class Cases:
    ngo: Organisation
    other: Organisation  # the case was referred to it and shared with it
    counselling: Organisation  # the last referral went there; the other does not see it
    coordinator: Actor
    manager: Actor
    partner: Actor  # the other organisation's shelter manager
    consented: Victim
    unconsented: Victim
    withdrawn: Victim


def referral(victim: Victim, by: Actor, to: Organisation, service: Service) -> Referral:
    assert by.organisation_id is not None
    return Referral(
        victim_id=victim.id,
        from_organisation_id=by.organisation_id,
        to_organisation_id=to.id,
        service=service,
        funding=Funding.PROJECT,
        status=ReferralStatus.ACCEPTED,
        referred_on=date(2026, 1, 5),
        created_by=by.id,
        rulebook_version="test",
    )


async def build(actors: Actors) -> Cases:
    ngo, other, counselling = [await actors.organisation() for _ in range(3)]
    clinic = await actors.organisation(name=f"City Psychiatric Clinic {uuid4().hex[:6]}")
    coordinator = await actors.user(Role.COORDINATOR)
    manager = await actors.user(Role.SHELTER_MANAGER, ngo)
    partner = await actors.user(Role.SHELTER_MANAGER, other)
    consented = await actors.victim(
        ngo,
        nationality="KG",
        exploitation_types=[ExploitationType.LABOUR],
        country_of_exploitation="RU",
        identified_on=actors.clock.today(),
        registered_address="Secret Street 7",
        contact_phone="+996555000111",
    )
    await actors.consent(consented, ConsentPurpose.DATA_PROCESSING)
    await actors.consent(consented, ConsentPurpose.SHARE_WITH_ORGANISATION, other)
    await actors.add(
        HealthRecord(victim_id=consented.id, notes="HEALTH-MARKER", updated_by=manager.id)
    )
    await actors.add(
        Assessment(
            victim_id=consented.id,
            kind=AssessmentKind.PSYCHOLOGICAL,
            status=AssessmentStatus.COMPLETED,
            organisation_id=ngo.id,
            author_id=manager.id,
            author_role=Role.PSYCHOLOGIST,
            findings={"summary": "PSYCHE-MARKER"},
            rulebook_version="test",
        )
    )
    await actors.add(referral(consented, manager, other, Service.VOCATIONAL_TRAINING))
    await actors.add(referral(consented, manager, clinic, Service.MEDICAL))  # never named
    await actors.add(referral(consented, manager, counselling, Service.SOCIAL_COUNSELLING))
    today = actors.clock.today()
    await actors.add(
        CaseAssignment(
            organisation_id=ngo.id,
            victim_id=consented.id,
            user_id=manager.id,
            assigned_on=today,
            assigned_by=manager.id,
        )
    )
    unconsented = await actors.victim(ngo)
    await actors.consent(unconsented, ConsentPurpose.FAMILY_INVOLVEMENT)
    withdrawn = await actors.victim(ngo)
    consent = await actors.consent(withdrawn, ConsentPurpose.DATA_PROCESSING)
    async with actors.sessionmaker() as session:
        row = await session.get_one(Consent, consent.id)
        row.withdrawn_at = datetime.now().astimezone()
        session.add(row)
        await session.commit()
    return Cases(
        ngo, other, counselling, coordinator, manager, partner, consented, unconsented, withdrawn
    )


async def events(actors: Actors, action: str, victim_id: Any = None) -> int:
    async with actors.sessionmaker() as session:
        query = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        if victim_id is not None:
            query = query.where(col(AuditEvent.victim_id) == victim_id)
        return int((await session.exec(query)).one())


async def exports_of(actors: Actors, victim_id: Any = None) -> int:
    return await events(actors, "export", victim_id)


async def test_one_case_in_the_standard_and_on_the_audit_trail(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    cases = await build(actors)
    url = f"{API}/victims/{cases.consented.id}/htcds"
    answer = await client.get(url, headers=cases.manager.headers)
    assert answer.status_code == 200, answer.text
    case = answer.json()
    assert list(case) == list(htcds.COLUMNS)
    assert case["prs_FirstName"] == cases.consented.given_name
    assert case["prs_Gender"] == "Feminine"
    assert case["prs_Citizenship"] == ["KG"]
    assert case["vic_TypeOfExploitation"] == ["ForcedLabour"]
    assert case["vic_LocationOfExploitation"] == "RU"
    assert case["vic_TraffickingStatus"] == "ActualVictimOfTrafficking"
    assert case["cas_Status"] == "Active"
    assert case["cas_ReferredOrganisation"] == cases.counselling.name  # the last one
    assert case["cas_OutgoingReferralDate"] == "2026-01-05"
    assert case["cas_ReasonForOutgoingReferral"] == "AdditionalServicesRequired"
    assert case["cas_OutgoingReferralDetails"] is None  # the service: never named
    assert case["cas_CaseOwner"] == str(cases.manager.id)
    assert case["con_Consent"] is True
    assert not any(secret in answer.text for secret in SECRETS)
    assert await exports_of(actors, cases.consented.id) == 1


async def test_another_organisation_gets_only_what_it_sees_and_no_clinic_ever(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    cases = await build(actors)
    url = f"{API}/victims/{cases.consented.id}/htcds"
    answer = await client.get(url, headers=cases.partner.headers)
    assert answer.status_code == 200, answer.text
    case = answer.json()
    assert case["cas_ReferredOrganisation"] == cases.other.name  # not the counselling one
    assert case["cas_CaseOwner"] is None  # the holder is not the other organisation's
    everything = await client.get(EXPORT, headers=cases.coordinator.headers)
    assert "Clinic" not in everything.text and "Clinic" not in answer.text
    for item in everything.json()["items"]:
        assert item["cas_ReferredOrganisation"] in (None, cases.counselling.name)


@pytest.mark.parametrize("without", ["unconsented", "withdrawn"])
async def test_nothing_of_a_person_without_the_consent(
    client: httpx.AsyncClient, actors: Actors, without: str
) -> None:
    cases = await build(actors)
    person: Victim = getattr(cases, without)
    answer = await client.get(f"{API}/victims/{person.id}/htcds", headers=cases.manager.headers)
    body = expect_problem(answer, 422, "consent_required", "CONSENT-DISCLOSURE")
    assert person.given_name not in str(body)
    assert await exports_of(actors) == 0
    assert await events(actors, "refuse", person.id) == 1  # the attempt is on the trail


async def test_who_may_export_a_case_and_every_case(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    cases = await build(actors)
    url = f"{API}/victims/{cases.consented.id}/htcds"
    worker = await actors.user(Role.SOCIAL_WORKER, cases.ngo)
    stranger = await actors.user(Role.SHELTER_MANAGER, cases.counselling)  # not shared with it
    auditor = await actors.user(Role.AUDITOR)
    expect_problem(await client.get(url, headers=worker.headers), 403, "forbidden")
    expect_problem(await client.get(url, headers=stranger.headers), 404, "not_found")
    for caller in (worker, cases.manager, auditor):
        expect_problem(await client.get(EXPORT, headers=caller.headers), 403, "forbidden")
    assert await exports_of(actors) == 0


async def test_every_consented_case_a_page_at_a_time(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    cases = await build(actors)
    second = await actors.victim(cases.other, sex="male")
    await actors.consent(second, ConsentPurpose.DATA_PROCESSING)
    answer = await client.get(EXPORT, headers=cases.coordinator.headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["standard"] == "HTCDS 2.0" and body["next_cursor"] is None
    names = sorted(item["prs_FirstName"] for item in body["items"])
    assert names == sorted([cases.consented.given_name, second.given_name])
    assert not any(secret in answer.text for secret in SECRETS)
    assert await exports_of(actors) == 2

    first = await client.get(EXPORT, params={"limit": 1}, headers=cases.coordinator.headers)
    cursor = first.json()["next_cursor"]
    rest = await client.get(
        EXPORT, params={"limit": 1, "cursor": cursor}, headers=cases.coordinator.headers
    )
    paged = first.json()["items"] + rest.json()["items"]
    assert sorted(item["prs_FirstName"] for item in paged) == names
    assert rest.json()["next_cursor"] is None


async def test_the_page_as_csv_and_as_the_toolkits_spreadsheet(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    cases = await build(actors)
    formula = await actors.victim(cases.ngo, given_name="=HYPERLINK(1)")
    await actors.consent(formula, ConsentPurpose.DATA_PROCESSING)
    headers = cases.coordinator.headers
    as_csv = await client.get(EXPORT, params={"limit": 1}, headers=headers | {"Accept": "text/csv"})
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["link"].startswith(f"<{EXPORT}?limit=1&cursor=")
    rows = list(csv.reader(io.StringIO(as_csv.text)))
    assert rows[0] == list(htcds.COLUMNS)
    assert len(rows) == 2
    assert (
        rows[1][rows[0].index("prs_FirstName")] == "'=HYPERLINK(1)"
    )  # the newest: never a formula

    as_xlsx = await client.get(EXPORT, headers=headers | {"Accept": XLSX})
    assert as_xlsx.status_code == 200
    assert "link" not in as_xlsx.headers
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet.title == "Case Sheet"
    lines = [[cell.value for cell in line] for line in sheet.iter_rows()]
    assert lines[0] == list(htcds.COLUMNS)
    assert lines[1] == list(htcds.COLUMNS.values())
    assert len(lines) == 2 + 2
    column = lines[0].index("prs_FirstName")
    assert sheet.cell(row=3, column=column + 1).data_type == "s"
    assert sorted(line[column] for line in lines[2:]) == sorted(
        ["=HYPERLINK(1)", cases.consented.given_name]
    )
    assert not any(secret in str(lines) for secret in SECRETS)
