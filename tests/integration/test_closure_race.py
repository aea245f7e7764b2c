"""MAN-CASE-CLOSE under concurrency: a case closed while a shelter stay is proposed (or a grant
submitted) for the person ends either closed with nothing open or open with that record, never
closed with it open. On PostgreSQL the closure locks the person's row and a new record or a
change share-locks it (it fails there without the locks); SQLite's writers are serial."""

import asyncio
from decimal import Decimal

import httpx
import pytest
from fastapi import FastAPI

from app.domain.access import Role
from app.domain.closure import ClosureReason
from app.domain.errors import OpenWork
from app.domain.rulebook import GrantForm
from app.models import GrantLine, ReintegrationGrant, Victim
from app.schemas.case_closures import CaseClose
from app.security import Principal
from app.services import case_closures, reintegration_grants
from tests.api.shelter_world import API, ShelterWorld, build_shelter_world, resident, stay_body
from tests.factories import Actors

pytestmark = pytest.mark.commits  # real parallel connections, or a second app

ROUNDS = 12


async def test_a_case_is_never_closed_with_a_record_opened_meanwhile(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    for _ in range(ROUNDS):
        person = await resident(actors, world)
        closing, proposing = await asyncio.gather(
            client.post(
                f"{API}/victims/{person.id}/close",
                json={"reason": "declined_further_help", "exit_information": "A leaflet."},
                headers=world.worker.headers,
            ),
            client.post(
                f"{API}/shelter-stays",
                json=stay_body(world, person),
                headers=world.worker.headers,
            ),
        )
        pair = (closing.status_code, proposing.status_code)
        assert pair in {(200, 409), (409, 201)}, (closing.text, proposing.text)
        code = (closing if pair == (409, 201) else proposing).json()["code"]
        assert code == ("open_work" if pair == (409, 201) else "invalid_transition")
        stays = await client.get(
            f"{API}/shelter-stays",
            params={"victim_id": str(person.id)},
            headers=world.worker.headers,
        )
        status = (
            await client.get(f"{API}/victims/{person.id}", headers=world.worker.headers)
        ).json()["status"]
        assert (status, len(stays.json()["items"])) in {("closed", 0), ("active", 1)}


@pytest.mark.postgres_only
async def test_a_closure_waits_for_a_grant_submitted_meanwhile_and_then_sees_it(
    app: FastAPI, actors: Actors
) -> None:
    """Step by step, in two connections: a submission in flight holds the person's row (shared)
    until it commits; the closure waits for it, then finds the submitted grant open, instead of
    closing the case around it."""
    world = await build_shelter_world(actors)
    person = await resident(actors, world)
    grant = await draft_grant(actors, world, person)
    worker = Principal("user", world.worker.id, Role.SOCIAL_WORKER, world.runner.id, None)
    sessions = app.state.sessionmaker
    rulebook = app.state.rulebook

    async def close() -> str:
        async with sessions() as closing:
            victim = await closing.get_one(Victim, person.id)
            body = CaseClose(reason=ClosureReason.REINTEGRATED, exit_information="A leaflet.")
            try:
                await case_closures.close(closing, worker, victim, body, world.today, rulebook)
            except OpenWork:
                return "open_work"
            await closing.commit()
            return "closed"

    async with sessions() as submitting:
        draft = await submitting.get_one(ReintegrationGrant, grant.id)
        await reintegration_grants.submit(submitting, worker, draft, actors.clock.now(), rulebook)
        closure = asyncio.create_task(close())
        await asyncio.sleep(0.5)
        assert not closure.done(), "the closure did not wait for the submission in flight"
        await submitting.commit()
    assert await closure == "open_work"


async def draft_grant(actors: Actors, world: ShelterWorld, person: Victim) -> ReintegrationGrant:
    grant = await actors.add(
        ReintegrationGrant(
            victim_id=person.id,
            form=GrantForm.BLUE,
            ngo_organisation_id=world.runner.id,
            period_start=world.today,
            period_end=world.today,
            total=Decimal("800.00"),
            author_id=world.worker.id,
            author_organisation_id=world.runner.id,
            rulebook_version="kg-2026.1",
        )
    )
    line = GrantLine(
        grant_id=grant.id,
        position=0,
        category="ngo_travel",
        amount=Decimal("800.00"),
        ceiling=Decimal("800.00"),
    )
    await actors.add(line)
    return grant  # type: ignore[no-any-return]
