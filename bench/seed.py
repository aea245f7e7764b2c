"""Seed a PostgreSQL database with a synthetic national caseload, fast (binary COPY).

    python -m bench.seed --database postgresql://postgres@127.0.0.1:5432/bench --scale 100000

The database is migrated first (alembic upgrade head) and must be empty. Every value is made
up: names are ``Person-<n>``; nothing resembles a real person.

The layout (``Layout``) is what the benchmark's operations rely on: the caseworker's
organisation keeps ``CASEWORKER_CASES`` cases at every scale (so the worklist's latency can be
compared across scales), an old organisation keeps a few cases registered years ago, and the
rest of the persons are spread over the other organisations, some referred to and shared with
another one; some had legal counselling, a disclosure to the police, a complaint, or an incident
at their shelter. The admission pool holds persons ready for a shelter (a female adult with a
completed primary interview and no stay) at the big shelter of the first large organisation.
"""

import argparse
import asyncio
import json
import os
import random
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
from sqlmodel import SQLModel

import app.models  # noqa: F401 - registers every table
from app.db import create_engine
from app.domain.registration import REGISTRATION_BITS, registration_number
from app.security import hash_secret_blocking
from app.services import audit_partitions

PASSWORD = "bench-password-0123456789"  # noqa: S105 - a synthetic account's password
CASEWORKER_CASES = 500
OLD_CASES = 20
ORGANISATIONS = 50
ADMISSION_POOL = 20_000  # more than 10 s of proposals at 1,000 a second
RULEBOOK = "kg-2026.1"
_TABLE_ORDER = [table.name for table in SQLModel.metadata.sorted_tables]


@dataclass
class Layout:
    """The ids the benchmark needs to address its requests."""

    coordinator_org: uuid.UUID
    caseworker_org: uuid.UUID
    old_org: uuid.UUID
    big_org: uuid.UUID
    big_shelter: uuid.UUID
    users: dict[str, uuid.UUID] = field(default_factory=dict)  # label -> user id
    sample_victims: list[str] = field(default_factory=list)  # of big_org, to read
    admission_pool: list[str] = field(default_factory=list)
    persons: int = 0


# findings of the form each kind asks for (app/schemas/assessments.py)
_NEEDS = {"summary": "Synthetic findings.", "needs": ["housing"]}
_FINDINGS: dict[str, dict[str, Any]] = {
    "primary_interview": {**_NEEDS, "expectations": "Safety.", "safe": True},
    "psychological": {
        "summary": "Synthetic findings.",
        "recovery_stage": "II",
        "plan": {"informational": "-", "content": "-", "organisational": "-"},
        "signs_of_mental_disorder": False,
    },
}


def uuid7(at: datetime, rng: random.Random) -> uuid.UUID:
    """Time-ordered like the app's ids (app/models/base.py), at a chosen moment."""
    millis = int(at.timestamp() * 1000)
    value = (millis << 80) | (0x7 << 76) | (rng.getrandbits(12) << 64) | (0b10 << 62)
    return uuid.UUID(int=value | rng.getrandbits(62))


class Tables:
    """Rows per table, flushed to PostgreSQL by COPY in batches."""

    def __init__(self, connection: asyncpg.Connection) -> None:
        self.connection = connection
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.columns: dict[str, tuple[str, ...]] = {}
        self.counts: dict[str, int] = {}

    def add(self, table: str, **values: Any) -> None:
        columns = self.columns.setdefault(table, tuple(values))
        self.rows.setdefault(table, []).append(tuple(values[c] for c in columns))

    async def flush(self) -> None:
        """Everything held, in foreign-key order: no row points at one still to come."""
        for table in _TABLE_ORDER:
            rows = self.rows.get(table)
            if rows:
                await self.connection.copy_records_to_table(
                    table, records=rows, columns=self.columns[table]
                )
                self.counts[table] = self.counts.get(table, 0) + len(rows)
                self.rows[table] = []


def _stamps(day: date) -> dict[str, datetime]:
    at = datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return {"created_at": at, "updated_at": at}


class Seeder:
    def __init__(self, tables: Tables, scale: int, today: date, seed: int) -> None:
        self.t = tables
        self.scale = scale
        self.today = today
        self.rng = random.Random(seed)
        self.registrations: set[str] = set()
        self.orgs: list[uuid.UUID] = []
        self.shelters: dict[uuid.UUID, uuid.UUID] = {}  # organisation -> its shelter
        self.workers: dict[uuid.UUID, uuid.UUID] = {}  # organisation -> its social worker

    def id_at(self, day: date) -> uuid.UUID:
        at = datetime(day.year, day.month, day.day, tzinfo=UTC)
        return uuid7(at + timedelta(seconds=self.rng.randrange(86_400)), self.rng)

    # directory ---------------------------------------------------------------------------
    def organisation(self, name: str, kind: str, day: date) -> uuid.UUID:
        org = self.id_at(day)
        self.t.add(
            "organisations",
            id=org,
            version=1,
            name=name,
            name_key=name.lower(),
            kind=kind,
            funding="project" if kind == "ngo" else None,
            licences=json.dumps(["trafficking_victims"] if kind != "international" else []),
            **_stamps(day),
        )
        return org

    def user(self, label: str, role: str, org: uuid.UUID, password_hash: str) -> uuid.UUID:
        user = self.id_at(date(2020, 1, 1))
        self.t.add(
            "users",
            id=user,
            version=1,
            username=label,
            password_hash=password_hash,
            role=role,
            organisation_id=org,
            active=True,
            # MAN-STAFF-CONFIDENTIALITY: the staff signed Annex 4 when they joined
            confidentiality_signed_on=None if role == "coordinator" else date(2020, 1, 1),
            **_stamps(date(2020, 1, 1)),
        )
        return user

    def shelter(self, org: uuid.UUID, capacity: int, n: int) -> uuid.UUID:
        shelter = self.id_at(date(2020, 1, 1))
        self.t.add(
            "shelters",
            id=shelter,
            version=1,
            name=f"Shelter-{n}",
            organisation_id=org,
            kind="adult",
            capacity=capacity,
            address=f"Street {n}",
            **_stamps(date(2020, 1, 1)),
        )
        return shelter

    # a person and their case -------------------------------------------------------------
    def person(
        self, org: uuid.UUID, identified: date, author: uuid.UUID, status: str = "active"
    ) -> uuid.UUID:
        victim = self.id_at(identified)
        while (number := registration_number(self.rng.getrandbits(REGISTRATION_BITS))) in (
            self.registrations
        ):
            pass
        self.registrations.add(number)
        n = len(self.registrations)
        born = identified - timedelta(days=self.rng.randrange(18 * 365 + 5, 55 * 365))
        self.t.add(
            "victims",
            id=victim,
            version=1,
            registration_number=number,
            organisation_id=org,
            given_name=f"Person-{n}",
            family_name=f"Family-{n % 9973}",
            birth_date=born,
            sex="female" if self.rng.random() < 0.8 else "male",
            nationality="KG",
            exploitation_types=json.dumps([self.rng.choice(["labour", "sexual", "other"])]),
            country_of_exploitation=self.rng.choice(["RU", "KZ", "TR", "AE"]),
            identified_on=identified,
            returned_on=identified,
            registered_address=None,
            contact_phone=None,
            status=status,
            departed_on=None,
            health_contributions_unpaid=None,
            insured_months_since_return=None,
            eligible_for_social_benefits=None,
            **_stamps(identified),
        )
        self.consent(victim, "data_processing", None, identified, author)
        self.assessment(victim, "initial_needs", org, author, identified)
        return victim

    def consent(
        self, victim: uuid.UUID, purpose: str, to: uuid.UUID | None, day: date, author: uuid.UUID
    ) -> uuid.UUID:
        consent = self.id_at(day)
        self.t.add(
            "consents",
            id=consent,
            version=1,
            victim_id=victim,
            purpose=purpose,
            recipient_organisation_id=to,
            given_on=day,
            given_at=datetime(day.year, day.month, day.day, 9, tzinfo=UTC),
            recorded_by=author,
            withdrawn_at=None,
            withdrawn_by=None,
        )
        return consent

    def assessment(
        self,
        victim: uuid.UUID,
        kind: str,
        org: uuid.UUID,
        author: uuid.UUID,
        day: date,
        referral: uuid.UUID | None = None,
        due: date | None = None,
    ) -> uuid.UUID:
        assessment = self.id_at(day)
        self.t.add(
            "assessments",
            id=assessment,
            version=2,
            victim_id=victim,
            kind=kind,
            status="completed",
            referral_id=referral,
            organisation_id=org,
            author_id=author,
            author_role="social_worker",
            performed_on=day,
            due_on=due,
            late_by_days=max(0, (day - due).days) if due else None,
            findings=json.dumps(_FINDINGS.get(kind, _NEEDS)),
            completed_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
            rulebook_version=RULEBOOK,
            **_stamps(day),
        )
        return assessment

    def referral(
        self, victim: uuid.UUID, org: uuid.UUID, to: uuid.UUID, day: date, author: uuid.UUID
    ) -> None:
        roll = self.rng.random()
        status = (
            "requested"
            if roll < 0.1
            else "accepted"
            if roll < 0.2
            else "in_progress"
            if roll < 0.5
            else "completed"
            if roll < 0.85
            else "declined"
        )
        referral = self.id_at(day)
        contact = day + timedelta(days=3) if status in ("in_progress", "completed") else None
        due = contact + timedelta(days=20) if contact else None
        self.t.add(
            "referrals",
            id=referral,
            version=2,
            victim_id=victim,
            from_organisation_id=org,
            to_organisation_id=to,
            service="long_term_psychosocial",
            funding="project",
            ina_assessment_id=None,
            status=status,
            referred_on=day,
            contact_on=contact,
            individual_assessment_due_on=due,
            completed_on=day + timedelta(days=90) if status == "completed" else None,
            reason="synthetic" if status == "declined" else None,
            exit_information=None,
            created_by=author,
            rulebook_version=RULEBOOK,
            **_stamps(day),
        )
        if status in ("accepted", "in_progress", "completed") and self.rng.random() < 0.9:
            self.consent(victim, "share_with_organisation", to, day, author)
        if due and (status == "completed" or self.rng.random() < 0.7):
            done = due - timedelta(days=self.rng.randrange(-5, 15))
            self.assessment(victim, "individual_needs", to, author, done, referral, due)

    def stay(
        self,
        victim: uuid.UUID,
        shelter: uuid.UUID,
        day: date,
        author: uuid.UUID,
        status: str,
    ) -> uuid.UUID:
        stay = self.id_at(day)
        admitted = day + timedelta(days=1) if status in ("admitted", "discharged") else None
        discharged = admitted + timedelta(days=60) if status == "discharged" and admitted else None
        self.t.add(
            "shelter_stays",
            id=stay,
            version=3,
            victim_id=victim,
            shelter_id=shelter,
            status=status,
            source="ngo_coordinator",
            rules_signed_on=day,
            rights_signed_on=day,
            exceptional_justification=None,
            pocket_money_per_day=10000,
            proposed_on=day,
            proposed_by=author,
            admitted_on=admitted,
            admitted_by=author if admitted else None,
            medical_exam_due_on=admitted + timedelta(days=7) if admitted else None,
            discharged_on=discharged,
            discharge_reason="synthetic" if discharged else None,
            exit_information="synthetic" if discharged else None,
            handover_organisation_id=None,
            monitoring_due_on=discharged + timedelta(days=182) if discharged else None,
            rulebook_version=RULEBOOK,
            **_stamps(day),
        )
        if discharged and self.rng.random() < 0.7:
            self.t.add(
                "monitoring_reports",
                id=self.id_at(discharged + timedelta(days=182)),
                stay_id=stay,
                victim_id=victim,
                outcome="reached",
                reported_on=discharged + timedelta(days=182),
                author_id=author,
                created_at=datetime.combine(discharged, datetime.min.time(), UTC),
            )
        return stay

    def care_plan(self, victim: uuid.UUID, org: uuid.UUID, day: date, author: uuid.UUID) -> None:
        assessment = self.assessment(victim, "psychological", org, author, day)
        plan = self.id_at(day)
        self.t.add(
            "care_plans",
            id=plan,
            version=2,
            victim_id=victim,
            assessment_id=assessment,
            organisation_id=org,
            kind="care",
            goals=json.dumps([{"area": "housing", "objective": "A safe place to live."}]),
            recovery_stage=None,
            planned_months=6,
            status="active",
            activated_on=day,
            ended_on=None,
            created_by=author,
            rulebook_version=RULEBOOK,
            **_stamps(day),
        )
        if self.rng.random() < 0.5:
            starts = day + timedelta(days=1)
            ends = min(
                starts + timedelta(days=self.rng.randrange(30, 365)), self._year_after(starts)
            )
            self.t.add(
                "service_agreements",
                id=self.id_at(starts),
                version=1,
                victim_id=victim,
                care_plan_id=plan,
                provider_organisation_id=org,
                organisation_id=org,
                term="short" if (ends - starts).days < 180 else "medium",
                starts_on=starts,
                ends_on=ends,
                consent_given=True,
                status="active" if ends >= self.today else "completed",
                ended_on=None if ends >= self.today else ends,
                end_reason=None,
                exit_information=None if ends >= self.today else "synthetic",
                created_by=author,
                rulebook_version=RULEBOOK,
                **_stamps(starts),
            )

    @staticmethod
    def _year_after(day: date) -> date:
        return (
            day.replace(year=day.year + 1) - timedelta(days=1)
            if day.month != 2 or day.day != 29
            else day + timedelta(days=364)
        )

    def grant(self, victim: uuid.UUID, org: uuid.UUID, day: date, author: uuid.UUID) -> None:
        grant = self.id_at(day)
        status = self.rng.choice(["draft", "submitted", "approved", "disbursed"])
        self.t.add(
            "reintegration_grants",
            id=grant,
            version=2,
            victim_id=victim,
            form="blue",
            ngo_organisation_id=org,
            period_start=day,
            period_end=day + timedelta(days=29),
            status=status,
            total=200000,
            author_id=author,
            author_organisation_id=org,
            submitted_at=None,
            decided_at=None,
            decided_by=None,
            decision_reason=None,
            disbursed_on=day + timedelta(days=10) if status == "disbursed" else None,
            rulebook_version=RULEBOOK,
            **_stamps(day),
        )
        for position, category in enumerate(("travel", "scholarship")):
            self.t.add(
                "grant_lines",
                id=self.id_at(day),
                grant_id=grant,
                position=position,
                category=category,
                amount=100000,
                ceiling=None,
                days=None,
                months=1,
                purpose=None,
                justification=None,
            )

    def follow_up(self, victim: uuid.UUID, org: uuid.UUID, day: date) -> None:
        due = day + timedelta(days=30)
        recent = due > self.today - timedelta(days=60)  # older ones were done
        self.t.add(
            "follow_up_contacts",
            id=self.id_at(day),
            version=1,
            victim_id=victim,
            trigger="referral_completed",
            agreement_id=None,
            referral_id=None,
            stay_id=None,
            closure_id=None,
            organisation_id=org,
            due_on=due,
            rulebook_version=RULEBOOK,
            status="due" if recent else "done",
            channel=None if recent else "phone",
            done_on=None if recent else due,
            outcome=None if recent else "synthetic",
            **_stamps(day),
        )

    def protection(self, victim: uuid.UUID, org: uuid.UUID, day: date, author: uuid.UUID) -> None:
        """Legal counselling for one person in ten, a disclosure (with the consent to cooperate)
        for one in thirty, a complaint for one in fifty; those of long ago were met and resolved."""
        if self.rng.random() < 0.1:
            self.t.add(
                "legal_consultations",
                id=self.id_at(day),
                victim_id=victim,
                organisation_id=org,
                counsellor_id=author,
                held_on=day,
                approved_by=author,
                approved_on=day,
                options_explained=json.dumps(
                    ["compensation", "intelligence_only", "no_cooperation", "witness"]
                ),
                decision=self.rng.choice(["undecided", "no_cooperation", "witness"]),
                court_readiness=None,
                notes="Synthetic notes.",
                created_at=_stamps(day)["created_at"],
            )
        if self.rng.random() < 0.03:
            consent = self.consent(victim, "law_enforcement_cooperation", None, day, author)
            self.t.add(
                "disclosures",
                id=self.id_at(day),
                victim_id=victim,
                organisation_id=org,
                recipient="law_enforcement",
                recipient_name="Synthetic police unit",
                what="Synthetic statement.",
                disclosed_on=day,
                consent_id=consent,
                recorded_by=author,
                created_at=_stamps(day)["created_at"],
            )
        if self.rng.random() < 0.02:
            recent = day > self.today - timedelta(days=30)
            self.t.add(
                "complaints",
                id=self.id_at(day),
                version=1,
                victim_id=victim,
                organisation_id=org,
                kind="rights_disregarded",
                about_user_id=None,
                summary="Synthetic complaint.",
                received_on=day,
                meeting_due_on=day + timedelta(days=3),
                status="open" if recent else "resolved",
                meeting_held_on=None if recent else day + timedelta(days=2),
                meeting_notes=None,
                resolved_on=None if recent else day + timedelta(days=5),
                resolution=None if recent else "Synthetic resolution.",
                recorded_by=author,
                rulebook_version=RULEBOOK,
                **_stamps(day),
            )

    def incident(
        self, shelter: uuid.UUID, org: uuid.UUID, victim: uuid.UUID, day: date, author: uuid.UUID
    ) -> None:
        """An incident at the shelter naming a resident; those of long ago were acknowledged."""
        at = datetime(day.year, day.month, day.day, 21, tzinfo=UTC)
        incident = self.id_at(day)
        recent = day > self.today - timedelta(days=7)
        self.t.add(
            "incidents",
            id=incident,
            shelter_id=shelter,
            organisation_id=org,
            kind=self.rng.choice(["threat", "state_inquiry", "irregular_situation"]),
            occurred_at=at,
            police_called=self.rng.random() < 0.3,
            summary="Synthetic incident.",
            recorded_by=author,
            reported_on=day,
            acknowledged_at=None if recent else at + timedelta(hours=12),
            acknowledged_by=None if recent else author,
            created_at=at,
        )
        self.t.add("incident_residents", incident_id=incident, victim_id=victim)

    def audit(self, victim: uuid.UUID, actor: uuid.UUID, org: uuid.UUID, day: date, n: int) -> None:
        for i in range(n):
            at = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(days=i * 7)
            if at.date() > self.today:
                break
            self.t.add(
                "audit_events",
                id=uuid7(at, self.rng),
                at=at,
                actor_type="user",
                actor_id=actor,
                role="social_worker",
                organisation_id=org,
                action="read" if i else "create",
                record_type="victim",
                record_id=victim,
                victim_id=victim,
                client_address="127.0.0.1",
            )

    def case(
        self,
        org: uuid.UUID,
        others: list[uuid.UUID],
        shelter: uuid.UUID,
        author: uuid.UUID,
        since: date,
    ) -> tuple[uuid.UUID, bool]:
        """One person with a plausible case history, identified between ``since`` and today;
        and whether the case is open (one in ten is closed)."""
        identified = since + timedelta(days=self.rng.randrange(max(1, (self.today - since).days)))
        open_case = self.rng.random() < 0.9
        victim = self.person(org, identified, author, "active" if open_case else "closed")
        roll = self.rng.random()
        if roll < 0.4:
            self.referral(victim, org, self.rng.choice(others), identified, author)
        if self.rng.random() < 0.2:
            self.care_plan(victim, org, identified + timedelta(days=5), author)
        stay_roll = self.rng.random()
        if stay_roll < 0.08:
            status = (
                "admitted"
                if stay_roll < 0.01
                else "withdrawn"
                if stay_roll < 0.015
                else "discharged"
            )
            self.stay(victim, shelter, identified, author, status)
            if status != "withdrawn" and self.rng.random() < 0.2:
                day = min(identified + timedelta(days=2), self.today)
                self.incident(shelter, org, victim, day, author)
        self.protection(victim, org, min(identified + timedelta(days=7), self.today), author)
        if self.rng.random() < 0.05:
            self.grant(victim, org, identified + timedelta(days=10), author)
        if self.rng.random() < 0.05:
            self.follow_up(victim, org, identified + timedelta(days=20))
        self.audit(victim, author, org, identified, 5)
        return victim, open_case

    def ready_for_shelter(self, org: uuid.UUID, author: uuid.UUID) -> uuid.UUID:
        """The admission pool: a female adult, interviewed by the shelter's staff, no stay."""
        identified = self.today - timedelta(days=self.rng.randrange(1, 30))
        victim = self.person(org, identified, author)
        self.t.rows["victims"][-1] = self._as_female(self.t.rows["victims"][-1])
        self.assessment(victim, "primary_interview", org, author, identified)
        return victim

    def _as_female(self, row: tuple[Any, ...]) -> tuple[Any, ...]:
        columns = self.t.columns["victims"]
        values = dict(zip(columns, row, strict=True))
        values.update(sex="female")
        return tuple(values[c] for c in columns)


def _progress(done: int, total: int, started: float) -> None:
    width = 30
    filled = width * done // max(total, 1)
    rate = done / max(time.monotonic() - started, 1e-6)
    sys.stderr.write(
        f"\r  [{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} persons, {rate:,.0f}/s"
    )
    sys.stderr.flush()


async def _audit_months(url: str, today: date) -> None:
    """The trail's monthly partitions back to the oldest seeded event (the app prepares only
    the months to come)."""
    engine = create_engine(url.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        async with engine.begin() as connection:
            await audit_partitions.prepare(connection, today, since=date(2019, 1, 1))
    finally:
        await engine.dispose()


async def seed(url: str, scale: int, today: date, rng_seed: int = 7) -> Layout:
    await _audit_months(url, today)
    connection = await asyncpg.connect(url)
    try:
        if await connection.fetchval("select count(*) from victims"):
            raise SystemExit("The benchmark database is not empty; drop it first.")
        tables = Tables(connection)
        s = Seeder(tables, scale, today, rng_seed)
        layout = await _directory(s, tables)
        await _caseload(s, tables, layout, scale)
        await tables.flush()
        await connection.execute("analyze")
        layout.persons = tables.counts.get("victims", 0)
        return layout
    finally:
        await connection.close()


async def _directory(s: Seeder, tables: Tables) -> Layout:
    password_hash = hash_secret_blocking(PASSWORD)
    start = date(2020, 1, 1)
    coordinator_org = s.organisation("Mission", "international", start)
    orgs = [s.organisation(f"NGO-{i}", "ngo", start) for i in range(ORGANISATIONS)]
    layout = Layout(coordinator_org, orgs[0], orgs[1], orgs[2], uuid.UUID(int=0))
    layout.users["coordinator"] = s.user(
        "coordinator", "coordinator", coordinator_org, password_hash
    )
    s.orgs = orgs
    for i, org in enumerate(orgs):
        s.workers[org] = s.user(f"worker-{i}", "social_worker", org, password_hash)
        layout.users[f"worker-{i}"] = s.workers[org]
        layout.users[f"manager-{i}"] = s.user(f"manager-{i}", "shelter_manager", org, password_hash)
        s.shelters[org] = s.shelter(org, 40, i)
    layout.big_shelter = s.shelter(layout.big_org, 10_000_000, 999)
    await tables.flush()
    return layout


async def _caseload(s: Seeder, tables: Tables, layout: Layout, scale: int) -> None:
    orgs: list[uuid.UUID] = s.orgs
    started, done = time.monotonic(), 0
    # referrals go to the large organisations only: the caseworker's stays the same at every scale
    others = orgs[2:]
    plan = [(layout.caseworker_org, CASEWORKER_CASES, s.today - timedelta(days=700))]
    plan.append((layout.old_org, OLD_CASES, date(2019, 1, 1)))
    pool = min(ADMISSION_POOL, scale // 5)  # a small caseload (the tests' guards) has a small one
    rest = max(0, scale - CASEWORKER_CASES - OLD_CASES - pool)
    large = orgs[2:]
    plan += [
        (org, rest // len(large) + (i < rest % len(large)), date(2020, 1, 1))
        for i, org in enumerate(large)
    ]
    for org, count, since in plan:
        author = s.workers[org]
        peers = [o for o in others if o != org]
        for _ in range(count):
            victim, open_case = s.case(org, peers, s.shelters[org], author, since)
            if org == layout.big_org and open_case and len(layout.sample_victims) < 2000:
                layout.sample_victims.append(str(victim))
            done += 1
            if done % 5000 == 0:
                await tables.flush()
                _progress(done, scale, started)
    author = s.workers[layout.big_org]
    for _ in range(pool):
        layout.admission_pool.append(str(s.ready_for_shelter(layout.big_org, author)))
        done += 1
    await tables.flush()
    _progress(done, scale, started)
    sys.stderr.write("\n")


def migrate(url: str) -> None:
    env = {**os.environ, "APP_DATABASE_URL": url.replace("postgresql://", "postgresql+asyncpg://")}
    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], check=True, env=env)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="postgresql://… of an empty database")
    parser.add_argument("--scale", type=int, default=100_000, help="persons (default 100,000)")
    parser.add_argument("--layout", default="bench/results/layout.json")
    args = parser.parse_args()
    migrate(args.database)
    started = time.monotonic()
    layout = asyncio.run(seed(args.database, args.scale, date.today()))
    print(f"seeded {layout.persons:,} persons in {time.monotonic() - started:.0f} s")
    Path(args.layout).write_text(json.dumps(vars(layout), default=str))


if __name__ == "__main__":
    main()
