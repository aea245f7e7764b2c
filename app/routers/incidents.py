from typing import Annotated
from uuid import UUID

from fastapi import Query, Request, Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleIncident, require
from app.domain.access import Action
from app.presenters import present_incident
from app.routers.common import created, resource_router
from app.schemas.common import Page
from app.schemas.incidents import IncidentCreate, IncidentRead
from app.security import Principal
from app.services import incidents

router = resource_router("/incidents", "incidents")
Reader = Annotated[Principal, require(Action.INCIDENT_READ)]
Recorder = Annotated[Principal, require(Action.INCIDENT_RECORD)]
Acknowledger = Annotated[Principal, require(Action.INCIDENT_ACKNOWLEDGE)]


@router.get("", summary="Incidents at the caller's shelters (the coordinator: all)")
async def list_incidents(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    shelter_id: UUID | None = None,
    open_only: Annotated[
        bool, Query(alias="open", description="Only those not acknowledged yet.")
    ] = False,
) -> Page[IncidentRead]:
    items, cursor = await incidents.list_visible(session, principal, page, shelter_id, open_only)
    return Page(items=[present_incident(f) for f in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Record an incident at a shelter: it reaches the shelter manager and the "
    "coordinator at once (MAN-INCIDENT)",
)
async def record_incident(
    principal: Recorder,
    body: IncidentCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> IncidentRead:
    shown = await incidents.record(session, principal, body, clock.now(), clock.today())
    created(request, response, "get_incident", 1, incident_id=str(shown.record.id))
    return present_incident(shown)


@router.get("/{incident_id}", summary="Read an incident")
async def get_incident(
    principal: Reader, incident: VisibleIncident, session: SessionDep
) -> IncidentRead:
    return present_incident(await incidents.read(session, principal, incident))


@router.post(
    "/{incident_id}/acknowledge", summary="Acknowledge an incident: it leaves the worklists"
)
async def acknowledge_incident(
    principal: Acknowledger,
    incident: VisibleIncident,
    session: SessionDep,
    clock: ClockDep,
    _key: Idempotency,
) -> IncidentRead:
    return present_incident(await incidents.acknowledge(session, principal, incident, clock.now()))
