"""The outbox against real receivers on loopback sockets: delivered once; a receiver down for a
while, failing, or too slow; attempts used up, then dead and retried through the API."""

from datetime import timedelta

import httpx
import pytest
from sqlmodel import select

from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.domain.exchange import Topic
from app.domain.vocabulary import OrganisationKind
from app.integrations.fakes import FakeScme, Server
from app.integrations.worker import SENDERS
from app.models import OutboxMessage, WebhookEndpoint
from tests.conftest import FakeClock
from tests.factories import Actor, Actors
from tests.fakes import WorkerFactory
from tests.helpers import expect_problem


@pytest.fixture
async def worker_actor(actors: Actors) -> Actor:
    return await actors.user(Role.SOCIAL_WORKER, await actors.organisation(OrganisationKind.NGO))


async def refer(client: httpx.AsyncClient, actors: Actors, worker: Actor) -> str:
    """A job referral made over the API: one message in the outbox."""
    home = await actors.home_of(worker)
    person = await actors.victim(home)
    await actors.consent(person, ConsentPurpose.SCME_JOB_REFERRAL)
    body = {"victim_id": str(person.id), "profession": "welder", "region": "Osh", "skills": []}
    answer = await client.post("/api/v1/job-referrals", json=body, headers=worker.headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def the_message(actors: Actors) -> OutboxMessage:
    async with actors.sessionmaker() as session:
        [message] = (await session.exec(select(OutboxMessage))).all()
        return message


def later(clock: FakeClock, seconds: float) -> None:
    clock.set(clock.now() + timedelta(seconds=seconds))


async def test_delivered_once(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    await refer(client, actors, worker_actor)
    worker = outbox_worker()
    assert await worker.run_once() == 1
    assert await worker.run_once() == 0  # nothing left: sent is sent
    assert len(fake_scme.hits) == 1
    message = await the_message(actors)
    assert (message.status, message.attempts, message.last_status_code) == ("sent", 1, 201)
    assert message.sent_at is not None
    assert fake_scme.hits[0].key == str(message.id)


async def test_receiver_down_for_a_while_then_up_is_delivered_exactly_once(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    clock: FakeClock,
) -> None:
    scme = FakeScme()
    server = Server(scme.app())  # its port, with nothing listening yet
    worker = outbox_worker(scme_base_url=server.url, scme_token=None)
    await refer(client, actors, worker_actor)

    for attempt in (1, 2):
        assert await worker.run_once() == 1
        message = await the_message(actors)
        assert (message.status, message.attempts) == ("pending", attempt)
        assert message.last_error is not None and "connection failed" in message.last_error
        assert await worker.run_once() == 0  # not due again before its backoff
        later(clock, 2 ** (attempt - 1))

    server.start()
    try:
        assert await worker.run_once() == 1
        assert await worker.run_once() == 0
    finally:
        server.stop()
    assert len(scme.hits) == 1
    message = await the_message(actors)
    assert (message.status, message.attempts) == ("sent", 3)


async def test_receiver_answers_500_then_200(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
    clock: FakeClock,
) -> None:
    await refer(client, actors, worker_actor)
    fake_scme.script(statuses=[500])
    worker = outbox_worker()
    await worker.run_once()
    failed = await the_message(actors)
    assert (failed.status, failed.last_status_code, failed.last_error) == (
        "pending",
        500,
        "HTTP 500",
    )
    assert failed.next_attempt_at == clock.now() + timedelta(seconds=0.5)
    later(clock, 0.5)
    await worker.run_once()
    assert [hit.key for hit in fake_scme.hits] == [str(failed.id)] * 2  # one key, every attempt
    assert len(fake_scme.kept) == 1
    assert (await the_message(actors)).status == "sent"


async def test_receiver_slower_than_the_timeout_is_tried_again_and_drops_the_copy(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
    clock: FakeClock,
) -> None:
    await refer(client, actors, worker_actor)
    fake_scme.script(delays=[1.5])  # answers after 1.5 s: past the worker's 0.3 s
    worker = outbox_worker(outbox_timeout_seconds=0.3)
    await worker.run_once()
    timed_out = await the_message(actors)
    assert timed_out.status == "pending"
    assert timed_out.last_error is not None and timed_out.last_error.startswith("timeout")
    later(clock, 0.5)
    await worker.run_once()
    assert (await the_message(actors)).status == "sent"
    await fake_scme.settled()  # the slow first request lands too: a copy, dropped by its key
    assert [hit.key for hit in fake_scme.hits] == [str(timed_out.id)] * 2
    assert len(fake_scme.kept) == 1


async def test_attempts_used_up_make_it_dead_for_the_coordinator_to_retry(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
    clock: FakeClock,
    coordinator: Actor,
) -> None:
    await refer(client, actors, worker_actor)
    fake_scme.script(statuses=[503, 503])
    worker = outbox_worker(outbox_max_attempts=2)
    await worker.run_once()
    later(clock, 0.5)
    await worker.run_once()
    later(clock, 60)
    assert await worker.run_once() == 0  # dead: no more attempts

    listed = await client.get(
        "/api/v1/outbox-messages", params={"status": "dead"}, headers=coordinator.headers
    )
    [dead] = listed.json()["items"]
    assert (dead["topic"], dead["attempts"], dead["last_error"], dead["last_status_code"]) == (
        "scme.job_referral",
        2,
        "HTTP 503",
        503,
    )
    retried = await client.post(
        f"/api/v1/outbox-messages/{dead['id']}/retry", headers=coordinator.headers
    )
    assert retried.status_code == 200, retried.text
    assert (retried.json()["status"], retried.json()["attempts"]) == ("pending", 0)
    assert await worker.run_once() == 1
    assert (await the_message(actors)).status == "sent"
    again = await client.post(
        f"/api/v1/outbox-messages/{dead['id']}/retry", headers=coordinator.headers
    )
    expect_problem(again, 409, "invalid_transition")


async def test_a_refusal_is_not_retried(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    await refer(client, actors, worker_actor)
    fake_scme.script(statuses=[422])
    await outbox_worker().run_once()
    message = await the_message(actors)
    assert (message.status, message.attempts, message.last_error) == ("dead", 1, "HTTP 422")


async def test_wrong_scme_credentials_are_a_refusal(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    await refer(client, actors, worker_actor)
    await outbox_worker(scme_token=None).run_once()
    assert (await the_message(actors)).last_status_code == 401
    assert fake_scme.kept == {}


async def test_retry_after_is_honoured(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
    clock: FakeClock,
) -> None:
    await refer(client, actors, worker_actor)
    fake_scme.script(statuses=[429], retry_after=30)
    await outbox_worker().run_once()
    message = await the_message(actors)
    assert message.next_attempt_at == clock.now() + timedelta(seconds=30)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.AUDITOR, Role.ADMIN, Role.SCME_SYSTEM])
async def test_the_outbox_is_not_for_everyone(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    answer = await client.get("/api/v1/outbox-messages", headers=caller.headers)
    expect_problem(answer, 403, "forbidden")


async def test_a_broken_endpoint_does_not_hold_up_the_others(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
) -> None:
    """A URL httpx cannot even build a request for fails alone; the rest of its batch is sent
    and recorded. Registration refuses such a URL now (a control character): this one was
    stored before."""
    home = await actors.home_of(worker_actor)
    manager = await actors.user(Role.SHELTER_MANAGER, home)
    broken = {"url": "http://127.0.0.1:9/events\x7f", "secret": "s" * 40}  # not printable
    refused = await client.post("/api/v1/webhook-endpoints", json=broken, headers=manager.headers)
    expect_problem(refused, 422, "validation_error")
    await actors.add(WebhookEndpoint(organisation_id=home.id, **broken))
    other = await actors.organisation(OrganisationKind.NGO)
    person = await actors.victim(other)
    colleague = await actors.user(Role.SOCIAL_WORKER, other)
    share = {"purpose": "share_with_organisation", "recipient_organisation_id": str(home.id)}
    given = await client.post(
        f"/api/v1/victims/{person.id}/consents", json=share, headers=colleague.headers
    )
    assert given.status_code == 201, given.text  # → a webhook for the broken endpoint
    await refer(client, actors, worker_actor)  # → an SCME message
    assert await outbox_worker().run_once() == 2
    async with actors.sessionmaker() as session:
        messages = {m.topic: m for m in (await session.exec(select(OutboxMessage))).all()}
    assert messages["scme.job_referral"].status == "sent"
    assert len(fake_scme.kept) == 1
    webhook = messages["webhook"]
    assert (webhook.status, webhook.attempts) == ("pending", 1)
    assert webhook.last_error is not None and webhook.last_error.startswith("request failed")


async def test_a_huge_retry_after_is_capped_at_the_longest_backoff(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
    clock: FakeClock,
) -> None:
    await refer(client, actors, worker_actor)
    fake_scme.script(statuses=[503], retry_after=10**12)
    await outbox_worker(outbox_backoff_max_seconds=900.0).run_once()
    assert (await the_message(actors)).next_attempt_at == clock.now() + timedelta(seconds=900)


async def test_a_late_answer_to_an_attempt_taken_over_is_not_recorded(
    client: httpx.AsyncClient,
    actors: Actors,
    worker_actor: Actor,
    outbox_worker: WorkerFactory,
    fake_scme: FakeScme,
    clock: FakeClock,
) -> None:
    """A worker stalls past its lease; another takes the message over and it fails there. The
    first worker's failure, arriving late, does not overwrite the second's record."""
    from app.services import outbox

    await refer(client, actors, worker_actor)
    async with actors.sessionmaker() as session:
        [stalled] = await outbox.claim(session, clock.now(), timedelta(seconds=5), 10)
        stalled_token = stalled.lease_token
        await session.commit()
    later(clock, 6)
    fake_scme.script(statuses=[500])
    await outbox_worker().run_once()  # the takeover: attempt 2, failed, next try scheduled
    after_takeover = await the_message(actors)
    async with actors.sessionmaker() as session:
        late = await outbox.failed(
            session, stalled.id, stalled_token, "timeout", None, retry_at=None
        )
        await session.commit()
    assert late is None
    unchanged = await the_message(actors)
    assert (unchanged.status, unchanged.attempts, unchanged.last_error) == (
        after_takeover.status,
        2,
        "HTTP 500",
    )


def test_every_topic_has_its_sender() -> None:
    """A topic without a sender would fail in the worker: the table names one for each."""
    assert set(SENDERS) == set(Topic)
