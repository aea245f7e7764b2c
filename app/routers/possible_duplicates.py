"""The same person registered twice (issue 17, DATA-DUPLICATE): what a caller is told of a
case's possible duplicates, the coordinator's list, and how the coordinator settles a pair —
merge the two records, or say they are not the same person."""

from typing import Annotated
from uuid import UUID

from fastapi import Path, Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleVictim, require
from app.domain.access import Action
from app.presenters import present_hint, present_victim
from app.routers.common import resource_router, set_etag
from app.schemas.common import Page
from app.schemas.possible_duplicates import (
    PossibleDuplicateHint,
    PossibleDuplicateRead,
    VictimMerge,
)
from app.schemas.victims import VictimView
from app.security import Principal
from app.services import possible_duplicates

router = resource_router("", "possible_duplicates")
Reader = Annotated[Principal, require(Action.DUPLICATE_READ)]
Resolver = Annotated[Principal, require(Action.DUPLICATE_RESOLVE)]


@router.get(
    "/victims/{victim_id}/possible-duplicates",
    summary="A case's possible duplicates, as the caller may know them (DATA-DUPLICATE)",
)
async def list_case_possible_duplicates(
    principal: Reader, victim: VisibleVictim, session: SessionDep
) -> list[PossibleDuplicateHint]:
    hints = await possible_duplicates.hints_for(session, principal, victim)
    return [present_hint(h) for h in hints]


@router.get("/possible-duplicates", summary="The open possible duplicates, newest first")
async def list_possible_duplicates(
    principal: Resolver, session: SessionDep, page: PageDep
) -> Page[PossibleDuplicateRead]:
    pairs, cursor = await possible_duplicates.list_open(session, principal, page)
    return Page(items=[PossibleDuplicateRead.model_validate(p) for p in pairs], next_cursor=cursor)


@router.post(
    "/possible-duplicates/{pair_id}/not-the-same",
    summary="Say the two records are different persons: the pair is not found again",
)
async def settle_not_the_same(
    principal: Resolver,
    pair_id: Annotated[UUID, Path()],
    session: SessionDep,
    clock: ClockDep,
    _key: Idempotency,
) -> PossibleDuplicateRead:
    pair = await possible_duplicates.get(session, pair_id)
    pair = await possible_duplicates.not_the_same(session, principal, pair, clock.now())
    return PossibleDuplicateRead.model_validate(pair)


@router.post(
    "/victims/{victim_id}/merge",
    summary="Merge this record into another record of the same person (DATA-DUPLICATE)",
)
async def merge_victim(
    principal: Resolver,
    victim: VisibleVictim,
    body: VictimMerge,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> VictimView:
    kept = await possible_duplicates.merge(
        session, principal, victim.id, body.into, clock.now(), clock.today()
    )
    set_etag(response, kept.version)
    return present_victim(kept, principal.role)
