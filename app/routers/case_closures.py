"""Closing and reopening a case (MAN-CASE-CLOSE), and its history."""

from typing import Annotated

from fastapi import Response

from app.deps import ClockDep, Idempotency, PageDep, RulebookDep, SessionDep, VisibleVictim, require
from app.domain.access import Action
from app.presenters import present_victim
from app.routers.common import resource_router, set_etag
from app.schemas.case_closures import CaseClose, CaseClosureRead, CaseReopen
from app.schemas.common import Page
from app.schemas.victims import VictimView
from app.security import Principal
from app.services import case_closures

router = resource_router("/victims", "case closures")


Reader = Annotated[Principal, require(Action.VICTIM_READ)]


Closer = Annotated[Principal, require(Action.VICTIM_CLOSE)]


@router.post(
    "/{victim_id}/close",
    summary="Close the case with a reason, when nothing is open (MAN-CASE-CLOSE, MAN-EXIT)",
)
async def close_victim_case(
    principal: Closer,
    victim: VisibleVictim,
    body: CaseClose,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> VictimView:
    victim = await case_closures.close(session, principal, victim, body, clock.today(), rulebook)
    set_etag(response, victim.version)
    return present_victim(victim, principal.role)


@router.post("/{victim_id}/reopen", summary="Reopen a closed case, with the reason")
async def reopen_victim_case(
    principal: Closer,
    victim: VisibleVictim,
    body: CaseReopen,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> VictimView:
    victim = await case_closures.reopen(session, principal, victim, body.reason, clock.now())
    set_etag(response, victim.version)
    return present_victim(victim, principal.role)


@router.get("/{victim_id}/closures", summary="The case's closures and reopenings, newest first")
async def list_victim_closures(
    principal: Reader, victim: VisibleVictim, session: SessionDep, page: PageDep
) -> Page[CaseClosureRead]:
    items, cursor = await case_closures.closures_of(session, principal, victim, page)
    return Page(items=[CaseClosureRead.model_validate(c) for c in items], next_cursor=cursor)
