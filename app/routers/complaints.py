from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    HandledComplaint,
    Idempotency,
    PageDep,
    RulebookDep,
    SessionDep,
    require,
)
from app.domain.access import Action
from app.presenters import present_complaint
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.complaints import (
    ComplaintCreate,
    ComplaintMeeting,
    ComplaintRead,
    ComplaintReceipt,
    ComplaintResolution,
)
from app.security import Principal
from app.services import complaints, records

router = resource_router("/complaints", "complaints")
Recorder = Annotated[Principal, require(Action.COMPLAINT_RECORD)]
Handler = Annotated[Principal, require(Action.COMPLAINT_HANDLE)]


@router.get(
    "", summary="Complaints the caller handles (never one that names the caller; MAN-COMPLAINT)"
)
async def list_complaints(
    principal: Handler, session: SessionDep, page: PageDep, victim_id: UUID | None = None
) -> Page[ComplaintRead]:
    items, cursor = await complaints.list_handled(session, principal, page, victim_id)
    return Page(items=[ComplaintRead.model_validate(c) for c in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Record a resident's complaint or request for a private meeting (MAN-COMPLAINT)",
)
async def record_complaint(
    principal: Recorder,
    body: ComplaintCreate,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> ComplaintRead | ComplaintReceipt:
    complaint = await complaints.record(session, principal, body, clock.today(), rulebook)
    created(request, response, "get_complaint", complaint.version, complaint_id=str(complaint.id))
    return present_complaint(
        complaint, principal.role, principal.actor_id, principal.organisation_id
    )


@router.get("/{complaint_id}", summary="Read a complaint (never by the staff member it names)")
async def get_complaint(
    principal: Handler, complaint: HandledComplaint, session: SessionDep, response: Response
) -> ComplaintRead:
    records.audit_read(session, principal, complaint)
    set_etag(response, complaint.version)
    return ComplaintRead.model_validate(complaint)


@router.post("/{complaint_id}/meeting", summary="Record the private meeting about a complaint")
async def hold_complaint_meeting(
    principal: Handler,
    complaint: HandledComplaint,
    body: ComplaintMeeting,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> ComplaintRead:
    complaint = await complaints.hold_meeting(session, principal, complaint, body, clock.today())
    set_etag(response, complaint.version)
    return ComplaintRead.model_validate(complaint)


@router.post("/{complaint_id}/resolve", summary="Resolve a complaint")
async def resolve_complaint(
    principal: Handler,
    complaint: HandledComplaint,
    body: ComplaintResolution,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> ComplaintRead:
    complaint = await complaints.resolve(session, principal, complaint, body, clock.today())
    set_etag(response, complaint.version)
    return ComplaintRead.model_validate(complaint)
