"""A worker's caseload (CASELOAD-TRANSFER): the cases they hold for their organisation and the
drafts they began, on cases still in work; moved to a colleague a hundred records a call, in
one transaction, each record audited. Worklist items follow the case they belong to."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlmodel import col, func, select, update
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.caseload import (
    TRANSFER_LIMIT,
    HeldWork,
    OpenWorkHeld,
    Worker,
    WorkType,
    check_held_for,
    check_receiver,
    check_shared,
    found_manager,
    holds_cases,
)
from app.domain.casework import AssessmentStatus, CarePlanStatus
from app.domain.closure import check_in_work
from app.domain.errors import InvalidValue
from app.domain.roles import Role
from app.domain.vocabulary import VictimStatus
from app.errors import NotFound
from app.models import Assessment, CarePlan, CaseAssignment, User, Victim
from app.security import Principal
from app.services import audit
from app.services.audit import AuditAction
from app.services.common import locked
from app.services.scope import kept_by_caller, organisation_sees


@dataclass(frozen=True)
class Transfer:
    moved: list[HeldWork]
    remaining: int


def hold_new_case(session: AsyncSession, principal: Principal, victim: Victim, today: date) -> None:
    """Whoever registers a case holds it for their organisation, if their role holds cases."""
    if principal.actor_type == "user" and holds_cases(principal.role):
        session.add(
            _assignment(principal, victim.id, principal.organisation, principal.actor_id, today)
        )


async def take_on_referred(
    session: AsyncSession, principal: Principal, victim_id: UUID, today: date
) -> None:
    """The worker who accepts a referral holds the case for the receiving organisation, unless
    somebody there already does."""
    if principal.actor_type != "user" or not holds_cases(principal.role):
        return
    held = await session.get(CaseAssignment, (principal.organisation, victim_id))
    if held is None:
        session.add(
            _assignment(principal, victim_id, principal.organisation, principal.actor_id, today)
        )


async def assign(
    session: AsyncSession, principal: Principal, victim: Victim, user_id: UUID, today: date
) -> CaseAssignment:
    """The manager (or the coordinator) gives a case to a worker of an organisation the case is
    shared with or belongs to; whoever held it there before lets it go."""
    check_in_work(victim.status, "be given to a worker")
    receiver = await _colleague(session, user_id, "user_id")
    organisation_id = _check_manages(principal, receiver.organisation_id)
    work = HeldWork(WorkType.CASE, victim.id, victim.id)
    check_receiver(organisation_id, _worker(receiver), [work])
    seen = select(Victim.id).where(Victim.id == victim.id, organisation_sees(organisation_id))
    check_shared((await session.exec(seen)).first() is not None)
    held = await session.get(CaseAssignment, (organisation_id, victim.id))
    if held is None:
        held = _assignment(principal, victim.id, organisation_id, receiver.id, today)
    else:
        held.user_id, held.assigned_on, held.assigned_by = receiver.id, today, principal.actor_id
    session.add(held)
    await session.flush()
    audit.record(session, principal, AuditAction.TRANSFER, "case", victim.id, victim_id=victim.id)
    return held


async def holders_of(
    session: AsyncSession, principal: Principal, victim: Victim
) -> Sequence[CaseAssignment]:
    """The coordinator sees every organisation's holder; others their own organisation's."""
    query = select(CaseAssignment).where(
        col(CaseAssignment.victim_id) == victim.id,
        kept_by_caller(principal, CaseAssignment.organisation_id),
    )
    return (await session.exec(query.order_by(col(CaseAssignment.organisation_id)))).all()


async def open_work_of(
    session: AsyncSession, principal: Principal, user: User
) -> tuple[list[HeldWork], int]:
    _check_manages(principal, user.organisation_id)
    return await open_work(session, user)


async def open_work(
    session: AsyncSession, user: User, limit: int = TRANSFER_LIMIT
) -> tuple[list[HeldWork], int]:
    """Up to ``limit`` records of the user's open work, cases first, and how many there are in
    all: two statements a kind, whatever the caseload."""
    shown: list[HeldWork] = []
    total = 0
    for kind in _KINDS:
        query = kind.query(user)
        total += (await session.exec(select(func.count()).select_from(query.subquery()))).one()
        if len(shown) < limit:
            rows = (
                await session.exec(query.order_by(kind.id_column).limit(limit - len(shown)))
            ).all()
            shown += [kind.held(row) for row in rows]
    return shown, total


async def transfer(
    session: AsyncSession, principal: Principal, giver: User, receiver_id: UUID, today: date
) -> Transfer:
    """Up to a hundred records of the giver's open work move to the receiver, all or none; a
    call repeated moves what is left, and once nothing is left, nothing. The giver's row is
    locked first, so two transfers of one caseload take their turns and move each record once."""
    organisation_id = _check_manages(principal, giver.organisation_id)
    if receiver_id == giver.id:
        raise InvalidValue("to_user_id", "The work is moved to somebody else.")
    receiver = await _colleague(session, receiver_id, "to_user_id")
    giver = await locked(session, User, giver.id)
    work, total = await open_work(session, giver)
    check_receiver(organisation_id, _worker(receiver), work)
    await _move(session, principal, giver, receiver, work, today)
    return Transfer(work, total - len(work))


async def release_for_deactivation(
    session: AsyncSession, principal: Principal, user: User, to_manager: bool, today: date
) -> None:
    """A user still holding open work is not deactivated (nor moved to another organisation),
    unless the caller asks for it to go to the organisation's shelter manager (all of it, in
    this transaction)."""
    work, total = await open_work(session, user)
    if user.organisation_id is None or not work:
        return  # work is held for an organisation
    if not to_manager or total > len(work):
        raise OpenWorkHeld(work, total)
    manager = await _manager_of(session, user)
    check_receiver(user.organisation_id, _worker(manager), work)
    await _move(session, principal, user, manager, work, today)


async def _move(
    session: AsyncSession,
    principal: Principal,
    giver: User,
    receiver: User,
    work: Sequence[HeldWork],
    today: date,
) -> None:
    """Only what the giver still holds moves, so two calls at once move each record once."""
    by_type = {t: [w.id for w in work if w.type is t] for t in WorkType}
    if cases := by_type[WorkType.CASE]:
        await session.exec(
            update(CaseAssignment)
            .where(
                col(CaseAssignment.organisation_id) == giver.organisation_id,
                col(CaseAssignment.victim_id).in_(cases),
                col(CaseAssignment.user_id) == giver.id,
            )
            .values(user_id=receiver.id, assigned_on=today, assigned_by=principal.actor_id)
        )
    if drafts := by_type[WorkType.ASSESSMENT_DRAFT]:
        await session.exec(
            update(Assessment)
            .where(col(Assessment.id).in_(drafts), col(Assessment.author_id) == giver.id)
            .values(
                author_id=receiver.id, author_role=receiver.role, version=Assessment.version + 1
            )
        )
    if plans := by_type[WorkType.CARE_PLAN_DRAFT]:
        await session.exec(
            update(CarePlan)
            .where(col(CarePlan.id).in_(plans), col(CarePlan.created_by) == giver.id)
            .values(created_by=receiver.id, version=CarePlan.version + 1)
        )
    for w in work:
        audit.record(
            session, principal, AuditAction.TRANSFER, w.type.value, w.id, victim_id=w.victim_id
        )
    await session.flush()


def _check_manages(principal: Principal, organisation_id: UUID | None) -> UUID:
    """The shelter manager moves the work of their own organisation; the coordinator any."""
    organisation_id = check_held_for(organisation_id)
    if principal.role is not Role.COORDINATOR and principal.organisation_id != organisation_id:
        raise NotFound("No such user.")
    return organisation_id


async def _colleague(session: AsyncSession, user_id: UUID, field: str) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise InvalidValue(field, "No user has this id.")
    return user


async def _manager_of(session: AsyncSession, user: User) -> User:
    """The organisation's longest-serving active shelter manager, the user aside."""
    query = (
        select(User)
        .where(
            col(User.organisation_id) == user.organisation_id,
            col(User.role) == Role.SHELTER_MANAGER,
            col(User.active).is_(True),
            col(User.id) != user.id,
        )
        .order_by(col(User.created_at), col(User.id))
    )
    return found_manager((await session.exec(query)).first())


def _worker(user: User) -> Worker:
    return Worker(user.organisation_id, user.role, user.active)


def _assignment(
    principal: Principal, victim_id: UUID, organisation_id: UUID, user_id: UUID, today: date
) -> CaseAssignment:
    return CaseAssignment(
        organisation_id=organisation_id,
        victim_id=victim_id,
        user_id=user_id,
        assigned_on=today,
        assigned_by=principal.actor_id,
    )


@dataclass(frozen=True)
class _Kind:
    """One kind of open work: the user's records of it on cases in work."""

    type: WorkType
    entity: Any
    id_column: Any
    held_by: Any
    conditions: Sequence[Any]
    kind_column: Any = None

    def query(self, user: User) -> Any:
        columns = [self.id_column, col(self.entity.victim_id)]
        if self.kind_column is not None:
            columns.append(self.kind_column)
        return (
            select(*columns)
            .join(Victim, col(Victim.id) == col(self.entity.victim_id))
            .where(
                self.held_by == user.id,
                col(self.entity.organisation_id) == user.organisation_id,
                col(Victim.status) == VictimStatus.ACTIVE,
                *self.conditions,
            )
        )

    def held(self, row: Any) -> HeldWork:
        return HeldWork(self.type, row[0], row[1], row[2] if self.kind_column is not None else None)


_KINDS = (
    _Kind(
        WorkType.CASE,
        CaseAssignment,
        col(CaseAssignment.victim_id),
        col(CaseAssignment.user_id),
        (),
    ),
    _Kind(
        WorkType.ASSESSMENT_DRAFT,
        Assessment,
        col(Assessment.id),
        col(Assessment.author_id),
        (col(Assessment.status) == AssessmentStatus.DRAFT,),
        col(Assessment.kind),
    ),
    _Kind(
        WorkType.CARE_PLAN_DRAFT,
        CarePlan,
        col(CarePlan.id),
        col(CarePlan.created_by),
        (col(CarePlan.status) == CarePlanStatus.DRAFT,),
    ),
)
