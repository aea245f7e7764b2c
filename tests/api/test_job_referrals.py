"""MAN-SCME-PRIORITY over HTTP: a job referral needs the person's consent, SCME receives and reads
only what a job search needs, reports progress once per event, and a withdrawn consent is a
withdrawal at SCME."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest
from sqlmodel import col, select

from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.domain.vocabulary import OrganisationKind
from app.integrations.fakes import FakeScme
from app.models import AuditEvent, JobReferral, JobReferralEvent, OutboxMessage, Victim
from tests.factories import Actor, Actors
from tests.fakes import SCME_TOKEN, WorkerFactory
from tests.helpers import expect_problem

BASE = "/api/v1/job-referrals"
SCME_FIELDS = {
    "view",
    "job_referral_id",
    "registration_number",
    "given_name",
    "family_name",
    "contact_phone",
    "region",
    "profession",
    "skills",
    "education",
    "status",
    "version",
}
SENT_TO_SCME = SCME_FIELDS - {"view", "status", "version"}


@dataclass
class World:
    worker: Actor
    scme: Actor
    person: Victim


@pytest.fixture
async def world(actors: Actors) -> World:
    ngo = await actors.organisation(OrganisationKind.NGO)
    worker = await actors.user(Role.SOCIAL_WORKER, ngo)
    scme = await actors.client(
        Role.SCME_SYSTEM, await actors.organisation(OrganisationKind.STATE_AGENCY)
    )
    person = await actors.victim(
        ngo,
        contact_phone="+996 555 010 203",
        exploitation_types=["labour"],
        registered_address="12 Synthetic Street, Bishkek",
    )
    return World(worker, scme, person)


def body(person: Victim, **overrides: object) -> dict[str, object]:
    return {
        "victim_id": str(person.id),
        "profession": "baker",
        "region": "Chui",
        "skills": ["dough preparation", "hygiene certificate"],
        "education": "vocational school",
    } | overrides


async def consent(actors: Actors, person: Victim) -> None:
    await actors.consent(person, ConsentPurpose.SCME_JOB_REFERRAL)


async def messages(actors: Actors) -> list[OutboxMessage]:
    async with actors.sessionmaker() as session:
        return list((await session.exec(select(OutboxMessage))).all())


# --- MAN-SCME-PRIORITY: the consent at the door ------------------------------------------------


async def test_without_the_consent_the_referral_is_refused_and_nothing_is_written(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await actors.consent(world.person, ConsentPurpose.DATA_PROCESSING)
    answer = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    expect_problem(answer, 422, "consent_required", "MAN-SCME-PRIORITY")
    listed = await client.get(BASE, headers=world.worker.headers)
    assert listed.json()["items"] == []
    assert await messages(actors) == []


async def test_with_the_consent_the_referral_waits_in_the_outbox(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await consent(actors, world.person)
    answer = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    assert created["status"] == "pending"
    assert answer.headers["Location"] == f"{BASE}/{created['id']}"
    [message] = await messages(actors)
    assert (message.topic, message.record_id, message.status) == (
        "scme.job_referral",
        UUID(created["id"]),
        "pending",
    )
    assert message.payload == {}  # no personal data waits in the outbox


@pytest.mark.parametrize(
    ("field", "value"),
    [("skills", "baking"), ("profession", ""), ("region", None), ("exploitation_types", [])],
)
async def test_bad_bodies_are_refused(
    client: httpx.AsyncClient, actors: Actors, world: World, field: str, value: object
) -> None:
    await consent(actors, world.person)
    answer = await client.post(
        BASE, json=body(world.person, **{field: value}), headers=world.worker.headers
    )
    expect_problem(answer, 422, "validation_error")
    assert await messages(actors) == []


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.PSYCHOLOGIST, 403),
        (Role.MEDICAL_OFFICER, 403),
        (Role.SCME_SYSTEM, 403),
        (Role.PARTNER_SYSTEM, 403),
        (Role.AUDITOR, 403),
        (Role.ADMIN, 403),
    ],
)
async def test_who_may_not_refer(
    client: httpx.AsyncClient, actors: Actors, world: World, role: Role, status: int
) -> None:
    await consent(actors, world.person)
    home = await actors.organisation_of(world.worker.organisation_id)
    caller = await actors.caller(
        role, home if role in (Role.PSYCHOLOGIST, Role.MEDICAL_OFFICER) else None
    )
    answer = await client.post(BASE, json=body(world.person), headers=caller.headers)
    expect_problem(answer, status, "forbidden")


async def test_another_organisations_worker_cannot_refer_a_case_it_does_not_see(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await consent(actors, world.person)
    stranger = await actors.user(Role.SOCIAL_WORKER)
    answer = await client.post(BASE, json=body(world.person), headers=stranger.headers)
    expect_problem(answer, 422, "validation_error")
    assert await messages(actors) == []


async def test_the_coordinator_and_the_shelter_manager_refer(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await consent(actors, world.person)
    home = await actors.organisation_of(world.worker.organisation_id)
    for caller in (
        await actors.user(Role.COORDINATOR),
        await actors.user(Role.SHELTER_MANAGER, home),
    ):
        answer = await client.post(BASE, json=body(world.person), headers=caller.headers)
        assert answer.status_code == 201, answer.text


# --- what SCME receives and reads -------------------------------------------------------------


async def sent_referral(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> str:
    await consent(actors, world.person)
    answer = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    assert answer.status_code == 201, answer.text
    assert await outbox_worker().run_once() == 1
    return str(answer.json()["id"])


async def test_scme_receives_only_what_a_job_search_needs(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    [arrived] = fake_scme.kept.values()
    assert arrived.path == "/job-referrals"
    assert arrived.headers["authorization"] == f"Bearer {SCME_TOKEN}"
    assert arrived.key  # an Idempotency-Key on the request
    assert set(arrived.body) == SENT_TO_SCME
    assert arrived.body == {
        "job_referral_id": referral_id,
        "registration_number": world.person.registration_number,
        "given_name": world.person.given_name,
        "family_name": world.person.family_name,
        "contact_phone": "+996 555 010 203",
        "region": "Chui",
        "profession": "baker",
        "skills": ["dough preparation", "hygiene certificate"],
        "education": "vocational school",
    }
    shown = await client.get(f"{BASE}/{referral_id}", headers=world.worker.headers)
    assert shown.json()["status"] == "sent"
    assert shown.json()["sent_at"] is not None


async def test_the_send_is_in_the_audit_trail(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    async with actors.sessionmaker() as session:
        query = select(AuditEvent).where(col(AuditEvent.action) == "send")
        [event] = (await session.exec(query)).all()
    assert (str(event.record_id), event.victim_id, event.actor_type) == (
        referral_id,
        world.person.id,
        "system",
    )


async def test_scme_reads_its_referrals_and_only_the_job_search_fields(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    one = await client.get(f"{BASE}/{referral_id}", headers=world.scme.headers)
    assert one.status_code == 200, one.text
    assert set(one.json()) == SCME_FIELDS
    assert one.json()["view"] == "scme"
    listed = await client.get(BASE, headers=world.scme.headers)
    assert [set(item) for item in listed.json()["items"]] == [SCME_FIELDS]
    # nothing else of the person: the case stays closed to SCME
    case = await client.get(f"/api/v1/victims/{world.person.id}", headers=world.scme.headers)
    expect_problem(case, 403, "forbidden")


async def test_scme_does_not_see_a_referral_before_it_is_sent(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await consent(actors, world.person)
    created = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    answer = await client.get(f"{BASE}/{created.json()['id']}", headers=world.scme.headers)
    expect_problem(answer, 404, "not_found")
    assert (await client.get(BASE, headers=world.scme.headers)).json()["items"] == []


async def test_case_workers_of_other_organisations_do_not_see_it(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    stranger = await actors.user(Role.SOCIAL_WORKER)
    expect_problem(
        await client.get(f"{BASE}/{referral_id}", headers=stranger.headers), 404, "not_found"
    )
    assert (await client.get(BASE, headers=stranger.headers)).json()["items"] == []


# --- SCME's events ----------------------------------------------------------------------------


def event(event_id: str, kind: str, days_ago: int = 0, **extra: object) -> dict[str, object]:
    day = datetime.now(UTC).date() - timedelta(days=days_ago)
    return {"event_id": event_id, "kind": kind, "occurred_on": day.isoformat()} | extra


async def test_events_move_the_referral_to_a_placement(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    url = f"{BASE}/{referral_id}/events"
    steps = [
        event("scme-1", "acknowledged", 5),
        event("scme-2", "interview", 3),
        event("scme-3", "placed", 1, employer="Synthetic Bakery LLC"),
        event("scme-4", "closed"),
    ]
    for step, expected in zip(
        steps, ["acknowledged", "interview", "placed", "closed"], strict=True
    ):
        answer = await client.post(url, json=step, headers=world.scme.headers)
        assert answer.status_code == 200, answer.text
        assert answer.json()["status"] == expected
        assert set(answer.json()) == SCME_FIELDS
    shown = (await client.get(f"{BASE}/{referral_id}", headers=world.worker.headers)).json()
    assert shown["employer"] == "Synthetic Bakery LLC"
    assert shown["placed_on"] == steps[2]["occurred_on"]
    assert [e["kind"] for e in shown["events"]] == ["acknowledged", "interview", "placed", "closed"]


async def test_the_same_event_twice_is_applied_once(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    url = f"{BASE}/{referral_id}/events"
    first = await client.post(url, json=event("scme-9", "interview"), headers=world.scme.headers)
    again = await client.post(url, json=event("scme-9", "interview"), headers=world.scme.headers)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()  # the version did not move either
    async with actors.sessionmaker() as session:
        assert len((await session.exec(select(JobReferralEvent))).all()) == 1


async def test_a_listing_shows_each_referral_with_its_own_events(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    with_event = await sent_referral(client, actors, world, outbox_worker)
    answer = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    assert answer.status_code == 201, answer.text
    assert await outbox_worker().run_once() == 1
    await client.post(
        f"{BASE}/{with_event}/events", json=event("scme-5", "interview"), headers=world.scme.headers
    )
    listed = (await client.get(BASE, headers=world.worker.headers)).json()["items"]
    events = {r["id"]: [e["scme_event_id"] for e in r["events"]] for r in listed}
    assert events == {with_event: ["scme-5"], answer.json()["id"]: []}
    seen_by_scme = (await client.get(BASE, headers=world.scme.headers)).json()["items"]
    assert {r["registration_number"] for r in seen_by_scme} == {world.person.registration_number}
    assert len(seen_by_scme) == 2


async def test_an_event_id_reused_for_another_event_is_refused(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    url = f"{BASE}/{referral_id}/events"
    await client.post(url, json=event("scme-9", "interview"), headers=world.scme.headers)
    answer = await client.post(url, json=event("scme-9", "closed"), headers=world.scme.headers)
    expect_problem(answer, 422, "idempotency_key_reused")


@pytest.mark.parametrize(
    ("steps", "status", "code"),
    [
        ([event("a", "placed")], 422, "validation_error"),  # no employer
        ([event("a", "interview", -2)], 422, "validation_error"),  # in the future
        ([event("a", "closed"), event("b", "placed", employer="X Ltd")], 409, "invalid_transition"),
        ([event("a", "hired")], 422, "validation_error"),
    ],
)
async def test_events_that_are_refused_change_nothing(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    steps: list[dict[str, object]],
    status: int,
    code: str,
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    url = f"{BASE}/{referral_id}/events"
    for step in steps[:-1]:
        assert (await client.post(url, json=step, headers=world.scme.headers)).status_code == 200
    before = (await client.get(f"{BASE}/{referral_id}", headers=world.worker.headers)).json()
    expect_problem(await client.post(url, json=steps[-1], headers=world.scme.headers), status, code)
    after = (await client.get(f"{BASE}/{referral_id}", headers=world.worker.headers)).json()
    assert after == before


async def test_only_scme_reports_events(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    url = f"{BASE}/{referral_id}/events"
    answer = await client.post(url, json=event("x", "interview"), headers=world.worker.headers)
    expect_problem(answer, 403, "forbidden")


async def test_scme_sends_an_idempotency_key_with_every_event(
    client: httpx.AsyncClient, actors: Actors, world: World, outbox_worker: WorkerFactory
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    headers = {"Authorization": world.scme.headers["Authorization"]}
    answer = await client.post(
        f"{BASE}/{referral_id}/events", json=event("x", "interview"), headers=headers
    )
    body_ = expect_problem(answer, 422, "validation_error")
    assert body_["errors"][0]["loc"] == ["header", "Idempotency-Key"]


# --- the consent withdrawn --------------------------------------------------------------------


async def withdraw_scme_consent(client: httpx.AsyncClient, world: World) -> None:
    base = f"/api/v1/victims/{world.person.id}/consents"
    consents = (await client.get(base, headers=world.worker.headers)).json()["items"]
    [scme] = [c for c in consents if c["purpose"] == "scme_job_referral"]
    answer = await client.post(f"{base}/{scme['id']}/withdraw", headers=world.worker.headers)
    assert answer.status_code == 200, answer.text


async def test_a_withdrawal_before_sending_means_scme_never_hears_of_it(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    await consent(actors, world.person)
    created = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    await withdraw_scme_consent(client, world)
    assert await outbox_worker().run_once() == 0
    assert fake_scme.hits == []
    shown = await client.get(f"{BASE}/{created.json()['id']}", headers=world.worker.headers)
    assert shown.json()["status"] == "withdrawn"
    assert [m.status for m in await messages(actors)] == ["cancelled"]


async def test_a_withdrawal_after_sending_reaches_scme_and_closes_its_view(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    await withdraw_scme_consent(client, world)
    expect_problem(
        await client.get(f"{BASE}/{referral_id}", headers=world.scme.headers), 404, "not_found"
    )
    assert await outbox_worker().run_once() == 1
    withdrawal = fake_scme.bodies(f"/job-referrals/{referral_id}/withdrawal")
    assert len(withdrawal) == 1
    assert withdrawal[0]["job_referral_id"] == referral_id
    assert withdrawal[0]["reason"] == "consent_withdrawn"
    answer = await client.post(
        f"{BASE}/{referral_id}/events", json=event("late", "interview"), headers=world.scme.headers
    )
    expect_problem(answer, 404, "not_found")


async def test_a_consent_withdrawn_between_the_write_and_the_send_stops_the_send(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    """The worker checks the consent again when it builds the request (here the consent is
    withdrawn behind the API's back, so no withdrawal logic ran)."""
    from sqlalchemy import update

    from app.models import Consent

    await consent(actors, world.person)
    await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    async with actors.sessionmaker() as session:
        await session.exec(update(Consent).values(withdrawn_at=actors.clock.now()))
        await session.commit()
    assert await outbox_worker().run_once() == 1  # taken up, and cancelled
    assert fake_scme.hits == []
    assert [(m.status, m.attempts) for m in await messages(actors)] == [("cancelled", 0)]
    listed = (await client.get(BASE, headers=world.worker.headers)).json()["items"]
    assert [r["status"] for r in listed] == ["withdrawn"]  # it does not wait for ever


async def test_the_persons_file_lists_the_job_referrals(
    client: httpx.AsyncClient, actors: Actors, world: World
) -> None:
    await consent(actors, world.person)
    created = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    exported = await client.get(
        f"/api/v1/victims/{world.person.id}/export", headers=world.worker.headers
    )
    assert [j["id"] for j in exported.json()["job_referrals"]] == [created.json()["id"]]


# --- who reads a job referral: role × own / other organisation --------------------------------

READERS = {
    Role.COORDINATOR: "all",
    Role.SHELTER_MANAGER: "own",
    Role.SOCIAL_WORKER: "own",
    Role.PSYCHOLOGIST: "own",
    Role.LEGAL_COUNSELLOR: "own",
    Role.MEDICAL_OFFICER: "own",
    Role.SCME_SYSTEM: "sent to it",
    Role.PARTNER_SYSTEM: None,
    Role.ADMIN: None,
    Role.AUDITOR: None,
}


@pytest.mark.parametrize("whose", ["own", "other"])
@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
async def test_job_referral_read_matrix(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    role: Role,
    whose: str,
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    home = await actors.organisation_of(world.worker.organisation_id)
    caller = await actors.caller(role, home if whose == "own" and role in STAFF else None)
    answer = await client.get(f"{BASE}/{referral_id}", headers=caller.headers)
    scope = READERS[role]
    if scope is None:
        expect_problem(answer, 403, "forbidden")
    elif scope == "own" and whose == "other":
        expect_problem(answer, 404, "not_found")
    else:
        assert answer.status_code == 200, answer.text
        assert answer.json()["view"] == ("scme" if role is Role.SCME_SYSTEM else "case")


STAFF = {r for r, scope in READERS.items() if scope == "own"}


async def test_a_withdrawal_waits_for_the_referral_being_sent(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    """A worker is sending the referral when the consent is withdrawn: the withdrawal goes
    after it, never before (SCME would otherwise receive the referral last)."""
    from app.services import outbox

    await consent(actors, world.person)
    created = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    lease = timedelta(seconds=40)
    async with actors.sessionmaker() as session:  # another worker holds it, mid-send
        [in_flight] = await outbox.claim(session, actors.clock.now(), lease, 10)
        await session.commit()
    await withdraw_scme_consent(client, world)

    assert await outbox_worker().run_once() == 1  # taken up, and put off
    withdrawal = next(m for m in await messages(actors) if m.topic == "scme.withdrawal")
    assert (withdrawal.status, withdrawal.attempts) == ("pending", 0)
    assert withdrawal.next_attempt_at == actors.clock.now() + lease
    assert fake_scme.hits == []

    actors.clock.set(actors.clock.now() + lease)  # type: ignore[attr-defined]
    assert await outbox_worker().run_once() == 1
    assert [hit.path for hit in fake_scme.hits] == [
        f"/job-referrals/{created.json()['id']}/withdrawal"
    ]
    assert in_flight.record_id == UUID(created.json()["id"])


async def test_scme_reads_a_referral_once_its_delivery_is_recorded(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    """A failed attempt is not a referral sent: SCME reads it, and reports on it, once a 2xx
    was recorded (an event before that is 404, to be sent again later)."""
    await consent(actors, world.person)
    created = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    url = f"{BASE}/{created.json()['id']}"
    fake_scme.script(statuses=[504])
    await outbox_worker().run_once()
    expect_problem(await client.get(url, headers=world.scme.headers), 404, "not_found")
    early = await client.post(
        f"{url}/events", json=event("early", "acknowledged"), headers=world.scme.headers
    )
    expect_problem(early, 404, "not_found")
    actors.clock.set(actors.clock.now() + timedelta(seconds=1))  # type: ignore[attr-defined]
    assert await outbox_worker().run_once() == 1
    seen = await client.get(url, headers=world.scme.headers)
    assert (seen.status_code, seen.json()["status"]) == (200, "sent")
    again = await client.post(
        f"{url}/events", json=event("early", "acknowledged"), headers=world.scme.headers
    )
    assert again.json()["status"] == "acknowledged"


async def test_a_closed_referral_is_withdrawn_at_scme_too(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    """SCME closed the search but still holds the name and phone: a withdrawal reaches it."""
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    closed = await client.post(
        f"{BASE}/{referral_id}/events", json=event("c", "closed"), headers=world.scme.headers
    )
    assert closed.json()["status"] == "closed"
    await withdraw_scme_consent(client, world)
    assert await outbox_worker().run_once() == 1
    assert fake_scme.bodies(f"/job-referrals/{referral_id}/withdrawal") != []
    shown = await client.get(f"{BASE}/{referral_id}", headers=world.worker.headers)
    assert shown.json()["status"] == "closed"


async def test_erasing_the_person_withdraws_the_referral_at_scme(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    referral_id = await sent_referral(client, actors, world, outbox_worker)
    coordinator = await actors.user(Role.COORDINATOR)
    erased = await client.post(
        f"/api/v1/victims/{world.person.id}/erase", headers=coordinator.headers
    )
    assert erased.status_code == 200, erased.text
    expect_problem(
        await client.get(f"{BASE}/{referral_id}", headers=world.scme.headers), 404, "not_found"
    )
    assert await outbox_worker().run_once() == 1
    assert fake_scme.bodies(f"/job-referrals/{referral_id}/withdrawal") != []
    async with actors.sessionmaker() as session:
        kept = await session.get_one(JobReferral, UUID(referral_id))
    assert (kept.status, kept.skills, kept.education) == ("withdrawn", [], None)


@pytest.mark.commits  # the worker sends while the request runs: two connections
async def test_a_delivery_landing_after_the_withdrawal_is_recorded_and_then_withdrawn(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    """The consent is withdrawn while SCME is still answering the referral: the 2xx is recorded
    (and audited: the data did leave), and the withdrawal follows it."""
    import asyncio

    await consent(actors, world.person)
    created = await client.post(BASE, json=body(world.person), headers=world.worker.headers)
    fake_scme.script(delays=[1.0])
    sending = asyncio.create_task(outbox_worker().run_once())
    await fake_scme.arrived()  # the referral is at SCME, its answer not yet back
    await withdraw_scme_consent(client, world)
    await sending

    referral = next(m for m in await messages(actors) if m.topic == "scme.job_referral")
    assert referral.status == "sent"
    async with actors.sessionmaker() as session:
        sends = (
            await session.exec(select(AuditEvent).where(col(AuditEvent.action) == "send"))
        ).all()
    assert [str(e.record_id) for e in sends] == [created.json()["id"]]
    assert await outbox_worker().run_once() == 1
    assert [hit.path for hit in fake_scme.hits][-1].endswith("/withdrawal")
