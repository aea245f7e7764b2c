"""DATA-DUPLICATE: the same person registered twice is found by keyed hashes — in Cyrillic or
Latin, with diacritics, names swapped, a birth date one typo apart — and told to the caller as
far as they may know it; the coordinator merges the two records or tells them apart."""

from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlmodel import SQLModel, func, select

from app.domain.access import Role
from app.domain.casework import (
    AgreementStatus,
    CarePlanKind,
    FollowUpTrigger,
    ReferralStatus,
    Service,
)
from app.domain.closure import ClosureReason
from app.domain.documents import DocumentKind, MediaType
from app.domain.exchange import JobReferralStatus
from app.domain.reintegration import (
    EnterpriseStatus,
    IdentityDocumentKind,
    IdentityDocumentStatus,
    ReturnKind,
    TrainingStatus,
    TravelDocuments,
)
from app.domain.rulebook import ServiceTerm
from app.domain.shelter import MonitoringOutcome
from app.domain.vocabulary import Funding, VictimStatus
from app.models import (
    Assessment,
    CarePlan,
    CaseAssignment,
    CaseClosure,
    Document,
    FollowUpContact,
    HealthRecord,
    IdentityDocument,
    JobReferral,
    MicroEnterprise,
    MonitoringReport,
    PersonMatchKey,
    Referral,
    Return,
    ServiceAgreement,
    ShelterStay,
    Training,
    Victim,
)
from app.models.personal_data import PERSON_LINKS
from app.services import erasure
from app.services.possible_duplicates import person_columns
from tests.api.shelter_world import API, ShelterWorld, build_shelter_world
from tests.api.test_export import hold_everything
from tests.factories import Actor, Actors, victim_body
from tests.helpers import expect_problem

VICTIMS = f"{API}/victims"
FIRST = {"given_name": "Нургуль", "family_name": "Асанова", "birth_date": "1990-03-05"}


async def register(client: httpx.AsyncClient, by: Actor, **person: str) -> dict[str, Any]:
    answer = await client.post(VICTIMS, json=victim_body(**person), headers=by.headers)
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


@pytest.mark.parametrize(
    ("person", "reasons"),
    [
        (
            {"given_name": "Nurgul", "family_name": "Asanova", "birth_date": "1990-03-05"},
            ["the same names", "the same birth date"],
        ),
        (
            {"given_name": "Nurgül", "family_name": "Asanova", "birth_date": "1990-03-05"},
            ["the same names", "the same birth date"],
        ),
        (
            {"given_name": "Asanova", "family_name": "Nurgul", "birth_date": "1990-03-05"},
            ["the same names, given and family swapped", "the same birth date"],
        ),
        (
            {"given_name": "Нургул", "family_name": "Асанова", "birth_date": "1990-05-03"},
            ["the same names", "a birth date one typo apart"],
        ),
        (
            {"given_name": "Nurgul", "family_name": "Asanova", "birth_date": "1990-03-06"},
            ["the same names", "a birth date one typo apart"],
        ),
    ],
)
async def test_a_case_the_caller_sees_is_shown_with_the_score_and_the_reasons(
    client: httpx.AsyncClient, worker: Actor, person: dict[str, str], reasons: list[str]
) -> None:
    first = await register(client, worker, **FIRST)
    assert first["possible_duplicates"] == []
    second = await register(client, worker, **person)
    (hint,) = second["possible_duplicates"]
    assert hint["victim_id"] == first["id"]
    assert hint["registration_number"] == first["registration_number"]
    assert hint["reasons"] == reasons
    assert hint["score"] >= 0.75
    listed = await client.get(
        f"{VICTIMS}/{second['id']}/possible-duplicates", headers=worker.headers
    )
    assert [h["victim_id"] for h in listed.json()] == [first["id"]]


@pytest.mark.parametrize(
    "person",
    [
        {"given_name": "Aigul", "family_name": "Asanova", "birth_date": "1990-03-05"},
        {"given_name": "Nurgul", "family_name": "Asanova", "birth_date": "1992-07-21"},
        {"given_name": "Nurgul", "family_name": "Bekova", "birth_date": "1990-03-05"},
    ],
)
async def test_another_person_is_no_candidate(
    client: httpx.AsyncClient, worker: Actor, person: dict[str, str]
) -> None:
    await register(client, worker, **FIRST)
    assert (await register(client, worker, **person))["possible_duplicates"] == []


async def test_a_case_at_another_organisation_is_told_only_by_its_organisation(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    first = await register(client, worker, **FIRST)
    elsewhere = await actors.user(Role.SOCIAL_WORKER)
    answer = await client.post(
        VICTIMS,
        json=victim_body(given_name="Nurgul", family_name="Asanova", birth_date="1990-03-05"),
        headers=elsewhere.headers,
    )
    (hint,) = answer.json()["possible_duplicates"]
    home = await actors.home_of(worker)
    assert hint["organisation_id"] == str(home.id)
    assert hint["detail"] == f"A possible match exists at organisation {home.name}."
    assert (hint["victim_id"], hint["registration_number"], hint["score"], hint["reasons"]) == (
        None,
        None,
        None,
        [],
    )
    for secret in (first["id"], first["registration_number"], "Асанова", "1990-03-05"):
        assert secret not in answer.text.replace(answer.json()["birth_date"], "")


async def test_no_name_or_birth_date_is_kept_in_the_clear_for_matching(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    first = await register(client, worker, **FIRST)
    async with actors.sessionmaker() as session:
        query = select(PersonMatchKey.key).where(PersonMatchKey.victim_id == UUID(first["id"]))
        stored = list((await session.exec(query)).all())
    assert len(stored) == 5  # each name, the birth date, each name with the birth date
    for key in stored:
        assert len(key) == 32 and set(key) <= set("0123456789abcdef")
        for clear in ("nurgul", "asanova", "1990", "Асанова"):
            assert clear not in key


async def coordinator_items(client: httpx.AsyncClient, coordinator: Actor) -> list[dict[str, Any]]:
    answer = await client.get(f"{API}/worklist", headers=coordinator.headers)
    assert answer.status_code == 200, answer.text
    return [i for i in answer.json()["items"] if i["kind"] == "possible_duplicate"]


async def test_the_coordinator_tells_a_pair_apart_and_it_is_not_found_again(
    client: httpx.AsyncClient, worker: Actor, coordinator: Actor
) -> None:
    first = await register(client, worker, **FIRST)
    second = await register(
        client, worker, given_name="Nurgul", family_name="Asanova", birth_date="1990-03-05"
    )
    (item,) = await coordinator_items(client, coordinator)
    assert (item["victim_id"], item["rule"]) == (second["id"], "DATA-DUPLICATE")
    pair = second["possible_duplicates"][0]["id"]
    assert item["record_id"] == pair
    listed = await client.get(f"{API}/possible-duplicates", headers=coordinator.headers)
    assert [(p["victim_id"], p["candidate_id"]) for p in listed.json()["items"]] == [
        (second["id"], first["id"])
    ]

    apart = await client.post(
        f"{API}/possible-duplicates/{pair}/not-the-same", headers=coordinator.headers
    )
    assert apart.status_code == 200, apart.text
    assert apart.json()["resolution"] == "not_the_same"
    assert await coordinator_items(client, coordinator) == []
    again = await client.post(
        f"{API}/possible-duplicates/{pair}/not-the-same", headers=coordinator.headers
    )
    expect_problem(again, 409, "invalid_transition")
    # a change of the names looks again, and the pair told apart stays apart
    changed = await client.patch(
        f"{VICTIMS}/{second['id']}", json={"given_name": "Nurgül"}, headers=worker.headers
    )
    assert changed.status_code == 200, changed.text
    assert await coordinator_items(client, coordinator) == []
    hints = await client.get(
        f"{VICTIMS}/{second['id']}/possible-duplicates", headers=worker.headers
    )
    assert hints.json() == []


async def test_only_the_coordinator_settles_pairs(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    await register(client, worker, **FIRST)
    second = await register(client, worker, **FIRST)
    pair = second["possible_duplicates"][0]["id"]
    manager = await actors.user(Role.SHELTER_MANAGER, await actors.home_of(worker))
    for path, body in (
        (f"possible-duplicates/{pair}/not-the-same", None),
        (f"victims/{second['id']}/merge", {"into": second["id"]}),
    ):
        answer = await client.post(f"{API}/{path}", json=body, headers=manager.headers)
        expect_problem(answer, 403, "forbidden")


async def row_counts(actors: Actors, victim_id: Any) -> dict[str, int]:
    """How many rows of each table that names a person name this one."""
    counts = {}
    async with actors.sessionmaker() as session:
        for table, column in person_columns():
            query = select(func.count()).select_from(table).where(table.c[column] == victim_id)
            counts[f"{table.name}.{column}"] = (await session.exec(query)).one()
    return counts


async def hold_the_rest(actors: Actors, world: ShelterWorld) -> None:
    """A row of each table that names a person and that hold_everything leaves empty: a table
    added later is empty here until a row of it is added, and the test below says so."""
    woman, runner, today, by = world.woman, world.runner, world.today, world.worker.id
    async with actors.sessionmaker() as session:
        interview = (
            await session.exec(select(Assessment).where(Assessment.victim_id == woman.id))
        ).first()
        stay = (
            await session.exec(select(ShelterStay).where(ShelterStay.victim_id == woman.id))
        ).first()
    assert interview is not None and stay is not None
    common = {"victim_id": woman.id, "organisation_id": runner.id}
    plan = await actors.add(
        CarePlan(
            **common,
            assessment_id=interview.id,
            kind=CarePlanKind.CARE,
            planned_months=6,
            created_by=by,
            rulebook_version="kg-2026.1",
        )
    )
    enterprise = await actors.add(
        MicroEnterprise(
            **common,
            candidacy_assessment_id=interview.id,
            business="Bakery",
            status=EnterpriseStatus.IN_PROGRESS,
            created_by=by,
        )
    )
    for record in (
        HealthRecord(victim_id=woman.id, updated_by=by),
        CaseAssignment(**common, user_id=by, assigned_on=today, assigned_by=by),
        IdentityDocument(
            **common,
            kind=IdentityDocumentKind.PASSPORT,
            status=IdentityDocumentStatus.NEEDED,
            recorded_by=by,
        ),
        FollowUpContact(
            **common,
            trigger=FollowUpTrigger.AGREEMENT_ENDED,
            due_on=today,
            rulebook_version="kg-2026.1",
        ),
        CaseClosure(
            victim_id=woman.id, reason=ClosureReason.REINTEGRATED, closed_on=today, closed_by=by
        ),
        Referral(
            victim_id=woman.id,
            from_organisation_id=runner.id,
            to_organisation_id=world.outsider.id,
            service=Service.LEGAL,
            funding=Funding.PROJECT,
            status=ReferralStatus.REQUESTED,
            referred_on=today,
            created_by=by,
            rulebook_version="kg-2026.1",
        ),
        ServiceAgreement(
            **common,
            care_plan_id=plan.id,
            provider_organisation_id=runner.id,
            term=ServiceTerm.SHORT,
            starts_on=today,
            ends_on=today,
            consent_given=True,
            status=AgreementStatus.ACTIVE,
            created_by=by,
            rulebook_version="kg-2026.1",
        ),
        Training(
            **common,
            provider_organisation_id=runner.id,
            starts_on=today,
            ends_on=today,
            chosen_by_person=True,
            assessment_id=interview.id,
            status=TrainingStatus.PLANNED,
            created_by=by,
        ),
        Return(
            **common,
            kind=ReturnKind.RETURN_HOME,
            decided_by_person=True,
            destination="Osh",
            travel_documents=TravelDocuments.NOT_NEEDED,
            escort=False,
            meeting_at_arrival=False,
            planned_on=today,
            created_by=by,
        ),
        JobReferral(
            **common,
            profession="Baker",
            region="Osh",
            status=JobReferralStatus.PENDING,
            created_by=by,
        ),
        MonitoringReport(
            stay_id=stay.id,
            victim_id=woman.id,
            outcome=MonitoringOutcome.REACHED,
            reported_on=today,
            author_id=by,
        ),
        Document(  # its sealed file is not needed here: the merge moves the row
            **common,
            kind=DocumentKind.SHELTER_RULES,
            media_type=MediaType.PDF,
            size_bytes=1,
            filename="rules.pdf",
            stay_id=stay.id,
            key_id="0" * 16,
            wrapped_key="-",
            uploaded_by=by,
        ),
    ):
        await actors.add(record)
    assert enterprise.id


async def test_a_merge_moves_every_record_of_every_table_that_names_the_person(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """Every table with a foreign key to victims is counted, read from the schema: a table
    added later, whose rows the merge left behind, fails here."""
    world = await build_shelter_world(actors)
    await hold_everything(client, actors, world)
    await hold_the_rest(actors, world)
    twin = await actors.victim(world.runner, birth_date=world.woman.birth_date)
    before = await row_counts(actors, world.woman.id)
    assert [name for name, n in before.items() if not n] == []  # one of everything

    merged = await client.post(
        f"{VICTIMS}/{world.woman.id}/merge",
        json={"into": str(twin.id)},
        headers=world.coordinator.headers,
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["id"] == str(twin.id)
    assert merged.json()["registered_address"] == world.woman.registered_address  # taken over

    left = await row_counts(actors, world.woman.id)
    assert {name: n for name, n in left.items() if n} == {}
    moved = await row_counts(actors, twin.id)
    assert moved == before
    export = await client.get(f"{VICTIMS}/{twin.id}/export", headers=world.manager.headers)
    assert export.status_code == 200, export.text


async def test_the_merged_id_answers_with_the_kept_one_and_both_trails_stay(
    client: httpx.AsyncClient, actors: Actors, coordinator: Actor, worker: Actor
) -> None:
    first = await register(client, worker, **FIRST)
    second = await register(client, worker, **FIRST)
    merged = await client.post(
        f"{VICTIMS}/{second['id']}/merge", json={"into": first["id"]}, headers=coordinator.headers
    )
    assert merged.status_code == 200, merged.text

    read = await client.get(f"{VICTIMS}/{second['id']}", headers=worker.headers)
    body = expect_problem(read, 301, "merged")
    assert body["merged_into"] == first["id"]
    assert read.headers["location"] == f"{VICTIMS}/{first['id']}"
    sub = await client.get(f"{VICTIMS}/{second['id']}/consents", headers=worker.headers)
    assert sub.headers["location"] == f"{VICTIMS}/{first['id']}/consents"
    write = await client.patch(
        f"{VICTIMS}/{second['id']}", json={"given_name": "Aida"}, headers=worker.headers
    )
    assert expect_problem(write, 301, "merged")["merged_into"] == first["id"]
    assert "location" not in write.headers  # a write is never repeated elsewhere unasked

    listed = await client.get(VICTIMS, headers=worker.headers)
    assert [v["id"] for v in listed.json()["items"]] == [first["id"]]
    assert await coordinator_items(client, coordinator) == []  # the pair is settled: merged
    async with actors.sessionmaker() as session:
        gone = await session.get(Victim, UUID(second["id"]))
        assert gone is not None
        assert (gone.status, gone.merged_into_id) == (VictimStatus.MERGED, UUID(first["id"]))
        # no stale copy of the person: scrubbed as erasure scrubs, and no keys to find it by
        assert gone.given_name != FIRST["given_name"]
        assert gone.registration_number != second["registration_number"]
        assert gone.contact_phone is None
        keys = select(PersonMatchKey).where(PersonMatchKey.victim_id == gone.id)
        assert (await session.exec(keys)).all() == []
    for victim_id in (first["id"], second["id"]):
        trail = await client.get(
            f"{API}/audit-events", params={"victim_id": victim_id}, headers=coordinator.headers
        )
        assert trail.status_code == 200, trail.text
        actions = {e["action"] for e in trail.json()["items"]}
        assert {"create", "merge"} <= actions


@pytest.mark.parametrize("into", ["itself", "merged", "unknown"])
async def test_a_merge_that_cannot_be_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, coordinator: Actor, worker: Actor, into: str
) -> None:
    first = await register(client, worker, **FIRST)
    second = await register(client, worker, **FIRST)
    target = {
        "itself": second["id"],
        "merged": first["id"],
        "unknown": str(first["id"])[:-4] + "0000",
    }[into]
    if into == "merged":
        third = await register(client, worker, **FIRST)
        done = await client.post(
            f"{VICTIMS}/{first['id']}/merge",
            json={"into": third["id"]},
            headers=coordinator.headers,
        )
        assert done.status_code == 200
    answer = await client.post(
        f"{VICTIMS}/{second['id']}/merge", json={"into": target}, headers=coordinator.headers
    )
    expected = {
        "itself": (422, "rule_violation"),
        "merged": (409, "invalid_transition"),
        "unknown": (404, "not_found"),
    }[into]
    expect_problem(answer, *expected)
    still = await client.get(f"{VICTIMS}/{second['id']}", headers=worker.headers)
    assert still.status_code == 200


async def test_two_records_that_both_hold_a_health_record_are_not_merged(
    client: httpx.AsyncClient, actors: Actors, coordinator: Actor
) -> None:
    organisation = await actors.organisation()
    medic = await actors.user(Role.MEDICAL_OFFICER, organisation)
    one = await actors.victim(organisation)
    two = await actors.victim(organisation)
    for person in (one, two):
        put = await client.put(
            f"{VICTIMS}/{person.id}/health-record",
            json={"conditions": ["synthetic"]},
            headers=medic.headers,
        )
        assert put.status_code in (200, 201), put.text
    answer = await client.post(
        f"{VICTIMS}/{one.id}/merge", json={"into": str(two.id)}, headers=coordinator.headers
    )
    body = expect_problem(answer, 409, "merge_conflict", "DATA-DUPLICATE")
    assert {c["type"] for c in body["conflicts"]} == {"health_record"}


def test_every_column_that_names_a_person_is_a_foreign_key_the_merge_finds() -> None:
    """A merge moves the columns with a foreign key to victims (person_columns): a column
    that names a person without one would be left behind, so there is none."""
    moved = {(table.name, column) for table, column in person_columns()}
    naming = {
        (table.name, column.name)
        for table in SQLModel.metadata.sorted_tables
        for column in table.columns
        if column.name == "victim_id" or column.name.endswith("_victim_id")
    }
    direct = {(t, link.column) for t, link in PERSON_LINKS.items() if link.via is None}
    kept_apart = {
        ("victims", "id"),
        ("person_match_keys", "victim_id"),
        ("possible_duplicates", "victim_id"),
        ("audit_events", "victim_id"),
    }
    assert (naming | direct) - kept_apart <= moved


async def test_a_merge_across_organisations_waits_for_the_case_to_be_shared(
    client: httpx.AsyncClient, actors: Actors, coordinator: Actor
) -> None:
    """CONSENT-DISCLOSURE: merged into another organisation's record, the merged record's
    organisation would lose the person's case, or see what it may not: not until shared."""
    one, other = await actors.organisation(), await actors.organisation()
    kept, merged = await actors.victim(one), await actors.victim(other)
    path, body = f"{VICTIMS}/{merged.id}/merge", {"into": str(kept.id)}
    refused = await client.post(path, json=body, headers=coordinator.headers)
    problem = expect_problem(refused, 409, "merge_conflict", "DATA-DUPLICATE")
    assert problem["conflicts"] == [{"type": "organisation", "id": str(other.id)}]
    await actors.share(kept, one, other)
    done = await client.post(path, json=body, headers=coordinator.headers)
    assert done.status_code == 200, done.text
    worker = await actors.user(Role.SOCIAL_WORKER, other)
    read = await client.get(f"{VICTIMS}/{merged.id}", headers=worker.headers)
    assert expect_problem(read, 301, "merged")["merged_into"] == str(kept.id)
    assert (await client.get(f"{VICTIMS}/{kept.id}", headers=worker.headers)).status_code == 200


async def test_the_merged_id_names_no_record_its_caller_may_not_see(
    client: httpx.AsyncClient, actors: Actors, coordinator: Actor
) -> None:
    home, partner = await actors.organisation(), await actors.organisation()
    kept, merged = await actors.victim(home), await actors.victim(home)
    await actors.share(merged, home, partner)  # the partner saw the merged record only
    done = await client.post(
        f"{VICTIMS}/{merged.id}/merge", json={"into": str(kept.id)}, headers=coordinator.headers
    )
    assert done.status_code == 200, done.text
    outsider = await actors.user(Role.SOCIAL_WORKER, partner)
    read = await client.get(f"{VICTIMS}/{merged.id}", headers=outsider.headers)
    body = expect_problem(read, 404, "not_found")
    assert str(kept.id) not in read.text and "location" not in read.headers
    assert body["detail"] == "No such person."


async def test_an_erased_person_is_no_ones_possible_duplicate(
    client: httpx.AsyncClient, actors: Actors, worker: Actor, coordinator: Actor
) -> None:
    first = await register(client, worker, **FIRST)
    second = await register(client, worker, **FIRST)
    async with actors.sessionmaker() as session:
        person = await session.get_one(Victim, UUID(first["id"]))
        await erasure.scrub(session, person)
        session.add(person)
        await session.commit()
    hints = await client.get(
        f"{VICTIMS}/{second['id']}/possible-duplicates", headers=worker.headers
    )
    assert hints.json() == []
    assert await coordinator_items(client, coordinator) == []
    listed = await client.get(f"{API}/possible-duplicates", headers=coordinator.headers)
    assert listed.json()["items"] == []
    third = await register(client, worker, **FIRST)
    assert [h["victim_id"] for h in third["possible_duplicates"]] == [second["id"]]


async def test_a_pair_goes_when_the_names_no_longer_match(
    client: httpx.AsyncClient, worker: Actor, coordinator: Actor
) -> None:
    await register(client, worker, **FIRST)
    second = await register(client, worker, **FIRST)
    assert len(await coordinator_items(client, coordinator)) == 1
    changed = await client.patch(
        f"{VICTIMS}/{second['id']}",
        json={"given_name": "Aida", "family_name": "Bekova"},
        headers=worker.headers,
    )
    assert changed.status_code == 200, changed.text
    assert await coordinator_items(client, coordinator) == []
    hints = await client.get(
        f"{VICTIMS}/{second['id']}/possible-duplicates", headers=worker.headers
    )
    assert hints.json() == []


async def test_two_cases_at_one_other_organisation_are_told_as_one(
    client: httpx.AsyncClient, actors: Actors, worker: Actor
) -> None:
    await register(client, worker, **FIRST)
    await register(client, worker, **FIRST)
    elsewhere = await actors.user(Role.SOCIAL_WORKER)
    answer = await client.post(VICTIMS, json=victim_body(**FIRST), headers=elsewhere.headers)
    (hint,) = answer.json()["possible_duplicates"]  # not how many, nor which
    assert hint["victim_id"] is None


async def test_a_merge_hands_its_other_pairs_to_the_kept_record(
    client: httpx.AsyncClient, worker: Actor, coordinator: Actor
) -> None:
    """Three records alike: merging one into another leaves one pair, the third with the
    kept one."""
    a = await register(client, worker, **FIRST)
    b = await register(client, worker, **FIRST)
    c = await register(client, worker, **FIRST)
    assert len(await coordinator_items(client, coordinator)) == 3
    merged = await client.post(
        f"{VICTIMS}/{a['id']}/merge", json={"into": b["id"]}, headers=coordinator.headers
    )
    assert merged.status_code == 200, merged.text
    (item,) = await coordinator_items(client, coordinator)
    hints = await client.get(f"{VICTIMS}/{c['id']}/possible-duplicates", headers=worker.headers)
    assert [h["victim_id"] for h in hints.json()] == [b["id"]]
    assert item["record_id"] == hints.json()[0]["id"]


async def test_a_record_told_apart_from_the_merged_one_is_told_apart_from_the_kept_one(
    client: httpx.AsyncClient, worker: Actor, coordinator: Actor
) -> None:
    a = await register(client, worker, **FIRST)
    b = await register(client, worker, **FIRST)
    c = await register(client, worker, **FIRST)
    pair_ca = next(h["id"] for h in c["possible_duplicates"] if h["victim_id"] == a["id"])
    apart = await client.post(
        f"{API}/possible-duplicates/{pair_ca}/not-the-same", headers=coordinator.headers
    )
    assert apart.status_code == 200
    merged = await client.post(
        f"{VICTIMS}/{a['id']}/merge", json={"into": b["id"]}, headers=coordinator.headers
    )
    assert merged.status_code == 200, merged.text
    assert await coordinator_items(client, coordinator) == []
    hints = await client.get(f"{VICTIMS}/{c['id']}/possible-duplicates", headers=worker.headers)
    assert hints.json() == []


async def test_a_merge_keeps_the_kept_records_holder_where_both_had_one(
    client: httpx.AsyncClient, actors: Actors, coordinator: Actor, worker: Actor
) -> None:
    """CASELOAD-TRANSFER: one holder per organisation and person; the merged record's holder
    goes where the kept record has its own."""
    first = await register(client, worker, **FIRST)
    colleague = await actors.user(Role.SOCIAL_WORKER, await actors.home_of(worker))
    second = await register(client, colleague, **FIRST)
    merged = await client.post(
        f"{VICTIMS}/{second['id']}/merge", json={"into": first["id"]}, headers=coordinator.headers
    )
    assert merged.status_code == 200, merged.text
    async with actors.sessionmaker() as session:
        held = (await session.exec(select(CaseAssignment))).all()
    assert [(h.victim_id, h.user_id) for h in held] == [(UUID(first["id"]), worker.id)]
