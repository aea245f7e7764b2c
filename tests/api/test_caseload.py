"""CASELOAD-TRANSFER: who holds a case, and a worker's open work (the cases they hold, the drafts
they began) moved to a colleague by the shelter manager or the coordinator — a hundred records a
call, all or none, audited — and a user with open work not deactivated until it is moved."""

from typing import Any
from uuid import UUID

import httpx
import pytest
from sqlmodel import col, func, select

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus, CarePlanKind, FollowUpTrigger
from app.domain.vocabulary import OrganisationKind
from app.models import (
    Assessment,
    AuditEvent,
    CarePlan,
    CaseAssignment,
    FollowUpContact,
    Organisation,
    Victim,
)
from tests.api.pathway import API
from tests.factories import Actor, Actors, victim_body
from tests.helpers import expect_problem

RULE = "CASELOAD-TRANSFER"


class Team:
    """An NGO's manager and two social workers and a psychologist; another NGO's worker."""

    def __init__(self, actors: Actors) -> None:
        self.actors = actors

    async def build(self) -> "Team":
        actors = self.actors
        self.ngo: Organisation = await actors.organisation(OrganisationKind.NGO)
        self.other_ngo: Organisation = await actors.organisation(OrganisationKind.NGO)
        self.manager = await actors.user(Role.SHELTER_MANAGER, self.ngo)
        self.leaving = await actors.user(Role.SOCIAL_WORKER, self.ngo)
        self.staying = await actors.user(Role.SOCIAL_WORKER, self.ngo)
        self.psychologist = await actors.user(Role.PSYCHOLOGIST, self.ngo)
        self.outsider = await actors.user(Role.SOCIAL_WORKER, self.other_ngo)
        self.other_manager = await actors.user(Role.SHELTER_MANAGER, self.other_ngo)
        self.coordinator = await actors.user(Role.COORDINATOR)
        self.admin = await actors.user(Role.ADMIN)
        return self

    async def held_case(self, by: Actor) -> Victim:
        victim: Victim = await self.actors.victim(self.ngo)
        await self.actors.add(
            CaseAssignment(
                organisation_id=self.ngo.id,
                victim_id=victim.id,
                user_id=by.id,
                assigned_on=self.actors.clock.today(),
                assigned_by=self.manager.id,
            )
        )
        return victim

    async def draft(self, by: Actor, victim: Victim, kind: AssessmentKind) -> Assessment:
        draft: Assessment = await self.actors.add(
            Assessment(
                victim_id=victim.id,
                kind=kind,
                status=AssessmentStatus.DRAFT,
                organisation_id=self.ngo.id,
                author_id=by.id,
                author_role=by.role,
                rulebook_version="test",
            )
        )
        return draft


@pytest.fixture
async def team(actors: Actors) -> Team:
    return await Team(actors).build()


async def open_work(client: httpx.AsyncClient, team: Team, of: Actor) -> dict[str, Any]:
    answer = await client.get(f"{API}/users/{of.id}/open-work", headers=team.manager.headers)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def transfer(
    client: httpx.AsyncClient, by: Actor, giver: Actor, to: Actor | UUID
) -> httpx.Response:
    to_id = to.id if isinstance(to, Actor) else to
    return await client.post(
        f"{API}/users/{giver.id}/open-work/transfer",
        json={"to_user_id": str(to_id)},
        headers=by.headers,
    )


async def holders(actors: Actors, victim_id: UUID) -> dict[UUID, UUID]:
    async with actors.sessionmaker() as session:
        rows = (
            await session.exec(select(CaseAssignment).where(CaseAssignment.victim_id == victim_id))
        ).all()
        return {row.organisation_id: row.user_id for row in rows}


async def test_whoever_registers_a_case_holds_it_and_the_receiver_who_accepts_holds_it_there(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    made = await client.post(f"{API}/victims", json=victim_body(), headers=team.leaving.headers)
    assert made.status_code == 201, made.text
    victim_id = UUID(made.json()["id"])
    assert await holders(actors, victim_id) == {team.ngo.id: team.leaving.id}
    shown = await client.get(f"{API}/victims/{victim_id}/holders", headers=team.staying.headers)
    assert shown.status_code == 200, shown.text
    assert [(h["user_id"], h["organisation_id"]) for h in shown.json()] == [
        (str(team.leaving.id), str(team.ngo.id))
    ]
    # a coordinator registers without holding: the case waits for the manager to give it
    by_coordinator = await client.post(
        f"{API}/victims", json=victim_body(), headers=team.coordinator.headers
    )
    assert by_coordinator.status_code == 201, by_coordinator.text
    assert await holders(actors, UUID(by_coordinator.json()["id"])) == {}


async def test_the_accepting_worker_holds_the_referred_case_for_their_organisation(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    from tests.api.pathway import build_world

    world = await build_world(actors)
    body = {
        "victim_id": str(world.victim.id),
        "to_organisation_id": str(world.provider.id),
        "service": "social_counselling",
        "funding": "project",
        "referred_on": world.today.isoformat(),
    }
    made = await client.post(
        f"{API}/referrals", json=body, headers=world.directorate_worker.headers
    )
    assert made.status_code == 201, made.text
    accepted = await client.post(
        f"{API}/referrals/{made.json()['id']}/accept", headers=world.provider_worker.headers
    )
    assert accepted.status_code == 200, accepted.text
    assert await holders(actors, world.victim.id) == {world.provider.id: world.provider_worker.id}


async def test_open_work_lists_cases_and_drafts_and_a_transfer_moves_them_once(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    victim = await team.held_case(team.leaving)
    draft = await team.draft(team.leaving, victim, AssessmentKind.RISK)
    plan_basis = await team.draft(team.staying, victim, AssessmentKind.INDIVIDUAL_NEEDS)
    plan: CarePlan = await actors.add(
        CarePlan(
            victim_id=victim.id,
            assessment_id=plan_basis.id,
            organisation_id=team.ngo.id,
            kind=CarePlanKind.CARE,
            planned_months=6,
            created_by=team.leaving.id,
            rulebook_version="test",
        )
    )
    listed = await open_work(client, team, team.leaving)
    expected = [
        {"type": "case", "id": str(victim.id), "victim_id": str(victim.id)},
        {"type": "assessment_draft", "id": str(draft.id), "victim_id": str(victim.id)},
        {"type": "care_plan_draft", "id": str(plan.id), "victim_id": str(victim.id)},
    ]
    assert listed == {"items": expected, "total": 3}

    moved = await transfer(client, team.manager, team.leaving, team.staying)
    assert moved.status_code == 200, moved.text
    assert moved.json() == {"moved": expected, "remaining": 0}
    assert await holders(actors, victim.id) == {team.ngo.id: team.staying.id}
    async with actors.sessionmaker() as session:
        assert (await session.get_one(Assessment, draft.id)).author_id == team.staying.id
        assert (await session.get_one(CarePlan, plan.id)).created_by == team.staying.id
        events = (
            await session.exec(
                select(AuditEvent.record_type, AuditEvent.record_id).where(
                    AuditEvent.action == "transfer"
                )
            )
        ).all()
    assert sorted((t, str(i)) for t, i in events) == sorted((e["type"], e["id"]) for e in expected)
    assert await open_work(client, team, team.leaving) == {"items": [], "total": 0}
    again = await transfer(client, team.manager, team.leaving, team.staying)
    assert again.status_code == 200, again.text
    assert again.json() == {"moved": [], "remaining": 0}  # repeated: nothing moves twice


async def test_a_call_moves_at_most_a_hundred_records_and_says_what_is_left(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    for _ in range(103):
        await team.held_case(team.leaving)
    first = await transfer(client, team.coordinator, team.leaving, team.staying)
    assert first.status_code == 200, first.text
    assert (len(first.json()["moved"]), first.json()["remaining"]) == (100, 3)
    second = await transfer(client, team.coordinator, team.leaving, team.staying)
    assert (len(second.json()["moved"]), second.json()["remaining"]) == (3, 0)
    async with actors.sessionmaker() as session:
        count = select(func.count()).where(col(CaseAssignment.user_id) == team.staying.id)
        assert (await session.exec(count)).one() == 103


async def test_work_the_receiver_cannot_hold_moves_nothing_at_all(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    """A psychologist's psychological assessment draft cannot go to a social worker: neither it
    nor the case beside it moves."""
    victim = await team.held_case(team.psychologist)
    draft = await team.draft(team.psychologist, victim, AssessmentKind.PSYCHOLOGICAL)
    refused = await transfer(client, team.manager, team.psychologist, team.staying)
    body = expect_problem(refused, 422, "rule_violation", RULE)
    assert body["refused_records"] == [
        {"type": "assessment_draft", "id": str(draft.id), "victim_id": str(victim.id)}
    ]
    assert await holders(actors, victim.id) == {team.ngo.id: team.psychologist.id}
    assert (await open_work(client, team, team.psychologist))["total"] == 2
    psychologist = await actors.user(Role.PSYCHOLOGIST, team.ngo)
    moved = await transfer(client, team.manager, team.psychologist, psychologist)
    assert moved.status_code == 200, moved.text
    assert moved.json()["remaining"] == 0


@pytest.mark.parametrize("receiver", ["outsider", "coordinator", "admin", "unknown", "inactive"])
async def test_a_transfer_to_someone_who_cannot_take_the_work_is_refused_and_moves_nothing(
    client: httpx.AsyncClient, team: Team, actors: Actors, receiver: str
) -> None:
    victim = await team.held_case(team.leaving)
    if receiver == "unknown":
        to: Actor | UUID = UUID(int=7)
    elif receiver == "inactive":
        to = await actors.user(Role.SOCIAL_WORKER, team.ngo, active=False)
    else:
        to = getattr(team, receiver)
    refused = await transfer(client, team.manager, team.leaving, to)
    if receiver == "unknown":
        expect_problem(refused, 422, "validation_error")
    else:
        expect_problem(refused, 422, "rule_violation", RULE)
    assert await holders(actors, victim.id) == {team.ngo.id: team.leaving.id}


async def test_only_the_manager_of_the_organisation_or_the_coordinator_moves_work(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    victim = await team.held_case(team.leaving)
    by_other_manager = await transfer(client, team.other_manager, team.leaving, team.staying)
    expect_problem(by_other_manager, 404, "not_found")
    for caller in (team.staying, team.admin):
        expect_problem(await transfer(client, caller, team.leaving, team.staying), 403, "forbidden")
    listed = await client.get(
        f"{API}/users/{team.leaving.id}/open-work", headers=team.other_manager.headers
    )
    expect_problem(listed, 404, "not_found")
    assert await holders(actors, victim.id) == {team.ngo.id: team.leaving.id}
    moved = await transfer(client, team.coordinator, team.leaving, team.staying)
    assert moved.status_code == 200, moved.text


async def test_a_user_with_open_work_is_deactivated_only_once_it_has_moved(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    victim = await team.held_case(team.leaving)
    url = f"{API}/users/{team.leaving.id}/deactivate"
    refused = await client.post(url, headers=team.admin.headers)
    body = expect_problem(refused, 409, "open_work", RULE)
    assert body["open_records"] == [
        {"type": "case", "id": str(victim.id), "victim_id": str(victim.id)}
    ]
    assert body["total"] == 1
    done = await client.post(
        url, params={"move_open_work_to_manager": "true"}, headers=team.admin.headers
    )
    assert done.status_code == 200, done.text
    assert done.json()["active"] is False
    assert await holders(actors, victim.id) == {team.ngo.id: team.manager.id}


async def test_without_a_manager_to_take_it_the_deactivation_is_refused(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    victim = await team.held_case(team.manager)  # the manager is leaving: nobody to take it
    refused = await client.post(
        f"{API}/users/{team.manager.id}/deactivate",
        params={"move_open_work_to_manager": "true"},
        headers=team.admin.headers,
    )
    expect_problem(refused, 422, "rule_violation", RULE)
    assert await holders(actors, victim.id) == {team.ngo.id: team.manager.id}
    user = await client.get(f"{API}/users/{team.manager.id}", headers=team.admin.headers)
    assert user.json()["active"] is True


async def test_the_manager_gives_a_case_to_a_worker_of_an_organisation_that_works_on_it(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    victim: Victim = await actors.victim(team.ngo)  # registered before anyone held cases
    url = f"{API}/victims/{victim.id}/holder"
    given = await client.put(
        url, json={"user_id": str(team.staying.id)}, headers=team.manager.headers
    )
    assert given.status_code == 200, given.text
    assert given.json()["user_id"] == str(team.staying.id)
    again = await client.put(
        url, json={"user_id": str(team.leaving.id)}, headers=team.manager.headers
    )
    assert again.status_code == 200, again.text
    assert await holders(actors, victim.id) == {team.ngo.id: team.leaving.id}
    # the other NGO does not work on the case: its worker cannot hold it
    refused = await client.put(
        url, json={"user_id": str(team.outsider.id)}, headers=team.coordinator.headers
    )
    expect_problem(refused, 422, "rule_violation", RULE)
    by_worker = await client.put(
        url, json={"user_id": str(team.staying.id)}, headers=team.staying.headers
    )
    expect_problem(by_worker, 403, "forbidden")
    assert await holders(actors, victim.id) == {team.ngo.id: team.leaving.id}


async def test_worklist_items_follow_the_case_to_its_new_holder(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    victim = await team.held_case(team.leaving)
    contact: FollowUpContact = await actors.add(
        FollowUpContact(
            victim_id=victim.id,
            trigger=FollowUpTrigger.CASE_CLOSED,
            organisation_id=team.ngo.id,
            due_on=actors.clock.today(),
            rulebook_version="test",
        )
    )

    async def mine(worker: Actor, only_mine: bool = True) -> list[str]:
        answer = await client.get(
            f"{API}/worklist", params={"mine": str(only_mine).lower()}, headers=worker.headers
        )
        assert answer.status_code == 200, answer.text
        return [item["record_id"] for item in answer.json()["items"]]

    assert await mine(team.leaving) == [str(contact.id)]
    assert await mine(team.staying) == []
    assert await mine(team.staying, only_mine=False) == [str(contact.id)]  # the organisation's
    moved = await transfer(client, team.manager, team.leaving, team.staying)
    assert moved.status_code == 200, moved.text
    assert await mine(team.leaving) == []
    assert await mine(team.staying) == [str(contact.id)]


async def test_a_user_with_open_work_does_not_move_to_another_organisation_with_it(
    client: httpx.AsyncClient, team: Team, actors: Actors
) -> None:
    victim = await team.held_case(team.leaving)
    url = f"{API}/users/{team.leaving.id}"
    version = (await client.get(url, headers=team.admin.headers)).headers["etag"]
    moved = await client.patch(
        url,
        json={"organisation_id": str(team.other_ngo.id)},
        headers=team.admin.headers | {"If-Match": version},
    )
    expect_problem(moved, 409, "open_work", RULE)
    assert await holders(actors, victim.id) == {team.ngo.id: team.leaving.id}
    await transfer(client, team.manager, team.leaving, team.staying)
    again = await client.patch(
        url,
        json={"organisation_id": str(team.other_ngo.id)},
        headers=team.admin.headers | {"If-Match": version},
    )
    assert again.status_code == 200, again.text
