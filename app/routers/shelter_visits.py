"""The visitor log of a shelter (MAN-VISITORS)."""

from typing import Annotated

from app.deps import ClockDep, ExistingShelter, Idempotency, PageDep, SessionDep, require
from app.domain.access import Action
from app.routers.common import resource_router
from app.schemas.common import Page
from app.schemas.shelter_visits import VisitCreate, VisitRead
from app.security import Principal
from app.services import shelter_visits

router = resource_router("/shelters", "shelter visits")


VisitRecorder = Annotated[Principal, require(Action.VISIT_RECORD)]


VisitReader = Annotated[Principal, require(Action.VISIT_READ)]


@router.get("/{shelter_id}/visits", summary="The visitor log (shelter manager and coordinator)")
async def list_shelter_visits(
    principal: VisitReader, shelter: ExistingShelter, session: SessionDep, page: PageDep
) -> Page[VisitRead]:
    items, cursor = await shelter_visits.log_of(session, principal, shelter, page)
    return Page(items=[VisitRead.model_validate(v) for v in items], next_cursor=cursor)


@router.post(
    "/{shelter_id}/visits",
    status_code=201,
    summary="Record a visit, with its justification (MAN-VISITORS)",
)
async def record_shelter_visit(
    principal: VisitRecorder,
    shelter: ExistingShelter,
    body: VisitCreate,
    session: SessionDep,
    clock: ClockDep,
    _key: Idempotency,
) -> VisitRead:
    visit = await shelter_visits.record(session, principal, shelter, body, clock.now())
    return VisitRead.model_validate(visit)
