from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    PageDep,
    RulebookDep,
    SessionDep,
    VisibleAssessment,
    require,
)
from app.domain.access import Action
from app.domain.casework import AssessmentKind
from app.presenters import present_assessment
from app.routers.common import created, resource_router, set_etag
from app.schemas.assessments import AssessmentComplete, AssessmentCreate, AssessmentRead
from app.schemas.common import Page
from app.security import Principal
from app.services import assessments, records

router = resource_router("/assessments", "assessments")
Reader = Annotated[Principal, require(Action.ASSESSMENT_READ)]
Writer = Annotated[Principal, require(Action.ASSESSMENT_WRITE)]


@router.get("", summary="List assessments of the persons the caller sees")
async def list_assessments(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    victim_id: UUID | None = None,
    kind: AssessmentKind | None = None,
) -> Page[AssessmentRead]:
    items, cursor = await assessments.list_visible(session, principal, page, victim_id, kind)
    shown = [present_assessment(a, principal.role) for a in items]
    return Page(items=shown, next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Record an assessment (individual needs: due 20 days after contact)",
)
async def create_assessment(
    principal: Writer,
    body: AssessmentCreate,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> AssessmentRead:
    assessment = await assessments.create(session, principal, body, clock.today(), rulebook)
    ids = {"assessment_id": str(assessment.id)}
    created(request, response, "get_assessment", assessment.version, **ids)
    return present_assessment(assessment, principal.role)


@router.get("/{assessment_id}", summary="Read an assessment (health findings: health staff only)")
async def get_assessment(
    principal: Reader, assessment: VisibleAssessment, session: SessionDep, response: Response
) -> AssessmentRead:
    records.audit_read(session, principal, assessment)
    set_etag(response, assessment.version)
    return present_assessment(assessment, principal.role)


@router.post(
    "/{assessment_id}/complete",
    summary="Complete an assessment (a late one is recorded with its days late)",
)
async def complete_assessment(
    principal: Writer,
    assessment: VisibleAssessment,
    body: AssessmentComplete,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> AssessmentRead:
    assessment = await assessments.complete(
        session, principal, assessment, body, clock.today(), clock.now()
    )
    set_etag(response, assessment.version)
    return present_assessment(assessment, principal.role)
