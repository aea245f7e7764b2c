"""Races that only real parallel connections show (PostgreSQL; SQLite serialises writers)."""

import asyncio

import httpx
import pytest

from app.domain.access import Role
from tests.factories import Actor, Actors, victim_body

pytestmark = pytest.mark.postgres_only


async def test_concurrent_wrong_passwords_cannot_outrun_the_throttle(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    data = {"grant_type": "password", "username": worker.name, "password": "a wrong guess"}
    answers = await asyncio.gather(
        *(client.post("/api/v1/auth/token", data=data) for _ in range(12))
    )
    statuses = sorted(a.status_code for a in answers)
    assert statuses == [401] * 5 + [429] * 7


async def test_concurrent_retries_with_one_key_write_once_and_all_get_the_first_answer(
    client: httpx.AsyncClient, worker: Actor
) -> None:
    headers = worker.headers | {"Idempotency-Key": "raced"}
    answers = await asyncio.gather(
        *(client.post("/api/v1/victims", json=victim_body(), headers=headers) for _ in range(6))
    )
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    listed = await client.get("/api/v1/victims", headers=worker.headers)
    assert len(listed.json()["items"]) == 1


async def test_concurrent_refreshes_with_one_token_leave_at_most_one_winner(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    from tests.factories import PASSWORD

    worker = await actors.user(Role.SOCIAL_WORKER)
    login = {"grant_type": "password", "username": worker.name, "password": PASSWORD}
    refresh = (await client.post("/api/v1/auth/token", data=login)).json()["refresh_token"]
    data = {"grant_type": "refresh_token", "refresh_token": refresh}
    answers = await asyncio.gather(
        *(client.post("/api/v1/auth/token", data=data) for _ in range(6))
    )
    winners = [a for a in answers if a.status_code == 200]
    assert len(winners) <= 1
    # the reuse revoked the family: even the winner's new token is dead
    for winner in winners:
        again = {"grant_type": "refresh_token", "refresh_token": winner.json()["refresh_token"]}
        assert (await client.post("/api/v1/auth/token", data=again)).status_code == 401
