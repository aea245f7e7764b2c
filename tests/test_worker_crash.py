"""The outbox resumes after its worker is killed: `python -m app worker`, sending job referrals
to the fake SCME, is killed with SIGKILL mid-stream; a new worker delivers the rest, the message
the dead one held included once its lease runs out, and every copy of a message that reached
SCME carries that message's one `Idempotency-Key` (so SCME keeps each once)."""

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import func, select

from app.db import create_engine, create_sessionmaker
from app.domain.consent import ConsentPurpose
from app.domain.exchange import Topic
from app.domain.vocabulary import OrganisationKind, Sex
from app.integrations.fakes import FakeScme, Server
from app.models import Consent, JobReferral, Organisation, OutboxMessage, Victim
from app.services import outbox
from tests import figures
from tests.fakes import SCME_TOKEN
from tests.test_cli import ROOT, run

MESSAGES = 8


async def _queue(database: Path) -> list[str]:
    """Job referrals of consenting persons, each queued for SCME: the messages' ids."""
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            ngo = Organisation(name="Crash NGO", name_key="crash ngo", kind=OrganisationKind.NGO)
            session.add(ngo)
            await session.flush()
            for n in range(MESSAGES):
                person = Victim(
                    organisation_id=ngo.id,
                    registration_number=f"VT-CRASH-{n:05d}",
                    given_name="Given",
                    family_name="Family",
                    birth_date=date(1990, 1, 1),
                    sex=Sex.FEMALE,
                )
                session.add(person)
                await session.flush()
                session.add(
                    Consent(
                        victim_id=person.id,
                        purpose=ConsentPurpose.SCME_JOB_REFERRAL,
                        given_on=datetime.now(UTC).date(),
                        given_at=datetime.now(UTC),
                        recorded_by=person.id,
                    )
                )
                referral = JobReferral(
                    victim_id=person.id,
                    organisation_id=ngo.id,
                    profession=f"cook-{n}",
                    region="Naryn",
                    created_by=person.id,
                )
                session.add(referral)
                await session.flush()
                outbox.enqueue(
                    session, Topic.SCME_JOB_REFERRAL, datetime.now(UTC), record_id=referral.id
                )
            await session.flush()
            ids = (await session.exec(select(OutboxMessage.id))).scalars().all()
        return [str(i) for i in ids]
    finally:
        await engine.dispose()


async def _unsent(database: Path) -> int:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with engine.connect() as connection:
            query = select(func.count()).where(OutboxMessage.sent_at.is_(None))  # type: ignore[union-attr]
            return int((await connection.execute(query)).one()[0])
    finally:
        await engine.dispose()


def test_a_killed_worker_is_resumed_and_every_copy_keeps_its_key(
    tmp_path: Path, scme_server: tuple[FakeScme, Server]
) -> None:
    fake, server = scme_server
    fake.reset()
    database = tmp_path / "app.db"
    assert run(["-m", "alembic", "upgrade", "head"], database).returncode == 0
    message_ids = asyncio.run(_queue(database))
    fake.script(delays=[0.4] * MESSAGES)  # slow answers: the kill lands mid-stream
    env = os.environ | {
        "APP_DATABASE_URL": f"sqlite+aiosqlite:///{database}",
        "APP_SCME_BASE_URL": server.url,
        "APP_SCME_TOKEN": SCME_TOKEN,
        "APP_OUTBOX_TIMEOUT_SECONDS": "1",
        "APP_OUTBOX_BATCH_SIZE": "1",
    }
    command = [sys.executable, "-m", "app", "worker"]
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL) as worker:  # noqa: S603
        deadline = time.monotonic() + 60
        while len(fake.hits) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    delivered_before = len(fake.kept)
    assert 0 < delivered_before < MESSAGES, "the kill did not land mid-stream"

    deadline = time.monotonic() + 90  # a message the dead worker held waits out its lease
    while asyncio.run(_unsent(database)) and time.monotonic() < deadline:
        again = run(["-m", "app", "worker", "--once"], database, **env)
        assert again.returncode == 0, again.stderr
        time.sleep(1)

    keys_by_referral: dict[str, set[str]] = {}
    for hit in fake.hits:
        keys_by_referral.setdefault(str(hit.body.get("profession")), set()).add(hit.key)
    figures.report(
        "outbox after a worker kill",
        messages=MESSAGES,
        delivered=len(fake.kept),
        keys_changed=sum(len(keys) - 1 for keys in keys_by_referral.values()),
    )
    assert asyncio.run(_unsent(database)) == 0
    assert sorted(fake.kept) == sorted(message_ids)  # each message, under its own key
    assert all(len(keys) == 1 for keys in keys_by_referral.values()), keys_by_referral
