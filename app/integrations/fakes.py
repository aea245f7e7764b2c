"""Stand-ins for the outside systems, on a real socket: a fake SCME and a fake partner receiver.

For development (``python -m app fake-scme``, see the README) and for the tests, which start them
on loopback and script their answers (fail with a status, answer late). Both keep what they
received in memory and drop a second copy of a request by its ``Idempotency-Key``, as the real
receivers are asked to. The partner checks the signature exactly as docs/integrations.md says.
"""

import asyncio
import hashlib
import hmac
import json
import logging
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

log = logging.getLogger("fake")


@dataclass
class Received:
    path: str
    key: str
    body: dict[str, Any]
    headers: dict[str, str]
    raw: bytes = b""


@dataclass
class FakeReceiver:
    """What arrived, what was kept, and the answers scripted for the next requests."""

    hits: list[Received] = field(default_factory=list)  # every request that reached it
    kept: dict[str, Received] = field(default_factory=dict)  # by Idempotency-Key, first copy
    statuses: list[int] = field(default_factory=list)  # answer these first (then 2xx)
    delays: list[float] = field(default_factory=list)  # seconds before the next answers
    retry_after: int | None = None  # sent with the scripted statuses
    answered: int = 0

    def reset(self) -> None:
        self.hits.clear()
        self.kept.clear()
        self.statuses.clear()
        self.delays.clear()
        self.retry_after = None
        self.answered = 0

    def script(
        self,
        statuses: list[int] | None = None,
        delays: list[float] | None = None,
        retry_after: int | None = None,
    ) -> None:
        self.statuses.extend(statuses or [])
        self.delays.extend(delays or [])
        self.retry_after = retry_after

    async def receive(self, request: Request, status: int = 200) -> Response:
        """Record, honour the script, keep the first copy of each key."""
        raw = await request.body()
        received = Received(
            request.url.path,
            request.headers.get("Idempotency-Key", ""),
            json.loads(raw or b"{}"),
            dict(request.headers),
            raw,
        )
        self.hits.append(received)
        try:
            return await self._answer(received, status)
        finally:
            self.answered += 1

    async def _answer(self, received: Received, status: int) -> Response:
        if self.delays:
            await asyncio.sleep(self.delays.pop(0))
        if self.statuses:
            headers = {"Retry-After": str(self.retry_after)} if self.retry_after else None
            return JSONResponse({"error": "scripted"}, self.statuses.pop(0), headers)
        if received.key in self.kept:
            return JSONResponse({"duplicate": True}, 200)
        self.kept[received.key] = received
        return JSONResponse({"received": True}, status)

    async def settled(self, seconds: float = 10) -> None:
        """Wait until every request that arrived has been answered (a slow one included)."""
        await self._until(lambda: self.answered >= len(self.hits), seconds)

    async def arrived(self, count: int = 1, seconds: float = 10) -> None:
        """Wait until ``count`` requests have reached the receiver (answered or not)."""
        await self._until(lambda: len(self.hits) >= count, seconds)

    @staticmethod
    async def _until(condition: Callable[[], bool], seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the fake receiver did not get there in time")
            await asyncio.sleep(0.01)

    def bodies(self, path_prefix: str = "") -> list[dict[str, Any]]:
        return [r.body for r in self.kept.values() if r.path.startswith(path_prefix)]


class FakeScme(FakeReceiver):
    """SCME's job-referral service: ``POST /job-referrals`` and ``.../{id}/withdrawal``;
    ``GET /job-referrals`` lists what it received (to look at in development)."""

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token = token
        self.withdrawn: set[str] = set()  # withdrawals remembered, also of unknown ids

    def reset(self) -> None:
        super().reset()
        self.withdrawn.clear()

    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/job-referrals", self._referral, methods=["POST"]),
                Route("/job-referrals", self._list, methods=["GET"]),
                Route("/job-referrals/{id}/withdrawal", self._withdrawal, methods=["POST"]),
            ]
        )

    def _authorised(self, request: Request) -> bool:
        return self.token is None or request.headers.get("Authorization") == f"Bearer {self.token}"

    async def _referral(self, request: Request) -> Response:
        if not self._authorised(request):
            return JSONResponse({"error": "unauthorised"}, 401)
        if (await request.json()).get("job_referral_id") in self.withdrawn:
            return JSONResponse({"error": "withdrawn before it arrived"}, 410)
        answer = await self.receive(request, 201)
        body = self.hits[-1].body
        log.warning(  # ids and the search, never the person's name
            "SCME received job referral %s: %s in %s (HTTP %s)",
            body.get("job_referral_id"),
            body.get("profession"),
            body.get("region"),
            answer.status_code,
        )
        return answer

    async def _withdrawal(self, request: Request) -> Response:
        if not self._authorised(request):
            return JSONResponse({"error": "unauthorised"}, 401)
        log.warning("SCME received a withdrawal of job referral %s", request.path_params["id"])
        self.withdrawn.add(request.path_params["id"])
        return await self.receive(request)

    async def _list(self, _: Request) -> Response:
        return JSONResponse({"items": self.bodies("/job-referrals")})


class FakePartner(FakeReceiver):
    """A partner NGO's webhook receiver at ``POST /events``: refuses a delivery whose signature
    does not verify or whose timestamp is older than five minutes."""

    TOLERANCE_SECONDS = 300

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret
        self.refused: list[str] = []

    def reset(self) -> None:
        super().reset()
        self.refused.clear()

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/events", self._event, methods=["POST"])])

    async def _event(self, request: Request) -> Response:
        raw = await request.body()
        if not self.verify(request.headers.get("VoT-Signature", ""), raw):
            self.refused.append(request.headers.get("Idempotency-Key", ""))
            return JSONResponse({"error": "bad signature"}, 401)
        return await self.receive(request)

    def verify(self, header: str, raw_body: bytes) -> bool:
        """The documented check (docs/integrations.md), written out as a partner would."""
        try:
            fields = dict(part.split("=", 1) for part in header.split(","))
            timestamp, received = int(fields["t"]), fields["v1"]
        except (KeyError, ValueError):
            return False
        if abs(time.time() - timestamp) > self.TOLERANCE_SECONDS:
            return False
        signed = f"{timestamp}.".encode() + raw_body
        expected = hmac.new(self.secret.encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, received)


class Server:
    """An ASGI app served by uvicorn in a thread, on a loopback socket: a real TCP server that
    can be stopped (the receiver is down) and started again on the same port."""

    def __init__(self, app: Starlette, port: int = 0, *, lifespan: bool = False) -> None:
        self.app = app
        self.port = port or _free_port()
        self.lifespan = lifespan
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Server":
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            lifespan="on" if self.lifespan else "off",
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the fake server did not start on port {self.port}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=30)
            if self._thread.is_alive():
                raise RuntimeError(f"the server on port {self.port} did not stop")
        self._server = self._thread = None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
