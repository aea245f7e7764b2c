"""Reports over HTTP, checked against a seeded month: the shelter's monthly report (JSON and CSV),
the coordinator's compliance report, and the donors' counts with small cells suppressed."""

import csv
import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from app.domain.access import Role
from app.domain.casework import (
    AgreementStatus,
    AssessmentKind,
    AssessmentStatus,
    ReferralStatus,
    Service,
)
from app.domain.grants import GrantStatus
from app.domain.rulebook import GrantForm, ServiceTerm
from app.domain.shelter import StaySource, StayStatus
from app.domain.vocabulary import ExploitationType, Funding, Sex
from app.main import create_app
from app.models import (
    Assessment,
    GrantLine,
    Referral,
    ReintegrationGrant,
    ServiceAgreement,
    ShelterStay,
    Victim,
)
from tests.api.shelter_world import ShelterWorld, build_shelter_world, resident
from tests.conftest import FakeClock
from tests.factories import Actors
from tests.helpers import expect_problem

API = "/api/v1/reports"
OCTOBER = "2026-10"


def d(text: str) -> date:
    return date.fromisoformat(text)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def stay(
    actors: Actors,
    world: ShelterWorld,
    victim: Victim,
    admitted: str | None,
    discharged: str | None = None,
) -> None:
    status = (
        StayStatus.DISCHARGED
        if discharged
        else StayStatus.ADMITTED
        if admitted
        else StayStatus.PROPOSED
    )
    await actors.add(
        ShelterStay(
            victim_id=victim.id,
            shelter_id=world.adult.id,
            source=StaySource.NGO_COORDINATOR,
            status=status,
            rules_signed_on=d("2026-09-01"),
            rights_signed_on=d("2026-09-01"),
            pocket_money_per_day=Decimal("50.00"),
            proposed_on=d("2026-09-01"),
            proposed_by=world.worker.id,
            admitted_on=d(admitted) if admitted else None,
            discharged_on=d(discharged) if discharged else None,
            rulebook_version="kg-2026.1",
        )
    )


async def assessment(
    actors: Actors,
    world: ShelterWorld,
    victim: Victim,
    kind: AssessmentKind,
    performed: str,
    **fields: Any,
) -> Assessment:
    return await actors.add(  # type: ignore[no-any-return]
        Assessment(
            victim_id=victim.id,
            kind=kind,
            status=AssessmentStatus.COMPLETED,
            organisation_id=world.runner.id,
            author_id=world.worker.id,
            author_role=Role.SOCIAL_WORKER,
            performed_on=d(performed),
            rulebook_version="kg-2026.1",
            **fields,
        )
    )


async def grant(
    actors: Actors,
    world: ShelterWorld,
    victim: Victim,
    status: GrantStatus,
    lines: dict[str, str],
    **fields: Any,
) -> None:
    made = await actors.add(
        ReintegrationGrant(
            victim_id=victim.id,
            form=GrantForm.PINK,
            ngo_organisation_id=world.runner.id,
            period_start=d("2026-10-01"),
            period_end=d("2026-10-31"),
            status=status,
            total=sum((Decimal(a) for a in lines.values()), Decimal("0")),
            author_id=world.manager.id,
            author_organisation_id=world.runner.id,
            rulebook_version="kg-2026.1",
            **fields,
        )
    )
    for position, (category, amount) in enumerate(lines.items()):
        await actors.add(
            GrantLine(
                grant_id=made.id,
                position=position,
                category=category,
                amount=Decimal(amount),
                days=30 if category == "food_hygiene" else None,
            )
        )


@pytest.fixture
async def october(actors: Actors) -> ShelterWorld:
    """The adult shelter (capacity 2 → set to 10 here) through October 2026."""
    world = await build_shelter_world(actors)
    async with actors.sessionmaker() as session:
        world.adult.capacity = 10
        session.add(world.adult)
        await session.commit()
    a, b, c, e = [await resident(actors, world) for _ in range(4)]
    late_arrival = await resident(actors, world)
    await stay(actors, world, a, "2026-09-25", "2026-10-05")  # 4 nights in October
    await stay(actors, world, b, "2026-10-10")  # 22 nights
    await stay(actors, world, c, "2026-10-20", "2026-10-25")  # 5 nights
    await stay(actors, world, late_arrival, "2026-11-02")  # none
    await stay(actors, world, e, None)  # only proposed
    await assessment(actors, world, b, AssessmentKind.MEDICAL, "2026-10-12")
    await assessment(actors, world, c, AssessmentKind.PSYCHOLOGICAL, "2026-10-21")
    await assessment(actors, world, a, AssessmentKind.MEDICAL, "2026-09-26")  # September
    await assessment(
        actors, world, late_arrival, AssessmentKind.MEDICAL, "2026-10-15"
    )  # not a resident yet
    await grant(
        actors,
        world,
        b,
        GrantStatus.DISBURSED,
        {"clothes_summer": "2000.00", "food_hygiene": "6000.00"},
        submitted_at=at("2026-10-15T09:00:00"),
        decided_at=at("2026-10-16T09:00:00"),
        disbursed_on=d("2026-10-20"),
    )
    await grant(
        actors,
        world,
        c,
        GrantStatus.SUBMITTED,
        {"underwear": "400.00"},
        submitted_at=at("2026-10-28T09:00:00"),
    )
    await grant(
        actors,
        world,
        a,
        GrantStatus.DISBURSED,
        {"underwear": "500.00"},
        submitted_at=at("2026-09-20T09:00:00"),
        decided_at=at("2026-09-30T09:00:00"),
        disbursed_on=d("2026-10-02"),
    )
    return world


async def test_the_monthly_report_counts_the_month(
    client: httpx.AsyncClient, october: ShelterWorld
) -> None:
    answer = await client.get(
        f"{API}/shelters/{october.adult.id}/monthly",
        params={"month": OCTOBER},
        headers=october.manager.headers,
    )
    assert answer.status_code == 200, answer.text
    report = answer.json()
    assert (report["capacity"], report["bed_nights"], report["occupancy_rate"]) == (
        10,
        31,
        "0.1000",
    )
    assert (report["admissions"], report["discharges"], report["residents_at_month_end"]) == (
        2,
        2,
        1,
    )
    assert report["services_delivered"] == {"medical": 1, "psychological": 1}
    assert report["grants_submitted"] == {
        "count": 2,
        "total": "8400.00",
        "by_line": {"clothes_summer": "2000.00", "food_hygiene": "6000.00", "underwear": "400.00"},
    }
    assert report["grants_approved"] == {
        "count": 1,
        "total": "8000.00",
        "by_line": {"clothes_summer": "2000.00", "food_hygiene": "6000.00"},
    }
    assert report["grants_disbursed"] == {
        "count": 2,
        "total": "8500.00",
        "by_line": {"clothes_summer": "2000.00", "food_hygiene": "6000.00", "underwear": "500.00"},
    }


async def test_a_quiet_month_reports_zeros(
    client: httpx.AsyncClient, october: ShelterWorld
) -> None:
    report = (
        await client.get(
            f"{API}/shelters/{october.adult.id}/monthly",
            params={"month": "2026-06"},
            headers=october.coordinator.headers,
        )
    ).json()
    assert (report["bed_nights"], report["occupancy_rate"], report["admissions"]) == (
        0,
        "0.0000",
        0,
    )
    assert report["grants_disbursed"] == {"count": 0, "total": "0.00", "by_line": {}}


async def test_the_monthly_report_as_csv(client: httpx.AsyncClient, october: ShelterWorld) -> None:
    answer = await client.get(
        f"{API}/shelters/{october.adult.id}/monthly",
        params={"month": OCTOBER},
        headers=october.manager.headers | {"Accept": "text/csv"},
    )
    assert answer.headers["content-type"].startswith("text/csv")
    assert "attachment" in answer.headers["content-disposition"]
    rows = {(r["section"], r["item"]): r["value"] for r in csv.DictReader(io.StringIO(answer.text))}
    assert rows[("shelter", "bed_nights")] == "31"
    assert rows[("shelter", "occupancy_rate")] == "0.1000"
    assert rows[("services_delivered", "medical")] == "1"
    assert rows[("grants_disbursed", "underwear")] == "500.00"


async def test_who_reads_the_monthly_report(
    client: httpx.AsyncClient, october: ShelterWorld
) -> None:
    url = f"{API}/shelters/{october.adult.id}/monthly"
    expect_problem(
        await client.get(url, params={"month": OCTOBER}, headers=october.outside_manager.headers),
        403,
        "forbidden",
    )
    expect_problem(
        await client.get(url, params={"month": OCTOBER}, headers=october.worker.headers),
        403,
        "forbidden",
    )
    for month in ("2026-13", "October", "2026-1"):
        expect_problem(
            await client.get(url, params={"month": month}, headers=october.manager.headers),
            422,
            "validation_error",
        )


# --- compliance ------------------------------------------------------------------------------


async def test_the_compliance_report_lists_what_was_missed(
    client: httpx.AsyncClient, actors: Actors, clock: Any
) -> None:
    world = await build_shelter_world(actors)
    today = clock.today()
    people = [await resident(actors, world) for _ in range(5)]
    late = await assessment(
        actors,
        world,
        people[0],
        AssessmentKind.INDIVIDUAL_NEEDS,
        (today - timedelta(days=30)).isoformat(),
        due_on=today - timedelta(days=33),
        late_by_days=3,
    )
    on_time = await assessment(
        actors,
        world,
        people[0],
        AssessmentKind.INDIVIDUAL_NEEDS,
        today.isoformat(),
        due_on=today,
        late_by_days=0,
    )
    overdue = await actors.add(
        Referral(
            victim_id=people[1].id,
            from_organisation_id=world.outsider.id,
            to_organisation_id=world.runner.id,
            service=Service.LEGAL,
            funding=Funding.PROJECT,
            status=ReferralStatus.IN_PROGRESS,
            referred_on=today - timedelta(days=40),
            contact_on=today - timedelta(days=25),
            individual_assessment_due_on=today - timedelta(days=5),
            created_by=world.worker.id,
            rulebook_version="kg-2026.1",
        )
    )
    await stay(
        actors,
        world,
        people[2],
        (today - timedelta(days=300)).isoformat(),
        (today - timedelta(days=200)).isoformat(),
    )
    async with (
        actors.sessionmaker() as session
    ):  # its monitoring fell due 200 days after discharge - 6 months
        from sqlmodel import select

        found = (
            await session.exec(select(ShelterStay).where(ShelterStay.victim_id == people[2].id))
        ).one()
        found.monitoring_due_on = today - timedelta(days=17)
        session.add(found)
        admitted = ShelterStay(
            victim_id=people[3].id,
            shelter_id=world.adult.id,
            source=StaySource.NGO_COORDINATOR,
            status=StayStatus.ADMITTED,
            rules_signed_on=today,
            rights_signed_on=today,
            pocket_money_per_day=Decimal("50"),
            proposed_on=today - timedelta(days=10),
            proposed_by=world.worker.id,
            admitted_on=today - timedelta(days=10),
            medical_exam_due_on=today - timedelta(days=7),
            rulebook_version="kg-2026.1",
        )
        session.add(admitted)
        await session.commit()
    from app.domain.casework import CarePlanKind
    from app.models import CarePlan

    plan = await actors.add(
        CarePlan(
            victim_id=people[4].id,
            assessment_id=on_time.id,
            organisation_id=world.runner.id,
            kind=CarePlanKind.CARE,
            planned_months=6,
            created_by=world.worker.id,
            rulebook_version="kg-2026.1",
        )
    )
    agreement = await actors.add(
        ServiceAgreement(
            victim_id=people[4].id,
            care_plan_id=plan.id,
            provider_organisation_id=world.runner.id,
            organisation_id=world.runner.id,
            term=ServiceTerm.SHORT,
            starts_on=today - timedelta(days=100),
            ends_on=today - timedelta(days=2),
            consent_given=True,
            status=AgreementStatus.ACTIVE,
            created_by=world.worker.id,
            rulebook_version="kg-2026.1",
        )
    )

    answer = await client.get(f"{API}/compliance", headers=world.coordinator.headers)
    assert answer.status_code == 200, answer.text
    report = answer.json()

    def section(name: str) -> list[tuple[str, str, int]]:
        assert report[name]["count"] == len(report[name]["cases"])
        return [(c["victim_id"], c["record_id"], c["days_late"]) for c in report[name]["cases"]]

    assert section("late_individual_assessments") == [
        (str(people[0].id), str(late.id), 3),
        (str(people[1].id), str(overdue.id), 5),
    ]
    assert section("missed_monitoring_reports") == [(str(people[2].id), str(found.id), 17)]
    assert section("medical_examinations_not_done") == [(str(people[3].id), str(admitted.id), 7)]
    assert section("agreements_over_term") == [(str(people[4].id), str(agreement.id), 2)]


@pytest.mark.parametrize(
    "role", [r for r in Role if r is not Role.COORDINATOR], ids=lambda r: r.value
)
async def test_only_the_coordinator_reads_the_compliance_report(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    expect_problem(await client.get(f"{API}/compliance", headers=caller.headers), 403, "forbidden")


# --- aggregate counts ---------------------------------------------------------------------------


async def test_aggregate_counts_suppress_small_cells_and_cannot_be_differenced(
    client: httpx.AsyncClient, actors: Actors, clock: Any
) -> None:
    world = await build_shelter_world(actors)  # its resident-to-be was registered today
    auditor = await actors.user(Role.AUDITOR)  # a token of the real time, before the clock moves
    clock.set(datetime(2026, 11, 20, 12, tzinfo=UTC))
    last_month = datetime(2026, 10, 15, tzinfo=UTC)
    women = [
        await resident(
            actors,
            world,
            sex=Sex.FEMALE,
            birth_date=date(1996, 3, 11),
            identified_on=date(2026, 3, 10),
            exploitation_types=[ExploitationType.SEXUAL],
            given_name="Uniquename",
            created_at=last_month,
        )
        for _ in range(6)
    ]
    for _ in range(3):  # 18 on the day after identification: still 17 when identified
        await resident(
            actors,
            world,
            sex=Sex.MALE,
            birth_date=date(2008, 5, 3),
            identified_on=date(2026, 5, 2),
            exploitation_types=[ExploitationType.LABOUR, ExploitationType.SEXUAL],
            created_at=last_month,
        )
    for _ in range(7):
        await resident(
            actors,
            world,
            sex=Sex.FEMALE,
            birth_date=date(1980, 1, 1),
            identified_on=date(2026, 5, 20),
            created_at=last_month,
        )
    for person in women[:5]:
        await actors.add(
            Referral(
                victim_id=person.id,
                from_organisation_id=world.runner.id,
                to_organisation_id=world.outsider.id,
                service=Service.LEGAL,
                funding=Funding.PROJECT,
                referred_on=date(2026, 10, 1),
                created_by=world.worker.id,
                rulebook_version="kg-2026.1",
            )
        )

    answer = await client.get(f"{API}/aggregate", headers=auditor.headers)
    assert answer.status_code == 200, answer.text
    report = answer.json()

    def table(name: str) -> dict[str, int | None]:
        cells = report[name]
        assert all(c["suppressed"] == (c["count"] is None) for c in cells)
        return {c["key"]: c["count"] for c in cells}

    assert (report["threshold"], report["as_of"]) == (5, "2026-10-31")
    # this month's registration (the world's resident-to-be) is not counted yet
    assert table("by_sex") == {"female": 13, "male": None, "other": None, "unknown": None}
    # every month from the first identification on, zeros included (and suppressed)
    assert table("by_identification_month") == {
        "2026-03": 6,
        "2026-04": None,
        "2026-05": 10,
        "2026-06": None,
        "2026-07": None,
        "2026-08": None,
        "2026-09": None,
        "2026-10": None,
    }
    exploitation = table("by_exploitation_type")
    assert (exploitation["sexual"], exploitation["labour"], exploitation["organ_removal"]) == (
        9,
        None,
        None,
    )
    # age at identification: the boys were 17 then (they turned 18 the day after)
    assert table("by_age_band") == {
        "0-17": None,
        "18-24": None,
        "25-34": 6,
        "35-44": None,
        "45+": 7,
        "unknown": None,
    }
    assert table("by_service")["legal"] == 5 and table("by_service")["shelter"] is None
    # never a name, an id or a birth date
    for person in women:
        assert str(person.id) not in answer.text
    assert (
        "Uniquename" not in answer.text and "1996" not in answer.text and "2008" not in answer.text
    )


def test_a_single_hidden_part_takes_the_next_smallest_with_it() -> None:
    from app.services.aggregate import suppress

    cells = suppress([("a", 3), ("b", 6), ("c", 40)], partition=True)
    assert [(c.key, c.count) for c in cells] == [("a", None), ("b", None), ("c", 40)]
    multi = suppress([("a", 3), ("b", 6), ("c", 40)], partition=False)
    assert [(c.key, c.count) for c in multi] == [("a", None), ("b", 6), ("c", 40)]
    two_hidden = suppress([("a", 3), ("b", 0), ("c", 40)], partition=True)
    assert [(c.key, c.count) for c in two_hidden] == [("a", None), ("b", None), ("c", 40)]


@pytest.mark.parametrize(
    "role",
    [Role.SOCIAL_WORKER, Role.SHELTER_MANAGER, Role.ADMIN, Role.PARTNER_SYSTEM],
    ids=lambda r: r.value,
)
async def test_aggregate_counts_are_for_the_auditor_and_the_coordinator(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    expect_problem(await client.get(f"{API}/aggregate", headers=caller.headers), 403, "forbidden")
    coordinator = await actors.user(Role.COORDINATOR)
    assert (await client.get(f"{API}/aggregate", headers=coordinator.headers)).status_code == 200


@pytest.mark.commits  # read by an application of its own, in another time zone
async def test_the_month_is_the_business_month_and_counts_only_what_belongs_to_it(
    actors: Actors, october: ShelterWorld, app: FastAPI
) -> None:
    """In Bishkek (UTC+6) a grant submitted on 30 September at 20:00 UTC was submitted on
    1 October; a rejected grant is not an approved one; an examination after discharge is not a
    service of the shelter; a grant for someone who left long before is not the shelter's."""

    someone = await actors.victim(october.runner)
    await stay(actors, october, someone, "2026-09-10", "2026-09-20")
    await grant(
        actors,
        october,
        someone,
        GrantStatus.REJECTED,
        {"travel": "300.00"},
        submitted_at=at("2026-09-30T20:00:00"),
        decided_at=at("2026-10-03T09:00:00"),
    )
    await assessment(actors, october, someone, AssessmentKind.MEDICAL, "2026-10-07")
    bishkek = create_app(app.state.settings, FakeClock("Asia/Bishkek"))
    transport = httpx.ASGITransport(app=bishkek)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        url = f"{API}/shelters/{october.adult.id}/monthly"
        report = (
            await http.get(url, params={"month": OCTOBER}, headers=october.manager.headers)
        ).json()
    await bishkek.state.engine.dispose()
    # the rejected grant's person left on 20 September, before the grant's October period: not ours
    assert report["grants_submitted"]["count"] == 2
    assert report["grants_approved"]["count"] == 1
    assert report["services_delivered"] == {"medical": 1, "psychological": 1}


@pytest.mark.commits  # read by applications of their own, in other time zones
async def test_a_grant_for_a_resident_is_counted_in_the_month_it_was_submitted_there(
    actors: Actors, october: ShelterWorld, app: FastAPI
) -> None:
    committed = app  # the test's own database, which other applications read

    resident = await actors.victim(october.runner)
    await stay(actors, october, resident, "2026-09-25")
    await grant(
        actors,
        october,
        resident,
        GrantStatus.REJECTED,
        {"travel": "300.00"},
        submitted_at=at("2026-09-30T20:00:00"),
        decided_at=at("2026-10-03T09:00:00"),
    )
    reports = {}
    for zone in ("UTC", "Asia/Bishkek"):
        app = create_app(committed.state.settings, FakeClock(zone))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as http:
            url = f"{API}/shelters/{october.adult.id}/monthly"
            reports[zone] = (
                await http.get(url, params={"month": OCTOBER}, headers=october.manager.headers)
            ).json()
        await app.state.engine.dispose()
    assert reports["UTC"]["grants_submitted"]["count"] == 2  # 30 September in UTC
    assert reports["Asia/Bishkek"]["grants_submitted"]["count"] == 3  # 1 October in Bishkek
    assert reports["Asia/Bishkek"]["grants_approved"]["count"] == 1  # the rejection is not approval


async def test_odd_months_are_validation_errors(
    client: httpx.AsyncClient, october: ShelterWorld
) -> None:
    url = f"{API}/shelters/{october.adult.id}/monthly"
    for month in ("0000-01", "9999-12", "2026-00"):
        expect_problem(
            await client.get(url, params={"month": month}, headers=october.manager.headers),
            422,
            "validation_error",
        )
