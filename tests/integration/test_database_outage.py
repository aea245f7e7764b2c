"""The database fails and the service keeps answering (PostgreSQL): a TCP proxy the test
controls stands between the app and the server; killed (connections refused) and frozen (bytes
held, as a network partition does), every request answers 503 ``database_unavailable`` with
``Retry-After`` within 5 s, ``/health/ready`` within 2 s, nothing is half-written, and the
service recovers without a restart once the database is back."""

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.domain.access import Role
from app.main import create_app
from app.models import Victim
from tests import figures
from tests.conftest import FakeClock, migrated_postgres_database
from tests.factories import Actor, Actors, victim_body

pytestmark = pytest.mark.postgres_only

SLOWEST_ANSWER = 5.0  # seconds, for any request while the database is away
SLOWEST_READINESS = 2.0


class TcpProxy:
    """Forwards loopback connections to the database; can refuse them all (``kill``) or hold
    every byte in both directions (``freeze``)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = 0
        self.flowing = asyncio.Event()
        self.flowing.set()
        self.server: asyncio.Server | None = None
        self.links: list[asyncio.StreamWriter] = []

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def kill(self) -> None:
        assert self.server is not None
        self.server.close()
        for writer in self.links:
            writer.close()
        self.links.clear()
        await self.server.wait_closed()

    def freeze(self) -> None:
        self.flowing.clear()

    def thaw(self) -> None:
        self.flowing.set()

    async def _link(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(*self.target)
        self.links += [client_w, server_w]
        await asyncio.gather(
            self._pipe(client_r, server_w), self._pipe(server_r, client_w), return_exceptions=True
        )

    async def _pipe(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        try:
            while data := await source.read(65536):
                await self.flowing.wait()
                sink.write(data)
                await sink.drain()
        finally:
            sink.close()


class Tally:
    """Every answer while the database is away: its status, its time."""

    def __init__(self) -> None:
        self.answers: list[tuple[int, float]] = []

    async def timed(self, call: object) -> httpx.Response:
        started = time.monotonic()
        answer: httpx.Response = await call  # type: ignore[misc]
        self.answers.append((answer.status_code, time.monotonic() - started))
        return answer

    @property
    def other_5xx(self) -> int:
        return sum(1 for status, _ in self.answers if status >= 500 and status != 503)

    @property
    def too_slow(self) -> int:
        return sum(1 for _, took in self.answers if took > SLOWEST_ANSWER)

    def report(self, how: str) -> None:
        figures.report(
            f"database outage ({how})",
            requests=len(self.answers),
            **{"5xx other than 503": self.other_5xx},
            requests_over_5_s=self.too_slow,
        )


@pytest.fixture
def direct_url() -> Iterator[str]:
    with migrated_postgres_database("outage") as url:
        yield url


@pytest.fixture
async def world(
    direct_url: str,
) -> AsyncIterator[tuple[httpx.AsyncClient, TcpProxy, Actor, Actors]]:
    if True:
        url = make_url(direct_url)
        proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
        await proxy.start()
        settings = Settings(
            database_url=url.set(host="127.0.0.1", port=proxy.port).render_as_string(
                hide_password=False
            ),
            env="test",
            database_pool_size=2,
            database_connect_timeout_seconds=1.0,
            database_command_timeout_seconds=1.0,
            database_pool_timeout_seconds=1.0,
        )
        clock = FakeClock()
        clock.set(datetime.now(UTC))
        direct = create_engine(direct_url)
        actors = Actors(create_sessionmaker(direct), settings, clock)
        worker = await actors.user(Role.SOCIAL_WORKER)
        app = create_app(settings, clock)
        transport = httpx.ASGITransport(app=app)
        try:
            async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
                yield client, proxy, worker, actors
        finally:
            proxy.thaw()
            await app.state.engine.dispose()
            await direct.dispose()
            if proxy.server is not None:
                proxy.server.close()


async def _persons(actors: Actors) -> int:
    async with actors.sessionmaker() as session:
        return int((await session.exec(select(func.count()).select_from(Victim))).one()[0])


async def _while_away(client: httpx.AsyncClient, worker: Actor, tally: Tally) -> None:
    """Reads, a write and the readiness probe, each answered in time with 503."""
    for _ in range(3):
        read = await tally.timed(client.get("/api/v1/victims", headers=worker.headers))
        assert read.status_code == 503, read.text
        assert read.json()["code"] == "database_unavailable"
        assert int(read.headers["Retry-After"]) > 0
    write = await tally.timed(
        client.post("/api/v1/victims", json=victim_body(), headers=worker.headers)
    )
    assert write.status_code == 503, write.text
    started = time.monotonic()
    ready = await client.get("/health/ready")
    assert ready.status_code == 503
    assert time.monotonic() - started < SLOWEST_READINESS
    live = await client.get("/health/live")
    assert live.status_code == 200  # the process itself is fine


async def _recovers(client: httpx.AsyncClient, worker: Actor) -> None:
    """Back without a restart: at most one request meets a connection the outage broke."""
    statuses = []
    for _ in range(4):
        answer = await client.get("/api/v1/victims", headers=worker.headers)
        statuses.append(answer.status_code)
        if answer.status_code == 200:
            break
    assert statuses[-1] == 200 and set(statuses) <= {200, 503}, statuses
    assert (await client.get("/health/ready")).status_code == 200


async def test_the_database_refusing_connections_is_503_and_then_recovered(
    world: tuple[httpx.AsyncClient, TcpProxy, Actor, Actors],
) -> None:
    client, proxy, worker, actors = world
    assert (await client.get("/api/v1/victims", headers=worker.headers)).status_code == 200
    before = await _persons(actors)
    tally = Tally()

    await proxy.kill()
    await _while_away(client, worker, tally)
    tally.report("refused")
    assert (tally.other_5xx, tally.too_slow) == (0, 0), tally.answers

    await proxy.start()  # the same port again
    await _recovers(client, worker)
    assert await _persons(actors) == before  # the write answered 503 left nothing


async def test_a_frozen_network_to_the_database_is_503_in_time_and_then_recovered(
    world: tuple[httpx.AsyncClient, TcpProxy, Actor, Actors],
) -> None:
    client, proxy, worker, actors = world
    assert (await client.get("/api/v1/victims", headers=worker.headers)).status_code == 200
    before = await _persons(actors)
    tally = Tally()

    proxy.freeze()
    await _while_away(client, worker, tally)
    tally.report("frozen")
    assert (tally.other_5xx, tally.too_slow) == (0, 0), tally.answers

    proxy.thaw()
    await _recovers(client, worker)
    assert await _persons(actors) == before
