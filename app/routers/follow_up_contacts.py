from typing import Annotated
from uuid import UUID

from fastapi import Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleFollowUp, require
from app.domain.access import Action
from app.domain.casework import FollowUpStatus
from app.routers.common import resource_router, set_etag
from app.schemas.common import Page
from app.schemas.follow_up_contacts import FollowUpRead, FollowUpRecord
from app.security import Principal
from app.services import follow_up_contacts, records

router = resource_router("/follow-up-contacts", "follow-up contacts")
Reader = Annotated[Principal, require(Action.FOLLOW_UP_READ)]
Writer = Annotated[Principal, require(Action.FOLLOW_UP_WRITE)]


@router.get("", summary="List follow-up contacts of the persons the caller sees")
async def list_follow_up_contacts(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    victim_id: UUID | None = None,
    status: FollowUpStatus | None = None,
) -> Page[FollowUpRead]:
    items, cursor = await follow_up_contacts.list_visible(
        session, principal, page, victim_id, status
    )
    return Page(items=[FollowUpRead.model_validate(f) for f in items], next_cursor=cursor)


@router.get("/{follow_up_id}", summary="Read a follow-up contact")
async def get_follow_up_contact(
    principal: Reader, follow_up: VisibleFollowUp, session: SessionDep, response: Response
) -> FollowUpRead:
    records.audit_read(session, principal, follow_up)
    set_etag(response, follow_up.version)
    return FollowUpRead.model_validate(follow_up)


@router.post("/{follow_up_id}/record", summary="Record that the follow-up contact took place")
async def record_follow_up_contact(
    principal: Writer,
    follow_up: VisibleFollowUp,
    body: FollowUpRecord,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> FollowUpRead:
    follow_up = await follow_up_contacts.record(session, principal, follow_up, body, clock.today())
    set_etag(response, follow_up.version)
    return FollowUpRead.model_validate(follow_up)
