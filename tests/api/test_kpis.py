"""Key figures per month and organisation (issue 19): counted by the database, the coordinator's
for every organisation, a shelter manager's for their own, the auditor's without the counts
below the threshold (and the medians and totals resting on them); JSON and CSV; bad months a
clear 422."""

import csv
import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus, CarePlanKind, Service
from app.domain.grants import GrantStatus
from app.domain.rulebook import GrantForm, ShelterKind
from app.domain.shelter import MonitoringOutcome, StaySource, StayStatus
from app.domain.vocabulary import Funding, OrganisationKind, VictimStatus
from app.models import (
    Assessment,
    CarePlan,
    CaseAssignment,
    MonitoringReport,
    Organisation,
    Referral,
    ReintegrationGrant,
    Shelter,
    ShelterStay,
    Victim,
)
from tests.api.pathway import API
from tests.factories import Actor, Actors
from tests.helpers import expect_problem

URL = f"{API}/reports/kpis"
OCTOBER = date(2026, 10, 1)


@dataclass
class Country:
    ngo: Organisation
    other: Organisation
    coordinator: Actor
    manager: Actor
    other_manager: Actor
    auditor: Actor
    worker: Actor


async def record_october(actors: Actors, ngo: Organisation, other: Organisation, by: Actor) -> None:
    """The NGO's October: 5 referrals (accepted after 2, 4 and 6 days, contacted after 5 and 9),
    two individual needs assessments (one late), a plan, a stay of 10 nights and one from
    September still open, two monitoring reports (one late), two grants approved."""
    person: Victim = await actors.victim(ngo)
    common: dict[str, Any] = {"victim_id": person.id, "rulebook_version": "test"}
    accepted = [2, 4, 6, None, None]
    contacted = [5, 9, None, None, None]
    for waited, reached in zip(accepted, contacted, strict=True):
        await actors.add(
            Referral(
                **common,
                from_organisation_id=ngo.id,
                to_organisation_id=other.id,
                service=Service.LEGAL,
                funding=Funding.PROJECT,
                referred_on=OCTOBER,
                accepted_on=OCTOBER + timedelta(days=waited) if waited else None,
                contact_on=OCTOBER + timedelta(days=reached) if reached else None,
                created_by=by.id,
            )
        )
    await actors.add(  # the other organisation's one referral, in November
        Referral(
            **common,
            from_organisation_id=other.id,
            to_organisation_id=ngo.id,
            service=Service.LEGAL,
            funding=Funding.PROJECT,
            referred_on=date(2026, 11, 3),
            created_by=by.id,
        )
    )
    basis: Assessment | None = None
    for late in (0, 3):
        basis = await actors.add(
            Assessment(
                **common,
                kind=AssessmentKind.INDIVIDUAL_NEEDS,
                status=AssessmentStatus.COMPLETED,
                organisation_id=ngo.id,
                author_id=by.id,
                author_role=by.role,
                performed_on=OCTOBER + timedelta(days=10),
                late_by_days=late,
            )
        )
    assert basis is not None
    await actors.add(
        CarePlan(
            **common,
            assessment_id=basis.id,
            organisation_id=ngo.id,
            kind=CarePlanKind.CARE,
            planned_months=6,
            activated_on=OCTOBER + timedelta(days=12),
            created_by=by.id,
        )
    )
    shelter: Shelter = await actors.add(
        Shelter(
            name="KPI", organisation_id=ngo.id, kind=ShelterKind.ADULT, capacity=10, address="-"
        )
    )
    stays = []
    for admitted, discharged in (
        (OCTOBER + timedelta(days=4), OCTOBER + timedelta(days=14)),  # 10 nights
        (date(2026, 9, 20), None),  # all 31 of October's nights
    ):
        stay: ShelterStay = await actors.add(
            ShelterStay(
                **common,
                shelter_id=shelter.id,
                status=StayStatus.DISCHARGED if discharged else StayStatus.ADMITTED,
                source=StaySource.NGO_COORDINATOR,
                pocket_money_per_day=Decimal("0"),
                proposed_on=admitted,
                proposed_by=by.id,
                admitted_on=admitted,
                discharged_on=discharged,
                monitoring_due_on=OCTOBER + timedelta(days=20),
            )
        )
        stays.append(stay)
    for stay, day in zip(stays, (20, 25), strict=True):  # due on the 21st: on time, then late
        await actors.add(
            MonitoringReport(
                stay_id=stay.id,
                victim_id=person.id,
                outcome=MonitoringOutcome.REACHED,
                reported_on=OCTOBER + timedelta(days=day - 1),
                author_id=by.id,
            )
        )
    for total in ("1000.00", "500.00"):
        await actors.add(
            ReintegrationGrant(
                **common,
                form=GrantForm.PINK,
                ngo_organisation_id=ngo.id,
                period_start=OCTOBER,
                period_end=OCTOBER + timedelta(days=60),
                status=GrantStatus.APPROVED,
                total=Decimal(total),
                author_id=by.id,
                author_organisation_id=ngo.id,
                decided_at=datetime(2026, 10, 15, 9, tzinfo=UTC),
            )
        )
    for status in (VictimStatus.ACTIVE, VictimStatus.ACTIVE, VictimStatus.CLOSED):
        held: Victim = await actors.victim(ngo, status=status)
        await actors.add(
            CaseAssignment(
                organisation_id=ngo.id,
                victim_id=held.id,
                user_id=by.id,
                assigned_on=OCTOBER,
                assigned_by=by.id,
            )
        )


@pytest.fixture
async def country(actors: Actors) -> Country:
    ngo = await actors.organisation(OrganisationKind.NGO)
    other = await actors.organisation(OrganisationKind.NGO)
    worker = await actors.user(Role.SOCIAL_WORKER, ngo)
    await record_october(actors, ngo, other, worker)
    return Country(
        ngo=ngo,
        other=other,
        coordinator=await actors.user(Role.COORDINATOR),
        manager=await actors.user(Role.SHELTER_MANAGER, ngo),
        other_manager=await actors.user(Role.SHELTER_MANAGER, other),
        auditor=await actors.user(Role.AUDITOR),
        worker=worker,
    )


async def figures(client: httpx.AsyncClient, by: Actor, **params: str) -> dict[str, Any]:
    answer = await client.get(
        URL, params={"from": "2026-10", "to": "2026-11"} | params, headers=by.headers
    )
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def row_of(body: dict[str, Any], month: str, organisation: Organisation) -> dict[str, Any]:
    [row] = [
        r
        for r in body["rows"]
        if (r["month"], r["organisation_id"]) == (month, str(organisation.id))
    ]
    return row


OCTOBER_ROW = {
    "month": "2026-10",
    "referrals_made": 5,
    "referrals_accepted": 3,
    "referrals_contacted": 2,
    "median_days_to_accept": "4.0",
    "median_days_to_first_contact": "7.0",
    "individual_assessments_on_time": 1,
    "individual_assessments_late": 1,
    "plans_activated": 1,
    "stays_admitted": 1,
    "bed_nights": 41,
    "monitoring_reports_on_time": 1,
    "monitoring_reports_late": 1,
    "grants_approved": 2,
    "grants_approved_total": "1500.00",
    "suppressed": [],
}


async def test_the_coordinator_sees_every_organisations_month(
    client: httpx.AsyncClient, country: Country
) -> None:
    body = await figures(client, country.coordinator)
    assert (body["from_month"], body["to_month"], body["threshold"]) == ("2026-10", "2026-11", None)
    october = row_of(body, "2026-10", country.ngo)
    assert october == OCTOBER_ROW | {"organisation_id": str(country.ngo.id)}
    november = row_of(body, "2026-11", country.other)
    assert november["referrals_made"] == 1
    assert november["median_days_to_accept"] is None
    assert row_of(body, "2026-11", country.ngo)["bed_nights"] == 30  # the stay still open
    assert body["caseloads"] == [
        {"organisation_id": str(country.ngo.id), "user_id": str(country.worker.id), "open_cases": 2}
    ]
    only = await figures(client, country.coordinator, organisation_id=str(country.other.id))
    assert {r["organisation_id"] for r in only["rows"]} == {str(country.other.id)}


async def test_a_shelter_manager_sees_their_own_organisation_only(
    client: httpx.AsyncClient, country: Country
) -> None:
    own = await figures(client, country.manager, organisation_id=str(country.other.id))
    assert {r["organisation_id"] for r in own["rows"]} == {str(country.ngo.id)}
    theirs = await figures(client, country.other_manager)
    assert {r["organisation_id"] for r in theirs["rows"]} == {str(country.other.id)}
    assert theirs["caseloads"] == []


async def test_the_auditor_sees_no_count_below_the_threshold_nor_what_rests_on_one(
    client: httpx.AsyncClient, country: Country
) -> None:
    body = await figures(client, country.auditor)
    assert body["threshold"] == 5
    assert body["caseloads"] == []  # workers are not the donors' to see
    october = row_of(body, "2026-10", country.ngo)
    assert october["referrals_made"] == 5  # at the threshold: shown
    hidden = set(october["suppressed"])
    assert {"referrals_accepted", "median_days_to_accept", "grants_approved_total"} <= hidden
    assert all(october[name] is None for name in hidden)
    assert "referrals_made" not in hidden
    for row in body["rows"]:
        for name, value in row.items():
            if isinstance(value, int) and name != "referrals_made":
                assert value >= 5 or name in row["suppressed"], (name, value)


async def test_the_figures_come_as_csv_with_hidden_ones_empty(
    client: httpx.AsyncClient, country: Country
) -> None:
    params = {"from": "2026-10", "to": "2026-10"}
    for by, accepted in ((country.coordinator, "3"), (country.auditor, "")):
        answer = await client.get(URL, params=params, headers=by.headers | {"Accept": "text/csv"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(answer.text)))
        [october] = [r for r in rows if r["organisation_id"] == str(country.ngo.id)]
        assert (october["referrals_made"], october["referrals_accepted"]) == ("5", accepted)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "2026-11", "to": "2026-10"}, "to"),
        ({"from": "2024-01", "to": "2026-01"}, "to"),  # 25 months
        ({"from": "2026-13", "to": "2026-12"}, "from"),
        ({"from": "2026-1", "to": "2026-12"}, "from"),
    ],
)
async def test_months_out_of_order_too_many_or_malformed_are_a_clear_422(
    client: httpx.AsyncClient, country: Country, params: dict[str, str], field: str
) -> None:
    answer = await client.get(URL, params=params, headers=country.coordinator.headers)
    body = expect_problem(answer, 422, "validation_error")
    assert body["errors"][0]["loc"][-1] == field


async def test_a_worker_has_no_key_figures(client: httpx.AsyncClient, country: Country) -> None:
    answer = await client.get(
        URL, params={"from": "2026-10", "to": "2026-10"}, headers=country.worker.headers
    )
    expect_problem(answer, 403, "forbidden")
