from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    PageDep,
    RulebookDep,
    SessionDep,
    VisibleCarePlan,
    require,
)
from app.domain.access import Action
from app.routers.common import created, resource_router, set_etag
from app.schemas.care_plans import (
    CarePlanActivate,
    CarePlanCreate,
    CarePlanEnd,
    CarePlanRead,
    ReviewCreate,
    ReviewRead,
)
from app.schemas.common import Page
from app.security import Principal
from app.services import care_plans, records

router = resource_router("/care-plans", "care plans")
Reader = Annotated[Principal, require(Action.CARE_PLAN_READ)]
Writer = Annotated[Principal, require(Action.CARE_PLAN_WRITE)]


@router.get("", summary="List care and rehabilitation plans of the persons the caller sees")
async def list_care_plans(
    principal: Reader, session: SessionDep, page: PageDep, victim_id: UUID | None = None
) -> Page[CarePlanRead]:
    items, cursor = await care_plans.list_visible(session, principal, page, victim_id)
    return Page(items=[CarePlanRead.model_validate(p) for p in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Draw up a plan on its completed basis (SOP-CAREPLAN-BASIS, MAN-REHAB-BASIS)",
)
async def create_care_plan(
    principal: Writer,
    body: CarePlanCreate,
    session: SessionDep,
    rulebook: RulebookDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> CarePlanRead:
    plan = await care_plans.create(session, principal, body, rulebook)
    created(request, response, "get_care_plan", plan.version, care_plan_id=str(plan.id))
    return CarePlanRead.model_validate(plan)


@router.get("/{care_plan_id}", summary="Read a plan")
async def get_care_plan(
    principal: Reader, plan: VisibleCarePlan, session: SessionDep, response: Response
) -> CarePlanRead:
    records.audit_read(session, principal, plan)
    set_etag(response, plan.version)
    return CarePlanRead.model_validate(plan)


@router.post("/{care_plan_id}/activate", summary="Begin the plan, with the person's consent")
async def activate_care_plan(
    principal: Writer,
    plan: VisibleCarePlan,
    body: CarePlanActivate,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> CarePlanRead:
    plan = await care_plans.activate(session, principal, plan, body, clock.today())
    set_etag(response, plan.version)
    return CarePlanRead.model_validate(plan)


@router.post("/{care_plan_id}/complete", summary="Record that the plan was completed")
async def complete_care_plan(
    principal: Writer,
    plan: VisibleCarePlan,
    body: CarePlanEnd,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> CarePlanRead:
    plan = await care_plans.end(session, principal, plan, "complete", body.ended_on, clock.today())
    set_etag(response, plan.version)
    return CarePlanRead.model_validate(plan)


@router.post("/{care_plan_id}/terminate", summary="End the plan before its time")
async def terminate_care_plan(
    principal: Writer,
    plan: VisibleCarePlan,
    body: CarePlanEnd,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> CarePlanRead:
    plan = await care_plans.end(session, principal, plan, "terminate", body.ended_on, clock.today())
    set_etag(response, plan.version)
    return CarePlanRead.model_validate(plan)


@router.get("/{care_plan_id}/reviews", summary="List the staff-meeting reviews of a plan")
async def list_care_plan_reviews(
    principal: Reader, plan: VisibleCarePlan, session: SessionDep, page: PageDep
) -> Page[ReviewRead]:
    items, cursor = await care_plans.reviews_of(session, principal, plan, page)
    return Page(items=[ReviewRead.model_validate(r) for r in items], next_cursor=cursor)


@router.post("/{care_plan_id}/reviews", status_code=201, summary="Record a staff-meeting review")
async def review_care_plan(
    principal: Writer,
    plan: VisibleCarePlan,
    body: ReviewCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> ReviewRead:
    review = await care_plans.add_review(session, principal, plan, body, clock.today())
    ids = {"care_plan_id": str(plan.id), "review_id": str(review.id)}
    response.headers["Location"] = request.app.url_path_for("get_care_plan_review", **ids)
    return ReviewRead.model_validate(review)


@router.get("/{care_plan_id}/reviews/{review_id}", summary="Read one staff-meeting review")
async def get_care_plan_review(
    principal: Reader, plan: VisibleCarePlan, review_id: UUID, session: SessionDep
) -> ReviewRead:
    review = await care_plans.get_review(session, principal, plan, review_id)
    return ReviewRead.model_validate(review)
