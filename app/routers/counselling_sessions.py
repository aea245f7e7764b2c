from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleCounsellingSession, require
from app.domain.access import Action
from app.presenters import present_session
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.counselling_sessions import SessionCreate, SessionRead
from app.security import Principal
from app.services import counselling_sessions

router = resource_router("/sessions", "sessions")
Reader = Annotated[Principal, require(Action.SESSION_READ)]
Writer = Annotated[Principal, require(Action.SESSION_WRITE)]


@router.get("", summary="List counselling sessions of the persons the caller sees")
async def list_sessions(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    victim_id: UUID | None = None,
    care_plan_id: UUID | None = None,
) -> Page[SessionRead]:
    items, cursor = await counselling_sessions.list_visible(
        session, principal, page, victim_id, care_plan_id
    )
    return Page(items=[present_session(f, principal.role) for f in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Record an individual, group or family session (MAN-SESSIONS, SOP-FAMILY)",
)
async def record_session(
    principal: Writer,
    body: SessionCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> SessionRead:
    shown = await counselling_sessions.record(session, principal, body, clock.today())
    ids = {"session_id": str(shown.record.id)}
    created(request, response, "get_session", shown.record.version, **ids)
    return present_session(shown, principal.role)


@router.get("/{session_id}", summary="Read a session (notes: psychologist and medical officer)")
async def get_session(
    principal: Reader,
    counselling_session: VisibleCounsellingSession,
    session: SessionDep,
    response: Response,
) -> SessionRead:
    shown = await counselling_sessions.read(session, principal, counselling_session)
    set_etag(response, counselling_session.version)
    return present_session(shown, principal.role)
