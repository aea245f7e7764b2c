"""The outbox under real concurrency (PostgreSQL): workers racing for the same rows send each
message once; SCME reporting the same event at once applies it once."""

import asyncio
from uuid import uuid4

import httpx
import pytest
from sqlmodel import select

from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.domain.exchange import JobReferralStatus, Topic
from app.domain.vocabulary import OrganisationKind
from app.integrations.fakes import FakePartner
from app.integrations.worker import OutboxWorker
from app.models import JobReferral, JobReferralEvent, OutboxMessage, WebhookEndpoint
from tests.factories import Actors
from tests.fakes import PARTNER_SECRET, WorkerFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.commits]
MESSAGES = 40


async def queued_deliveries(actors: Actors, url: str) -> None:
    organisation = await actors.organisation(OrganisationKind.NGO)
    endpoint = await actors.add(
        WebhookEndpoint(organisation_id=organisation.id, url=url, secret=PARTNER_SECRET)
    )
    now = actors.clock.now()
    async with actors.sessionmaker() as session:
        for _ in range(MESSAGES):
            message = OutboxMessage(
                topic=Topic.WEBHOOK,
                organisation_id=organisation.id,
                endpoint_id=endpoint.id,
                record_id=uuid4(),
                next_attempt_at=now,
            )
            message.payload = {"id": str(message.id), "type": "referral.requested"}
            session.add(message)
        await session.commit()


async def drain(worker: OutboxWorker) -> int:
    handled = 0
    while batch := await worker.run_once():
        handled += batch
    return handled


async def test_two_workers_racing_send_each_message_once(
    actors: Actors, outbox_worker: WorkerFactory, fake_partner: FakePartner, partner_url: str
) -> None:
    await queued_deliveries(actors, partner_url)
    fake_partner.script(delays=[0.02] * MESSAGES)  # slow enough for the workers to overlap
    first, second = outbox_worker(outbox_batch_size=5), outbox_worker(outbox_batch_size=5)

    handled = await asyncio.gather(drain(first), drain(second))

    assert sum(handled) == MESSAGES
    assert min(handled) > 0, "both workers took part"
    keys = [hit.key for hit in fake_partner.hits]
    assert len(keys) == len(set(keys)) == MESSAGES  # not one request twice
    async with actors.sessionmaker() as session:
        messages = (await session.exec(select(OutboxMessage))).all()
    assert {(m.status, m.attempts) for m in messages} == {("sent", 1)}


async def test_the_same_scme_event_at_once_is_applied_once(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    ngo = await actors.organisation(OrganisationKind.NGO)
    person = await actors.victim(ngo)
    await actors.consent(person, ConsentPurpose.SCME_JOB_REFERRAL)
    referral = await actors.add(
        JobReferral(
            victim_id=person.id,
            organisation_id=ngo.id,
            profession="driver",
            region="Naryn",
            status=JobReferralStatus.SENT,
            created_by=uuid4(),
        )
    )
    scme = await actors.client(
        Role.SCME_SYSTEM, await actors.organisation(OrganisationKind.STATE_AGENCY)
    )
    event = {
        "event_id": "scme-77",
        "kind": "interview",
        "occurred_on": actors.clock.today().isoformat(),
    }
    url = f"/api/v1/job-referrals/{referral.id}/events"

    answers = await asyncio.gather(
        *(client.post(url, json=event, headers=scme.headers) for _ in range(8))
    )

    assert {a.status_code for a in answers} == {200}, [a.text for a in answers]
    assert {a.json()["version"] for a in answers} == {2}  # one change, seen by all
    async with actors.sessionmaker() as session:
        assert len((await session.exec(select(JobReferralEvent))).all()) == 1
