"""As a newcomer tries it: the API served by uvicorn on a real socket, its outbox worker running
in-process (what `make run` does), and a fake SCME beside it. A job referral made over HTTP
arrives at SCME without anyone running anything else."""

import asyncio
import time
from collections.abc import Awaitable, Callable

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr

from app.clock import Clock
from app.config import Settings
from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.integrations.fakes import FakeScme, Server
from app.main import create_app
from tests.factories import Actors
from tests.fakes import SCME_TOKEN

pytestmark = pytest.mark.commits  # real parallel connections, or a second app


async def eventually(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Polls: the in-process worker sends on its own schedule."""
    deadline = time.monotonic() + 15
    while not await check():
        assert time.monotonic() < deadline, what
        await asyncio.sleep(0.05)


async def test_a_job_referral_reaches_scme_from_the_running_service(
    app: FastAPI, actors: Actors, fake_scme: FakeScme, scme_server: tuple[FakeScme, Server]
) -> None:
    settings: Settings = app.state.settings  # the test's own database, which uvicorn serves
    served = settings.model_copy(
        update={
            "outbox_in_process": True,
            "outbox_poll_seconds": 0.1,
            "scme_base_url": scme_server[1].url,
            "scme_token": SecretStr(SCME_TOKEN),
        }
    )
    api = Server(create_app(served, Clock(served.zone)), lifespan=True).start()
    try:
        worker = await actors.user(Role.SOCIAL_WORKER)
        person = await actors.victim(await actors.home_of(worker))
        await actors.consent(person, ConsentPurpose.SCME_JOB_REFERRAL)
        body = {"victim_id": str(person.id), "profession": "tailor", "region": "Talas"}
        async with httpx.AsyncClient(base_url=api.url) as http:
            created = await http.post("/api/v1/job-referrals", json=body, headers=worker.headers)
            assert created.status_code == 201, created.text
            url = f"/api/v1/job-referrals/{created.json()['id']}"

            async def reached_scme() -> bool:
                return bool(fake_scme.kept)

            async def recorded_as_sent() -> bool:
                shown = await http.get(url, headers=worker.headers)
                return bool(shown.json()["status"] == "sent")

            await eventually(reached_scme, "the job referral never reached SCME")
            [received] = fake_scme.kept.values()
            assert received.body["job_referral_id"] == created.json()["id"]
            assert received.body["profession"] == "tailor"
            await eventually(recorded_as_sent, "the referral was not recorded as sent")
    finally:
        api.stop()
