"""A crash loses nothing acknowledged (PostgreSQL): the API, serving a stream of writes, is
killed with SIGKILL; once it is back, every write it answered 2xx is there exactly once, none
is half-written, and retrying every write with its own `Idempotency-Key` creates nothing new —
a write that committed before the kill is answered again, one that did not is made once."""

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from uuid import uuid4

import httpx
import pytest
from sqlalchemy import func, select

from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.domain.access import Role
from app.models import AuditEvent, IdempotencyRecord, Victim
from tests import figures
from tests.conftest import FakeClock, migrated_postgres_database
from tests.factories import Actors, victim_body
from tests.processes import ROOT, free_port, wait_until_answering

pytestmark = pytest.mark.postgres_only

WRITES = 60
IN_FLIGHT = 6
KILL_AFTER = 20  # answers received before the kill


@pytest.fixture
def database() -> Iterator[str]:
    with migrated_postgres_database("crash") as url:
        yield url


class Api:
    """`python -m app serve` on the crash database, killed and started again at will."""

    def __init__(self, database: str) -> None:
        self.port = free_port()
        self.env = os.environ | {"APP_DATABASE_URL": database, "APP_ENV": "test"}
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [sys.executable, "-m", "app", "serve", "--port", str(self.port)]
        self.process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
            command, env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait_until_answering(f"{self.base}/health/ready", self.process)

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


async def _write(
    http: httpx.AsyncClient, headers: dict[str, str], key: str, number: int
) -> str | None:
    """One registration; its id if the API answered 2xx, None if the answer never came."""
    body = victim_body(given_name=f"Crash{number}")
    try:
        answer = await http.post(
            "/api/v1/victims", json=body, headers=headers | {"Idempotency-Key": key}
        )
    except httpx.TransportError:
        return None
    assert answer.status_code in (201, 503), answer.text
    return str(answer.json()["id"]) if answer.status_code == 201 else None


async def test_a_killed_api_loses_no_acknowledged_write_and_retries_create_nothing_new(
    database: str,
) -> None:
    clock = FakeClock()
    clock.set(datetime.now(UTC))
    direct = create_engine(database)
    api = Api(database)
    try:
        actors = Actors(create_sessionmaker(direct), _settings(database), clock)
        worker = await actors.user(Role.SOCIAL_WORKER)
        keys = [str(uuid4()) for _ in range(WRITES)]
        api.start()
        acknowledged: dict[str, str] = {}
        async with httpx.AsyncClient(base_url=api.base, timeout=10) as http:
            pending = iter(enumerate(keys))
            killed = False
            while not killed:
                batch = [next(pending, None) for _ in range(IN_FLIGHT)]
                batch = [b for b in batch if b is not None]
                if not batch:
                    break
                calls = [_write(http, worker.headers, key, n) for n, key in batch]
                if len(acknowledged) >= KILL_AFTER:  # kill while this batch is in flight
                    calls.append(asyncio.to_thread(api.kill))
                    killed = True
                results = await asyncio.gather(*calls)
                for (_, key), made in zip(batch, results, strict=False):
                    if made is not None:
                        acknowledged[key] = made
        assert killed, "the stream ended before the kill"

        api.start()  # the same database, a new process
        async with httpx.AsyncClient(base_url=api.base, timeout=10) as http:
            retried = {
                key: await _write(http, worker.headers, key, n) for n, key in enumerate(keys)
            }
        lost = [key for key, made in acknowledged.items() if retried[key] != made]
        async with direct.connect() as connection:
            persons = (await connection.execute(select(func.count()).select_from(Victim))).one()[0]
            created = (
                await connection.execute(
                    select(func.count(func.distinct(AuditEvent.record_id))).where(
                        AuditEvent.action == "create", AuditEvent.record_type == "victim"
                    )
                )
            ).one()[0]
            stored = (
                await connection.execute(select(func.count()).select_from(IdempotencyRecord))
            ).one()[0]
        figures.report(
            "crash (SIGKILL under a write stream)",
            writes_acknowledged=len(acknowledged),
            lost=len(lost),
            duplicates=persons - len(keys),
        )
        assert lost == []  # every acknowledged write answered again with its own id
        assert None not in retried.values()  # every write done once the API is back
        assert persons == len(keys) == len(set(retried.values()))  # one person per key
        assert created == persons and stored == persons  # none half-written
    finally:
        api.stop()
        await direct.dispose()


def _settings(database: str) -> Settings:
    return Settings(database_url=database, env="test")
