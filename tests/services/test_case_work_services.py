"""Service behaviour that is not HTTP: what a service writes or finds, called directly inside the
test's transaction."""

from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import httpx
import pytest
from fastapi import FastAPI
from sqlmodel import select

from app.domain.access import Role
from app.domain.casework import FollowUpTrigger
from app.domain.errors import InvalidTransition
from app.domain.protection import IncidentKind
from app.domain.rulebook import DEFAULT_RULEBOOK
from app.domain.shelter import StaySource, StayStatus
from app.models import FollowUpContact, Incident, ShelterStay
from app.security import Principal
from app.services import case_closures, follow_up_contacts, incidents
from app.services.follow_up_contacts import Exit
from tests.api.shelter_world import API, build_shelter_world
from tests.factories import Actors


def staff(organisation_id: UUID) -> Principal:
    return Principal("user", uuid4(), Role.SOCIAL_WORKER, organisation_id, None)


async def test_an_exit_schedules_its_follow_up_a_month_on_with_the_rulebook_in_force(
    app: FastAPI, actors: Actors
) -> None:
    world = await build_shelter_world(actors)
    left_on = date(2026, 3, 31)
    exit_ = Exit(world.woman.id, world.runner.id, left_on, FollowUpTrigger.CASE_CLOSED)
    async with app.state.sessionmaker() as session:
        made = await follow_up_contacts.schedule(
            session, staff(world.runner.id), exit_, DEFAULT_RULEBOOK
        )
        await session.commit()
    async with app.state.sessionmaker() as session:
        kept = (await session.exec(select(FollowUpContact))).one()
    assert (kept.id, kept.due_on, kept.trigger) == (
        made.id,
        left_on + timedelta(days=DEFAULT_RULEBOOK.follow_up_days),
        FollowUpTrigger.CASE_CLOSED,
    )
    assert (kept.organisation_id, kept.rulebook_version) == (world.runner.id, "kg-2026.1")


async def test_open_records_are_found_by_kind_and_state(app: FastAPI, actors: Actors) -> None:
    world = await build_shelter_world(actors)
    stays = [
        ShelterStay(
            victim_id=world.woman.id,
            shelter_id=world.adult.id,
            source=StaySource.SELF,
            status=status,
            pocket_money_per_day=Decimal("50.00"),
            proposed_on=world.today,
            proposed_by=world.worker.id,
            rulebook_version="kg-2026.1",
        )
        for status in (StayStatus.WITHDRAWN, StayStatus.DISCHARGED, StayStatus.PROPOSED)
    ]
    for stay in stays:
        await actors.add(stay)
    async with app.state.sessionmaker() as session:
        found = await case_closures.open_records(session, world.woman.id)
    assert [(r.type, r.id, r.status) for r in found] == [("shelter_stay", stays[2].id, "proposed")]


async def test_an_acknowledgement_that_loaded_the_incident_before_another_is_refused(
    app: FastAPI, actors: Actors, client: httpx.AsyncClient
) -> None:
    """MAN-INCIDENT: the coordinator's request read the incident open; the manager acknowledges
    it meanwhile. The coordinator's acknowledgement then sees the row as it is (locked) and is
    refused; it never overwrites who acknowledged it."""
    world = await build_shelter_world(actors)
    incident = await actors.add(
        Incident(
            shelter_id=world.adult.id,
            organisation_id=world.runner.id,
            kind=IncidentKind.THREAT,
            occurred_at=actors.clock.now(),
            police_called=False,
            recorded_by=world.worker.id,
            reported_on=world.today,
        )
    )
    coordinator = Principal("user", world.coordinator.id, Role.COORDINATOR, None, None, True)
    async with app.state.sessionmaker() as session:
        seen = await incidents.get_visible(session, coordinator, incident.id)
        assert seen.acknowledged_at is None
        first = await client.post(
            f"{API}/incidents/{incident.id}/acknowledge", headers=world.manager.headers
        )
        assert first.status_code == 200, first.text
        with pytest.raises(InvalidTransition):
            await incidents.acknowledge(session, coordinator, seen, actors.clock.now())
        assert seen.acknowledged_by == world.manager.id  # read again, as the manager left it
