from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    IfMatch,
    PageDep,
    RulebookDep,
    SessionDep,
    VisibleReturn,
    require,
)
from app.domain.access import Action
from app.domain.reintegration import ReturnStatus
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.returns import ReturnCreate, ReturnRead, ReturnStep, ReturnUpdate
from app.security import Principal
from app.services import records, returns

router = resource_router("/returns", "returns")
Reader = Annotated[Principal, require(Action.RETURN_READ)]
Writer = Annotated[Principal, require(Action.RETURN_WRITE)]


@router.get("", summary="List returns home and family reunifications of the persons seen")
async def list_returns(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    victim_id: UUID | None = None,
    status: ReturnStatus | None = None,
) -> Page[ReturnRead]:
    items, cursor = await returns.list_visible(session, principal, page, victim_id, status)
    return Page(items=[ReturnRead.model_validate(r) for r in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Plan a return home or a family reunification the person decided on (MAN-RETURN)",
)
async def plan_return(
    principal: Writer,
    body: ReturnCreate,
    session: SessionDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> ReturnRead:
    journey = await returns.plan(session, principal, body)
    created(request, response, "get_return", journey.version, return_id=str(journey.id))
    return ReturnRead.model_validate(journey)


@router.get("/{return_id}", summary="Read a return")
async def get_return(
    principal: Reader, journey: VisibleReturn, session: SessionDep, response: Response
) -> ReturnRead:
    records.audit_read(session, principal, journey)
    set_etag(response, journey.version)
    return ReturnRead.model_validate(journey)


@router.patch("/{return_id}", summary="Change the plan of a return before the person leaves")
async def change_return(
    principal: Writer,
    journey: VisibleReturn,
    body: ReturnUpdate,
    if_match: IfMatch,
    session: SessionDep,
    response: Response,
) -> ReturnRead:
    journey = await returns.change(session, principal, journey, body, if_match)
    set_etag(response, journey.version)
    return ReturnRead.model_validate(journey)


async def _step(
    action: str,
    principal: Principal,
    journey: VisibleReturn,
    body: ReturnStep,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
) -> ReturnRead:
    journey = await returns.step(session, principal, journey, action, body, clock.today(), rulebook)
    set_etag(response, journey.version)
    return ReturnRead.model_validate(journey)


@router.post("/{return_id}/depart", summary="The person left, with the documents needed")
async def depart(
    principal: Writer,
    journey: VisibleReturn,
    body: ReturnStep,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> ReturnRead:
    return await _step("depart", principal, journey, body, session, clock, rulebook, response)


@router.post("/{return_id}/arrive", summary="The person arrived: the follow-up contact is arranged")
async def arrive(
    principal: Writer,
    journey: VisibleReturn,
    body: ReturnStep,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> ReturnRead:
    return await _step("arrive", principal, journey, body, session, clock, rulebook, response)


@router.post("/{return_id}/cancel", summary="The return is called off (with the reason)")
async def cancel_return(
    principal: Writer,
    journey: VisibleReturn,
    body: ReturnStep,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> ReturnRead:
    return await _step("cancel", principal, journey, body, session, clock, rulebook, response)
