"""Care and rehabilitation plans: on a completed individual needs assessment, begun with the
person's consent, reviewed at staff meetings."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.dates import check_not_future
from app.domain.errors import InvalidTransition, InvalidValue
from app.domain.pathway import (
    CARE_PLAN_STEPS,
    CarePlanStatus,
    check_care_plan_basis,
    check_plan_consent,
    check_plan_duration,
)
from app.domain.rulebook import Rulebook
from app.domain.states import advance
from app.errors import Forbidden
from app.models import Assessment, CarePlan, CarePlanReview
from app.schemas.care_plans import CarePlanCreate, ReviewCreate
from app.security import Principal
from app.services import audit, facts, records
from app.services.audit import AuditAction
from app.services.pagination import PageParams, fetch_page


async def list_visible(
    session: AsyncSession, principal: Principal, page: PageParams, victim_id: UUID | None
) -> tuple[Sequence[CarePlan], str | None]:
    filters = [col(CarePlan.victim_id) == victim_id] if victim_id is not None else []
    return await records.page_visible(session, principal, CarePlan, page, *filters)


async def create(
    session: AsyncSession, principal: Principal, data: CarePlanCreate, rulebook: Rulebook
) -> CarePlan:
    if principal.organisation_id is None:
        raise Forbidden("Only a caller that belongs to an organisation draws up a plan.")
    victim = await facts.visible_victim(session, principal, data.victim_id)
    assessment = await session.get(Assessment, data.assessment_id)
    if assessment is None:
        raise InvalidValue("assessment_id", "No assessment has this id.")
    check_care_plan_basis(await facts.assessment_facts(session, assessment), victim.id)
    check_plan_duration(data.kind, data.planned_months, rulebook)
    plan = CarePlan(
        victim_id=victim.id,
        assessment_id=assessment.id,
        organisation_id=principal.organisation_id,
        kind=data.kind,
        goals=[goal.model_dump() for goal in data.goals],
        recovery_stage=data.recovery_stage,
        planned_months=data.planned_months,
        created_by=principal.actor_id,
        rulebook_version=rulebook.version,
    )
    session.add(plan)
    await session.flush()
    records.audit_change(session, principal, plan, AuditAction.CREATE)
    return plan


async def activate(
    session: AsyncSession, principal: Principal, plan: CarePlan, consent_given: bool, today: date
) -> CarePlan:
    """The plan begins with the person's consent to it and to the processing of their data."""
    check_plan_consent(plan.kind, await facts.consents_of(session, plan.victim_id), consent_given)
    plan.activated_on = today
    return await _step(session, principal, plan, "activate")


async def end(
    session: AsyncSession,
    principal: Principal,
    plan: CarePlan,
    action: str,
    ended_on: date,
    today: date,
) -> CarePlan:
    """``complete`` or ``terminate`` an active plan."""
    check_not_future("ended_on", ended_on, today)
    if plan.activated_on and ended_on < plan.activated_on:
        raise InvalidValue("ended_on", "A plan ends after it began.")
    plan.ended_on = ended_on
    return await _step(session, principal, plan, action)


async def _step(
    session: AsyncSession, principal: Principal, plan: CarePlan, action: str
) -> CarePlan:
    plan.status = advance(CARE_PLAN_STEPS, "care plan", plan.status, action)
    session.add(plan)
    await session.flush()
    records.audit_change(session, principal, plan, AuditAction.UPDATE)
    return plan


async def add_review(
    session: AsyncSession, principal: Principal, plan: CarePlan, data: ReviewCreate, today: date
) -> CarePlanReview:
    """A staff meeting's review; an ended plan is not reviewed any more."""
    if plan.status in (CarePlanStatus.COMPLETED, CarePlanStatus.TERMINATED):
        raise InvalidTransition("care plan", plan.status.value, "review")
    check_not_future("held_on", data.held_on, today)
    review = CarePlanReview(care_plan_id=plan.id, author_id=principal.actor_id, **data.model_dump())
    if data.recovery_stage is not None:
        plan.recovery_stage = data.recovery_stage
        session.add(plan)
    session.add(review)
    await session.flush()
    action = AuditAction.CREATE
    audit.record(
        session, principal, action, "care_plan_review", review.id, victim_id=plan.victim_id
    )
    return review


async def reviews_of(
    session: AsyncSession, principal: Principal, plan: CarePlan, page: PageParams
) -> tuple[Sequence[CarePlanReview], str | None]:
    query = select(CarePlanReview).where(CarePlanReview.care_plan_id == plan.id)
    reviews, cursor = await fetch_page(session, query, CarePlanReview.id, page)
    audit.record(
        session, principal, AuditAction.LIST, "care_plan_review", plan.id, victim_id=plan.victim_id
    )
    return reviews, cursor
