"""The outside systems for the tests: a fake SCME and a fake partner receiver, each a real
uvicorn server on a loopback socket (started once per run, emptied for each test), and the outbox
worker pointed at them; and a fake DNS for the webhook endpoints' names."""

import ipaddress
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.clock import Clock
from app.config import Settings
from app.integrations.fakes import FakePartner, FakeScme, Server
from app.integrations.worker import OutboxWorker
from app.services import webhook_endpoints

PARTNER_SECRET = "partner-signing-secret-0123456789abcdef"
SCME_TOKEN = "scme-issued-token-for-tests"


@pytest.fixture(scope="session")
def scme_server() -> Iterator[tuple[FakeScme, Server]]:
    fake = FakeScme(token=SCME_TOKEN)
    server = Server(fake.app()).start()
    yield fake, server
    server.stop()


@pytest.fixture(scope="session")
def partner_server() -> Iterator[tuple[FakePartner, Server]]:
    fake = FakePartner(PARTNER_SECRET)
    server = Server(fake.app()).start()
    yield fake, server
    server.stop()


@pytest.fixture
async def fake_scme(scme_server: tuple[FakeScme, Server]) -> AsyncIterator[FakeScme]:
    scme_server[0].reset()
    yield scme_server[0]
    await scme_server[0].settled()  # nothing of this test lands in the next one


@pytest.fixture
async def fake_partner(partner_server: tuple[FakePartner, Server]) -> AsyncIterator[FakePartner]:
    partner_server[0].reset()
    yield partner_server[0]
    await partner_server[0].settled()


@pytest.fixture
def partner_url(partner_server: tuple[FakePartner, Server]) -> str:
    return partner_server[1].url + "/events"


class FakeDns:
    """What the names resolve to, for the webhook checks (``webhook_endpoints.resolve``): each
    name's answers in turn, the last one repeated, so that a name can change its address
    between two lookups; a name without answers does not resolve, an address is itself."""

    def __init__(self) -> None:
        self.answers: dict[str, list[list[str]]] = {}
        self.lookups: list[str] = []

    def set(self, name: str, *answers: list[str]) -> None:
        self.answers[name] = list(answers)

    async def resolve(self, host: str, _port: int) -> list[str]:
        self.lookups.append(host)
        try:
            return [str(ipaddress.ip_address(host))]
        except ValueError:
            pass
        queue = self.answers.get(host, [])
        return queue.pop(0) if len(queue) > 1 else (queue[0] if queue else [])


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> FakeDns:
    fake = FakeDns()
    monkeypatch.setattr(webhook_endpoints, "resolve", fake.resolve)
    return fake


WorkerFactory = Callable[..., OutboxWorker]


@pytest.fixture
async def outbox_worker(
    app: FastAPI,
    settings: Settings,
    clock: Clock,
    scme_server: tuple[FakeScme, Server],
) -> AsyncIterator[WorkerFactory]:
    """Makes workers on the test database, sending to the fake SCME; backoff without jitter
    (half the nominal delay: 0.5 s, 1 s, 2 s ...) so that a test knows when the next try is due."""
    workers: list[OutboxWorker] = []

    def make(client: httpx.AsyncClient | None = None, **overrides: Any) -> OutboxWorker:
        tuned = settings.model_copy(
            update={
                "scme_base_url": scme_server[1].url,
                "scme_token": SecretStr(SCME_TOKEN),
                "outbox_timeout_seconds": 2.0,
                "outbox_backoff_seconds": 1.0,
            }
            | overrides
        )
        worker = OutboxWorker(
            app.state.sessionmaker, tuned, clock, client=client, jitter=lambda: 0.0
        )
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        await worker.aclose()
