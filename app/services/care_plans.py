"""Care, rehabilitation and reintegration plans: each on its basis (the SOP's individual needs
assessment, the psychologist's interview, the reintegration assessment), begun with the
person's consent, reviewed at the weekly staff meeting."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.care import check_plan_basis
from app.domain.casework import CARE_PLAN_STEPS, CarePlanStatus
from app.domain.dates import check_event_date, check_in_order, check_not_future
from app.domain.errors import InvalidValue
from app.domain.pathway import check_plan_consent, check_plan_duration
from app.domain.rulebook import Rulebook
from app.domain.states import advance
from app.errors import Forbidden, NotFound
from app.models import Assessment, CarePlan, CarePlanReview, Victim
from app.schemas.care_plans import CarePlanActivate, CarePlanCreate, ReviewCreate
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
    victim = await facts.visible_victim(session, principal, data.victim_id)
    assessment = await session.get(Assessment, data.assessment_id)
    if assessment is None or assessment.victim_id != victim.id:
        raise InvalidValue("assessment_id", "No assessment of this person has this id.")
    basis = await facts.assessment_facts(session, assessment)
    check_plan_basis(data.kind, basis, victim.id, principal.organisation)
    check_plan_duration(data.kind, data.planned_months, rulebook)
    plan = CarePlan(
        victim_id=victim.id,
        assessment_id=assessment.id,
        organisation_id=principal.organisation,
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
    session: AsyncSession,
    principal: Principal,
    plan: CarePlan,
    data: CarePlanActivate,
    today: date,
) -> CarePlan:
    """The plan begins with the person's consent to it and to the processing of their data, on
    the day it began (entered late, perhaps), after the assessment it rests on."""
    next_status = _next(principal, plan, "activate")
    consents = await facts.consents_of(session, plan.victim_id)
    check_plan_consent(plan.kind, consents, data.consent_given)
    activated_on = data.activated_on or today
    victim = await session.get_one(Victim, plan.victim_id)
    check_event_date("activated_on", activated_on, today, victim.identified_on)
    basis = await session.get_one(Assessment, plan.assessment_id)
    check_in_order(
        "activated_on",
        activated_on,
        basis.performed_on,
        "A plan begins after the assessment it rests on.",
    )
    plan.activated_on = activated_on
    return await records.save_step(session, principal, plan, next_status)


async def end(
    session: AsyncSession,
    principal: Principal,
    plan: CarePlan,
    action: str,
    ended_on: date | None,
    today: date,
) -> CarePlan:
    """``complete`` or ``terminate`` an active plan (on ``ended_on``, by default today)."""
    next_status = _next(principal, plan, action)
    ended_on = ended_on or today
    check_not_future("ended_on", ended_on, today)
    check_in_order("ended_on", ended_on, plan.activated_on, "A plan ends after it began.")
    plan.ended_on = ended_on
    return await records.save_step(session, principal, plan, next_status)


def _next(principal: Principal, plan: CarePlan, action: str) -> CarePlanStatus:
    """Only the organisation that keeps the plan acts on it; the table says what may follow."""
    if not keeps_record(principal.organisation_id, plan.organisation_id):
        raise Forbidden("The organisation that drew up the plan acts on it.")
    return advance(CARE_PLAN_STEPS, "care plan", plan.status, action)


async def add_review(
    session: AsyncSession, principal: Principal, plan: CarePlan, data: ReviewCreate, today: date
) -> CarePlanReview:
    """A staff meeting's review; it may move the plan to another recovery stage."""
    _next(principal, plan, "review")
    check_not_future("held_on", data.held_on, today)
    review = CarePlanReview(care_plan_id=plan.id, author_id=principal.actor_id, **data.model_dump())
    session.add(review)
    if data.recovery_stage is not None and data.recovery_stage != plan.recovery_stage:
        plan.recovery_stage = data.recovery_stage
        await records.save_step(session, principal, plan, plan.status)
    await session.flush()
    action = AuditAction.CREATE
    audit.record(
        session, principal, action, "care_plan_review", review.id, victim_id=plan.victim_id
    )
    return review


async def get_review(
    session: AsyncSession, principal: Principal, plan: CarePlan, review_id: UUID
) -> CarePlanReview:
    review = await session.get(CarePlanReview, review_id)
    if review is None or review.care_plan_id != plan.id:
        raise NotFound("No such review.")
    action = AuditAction.READ
    audit.record(
        session, principal, action, "care_plan_review", review.id, victim_id=plan.victim_id
    )
    return review


async def reviews_of(
    session: AsyncSession, principal: Principal, plan: CarePlan, page: PageParams
) -> tuple[Sequence[CarePlanReview], str | None]:
    query = select(CarePlanReview).where(CarePlanReview.care_plan_id == plan.id)
    reviews, cursor = await fetch_page(session, query, CarePlanReview.id, page)
    audit.record_reads(
        session, principal, "care_plan_review", [(r.id, plan.victim_id) for r in reviews]
    )
    return reviews, cursor
