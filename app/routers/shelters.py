"""Shelters, their capacity and occupancy (MAN-CAPACITY, MAN-CONFIDENTIAL-LOCATION)."""

from typing import Annotated

from fastapi import Request, Response

from app.deps import (
    ExistingShelter,
    Idempotency,
    IfMatch,
    PageDep,
    RulebookDep,
    SessionDep,
    require,
)
from app.domain.access import Action
from app.domain.rulebook import ShelterKind
from app.presenters import present_shelter
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.shelters import Occupancy, ShelterCreate, ShelterUpdate, ShelterView
from app.security import Principal
from app.services import shelters

router = resource_router("/shelters", "shelters")


Reader = Annotated[Principal, require(Action.SHELTER_READ)]


Manager = Annotated[Principal, require(Action.SHELTER_MANAGE)]


@router.get("", summary="List shelters (the address only for their own staff and the coordinator)")
async def list_shelters(
    principal: Reader, session: SessionDep, page: PageDep, kind: ShelterKind | None = None
) -> Page[ShelterView]:
    items, cursor = await shelters.list_page(session, page, kind)
    shown = [present_shelter(s, principal.role, principal.organisation_id) for s in items]
    return Page(items=shown, next_cursor=cursor)


@router.post("", status_code=201, summary="Create a shelter (MAN-CAPACITY: 10 adult, 16 children)")
async def create_shelter(
    principal: Manager,
    body: ShelterCreate,
    session: SessionDep,
    rulebook: RulebookDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> ShelterView:
    shelter = await shelters.create(session, principal, body, rulebook)
    created(request, response, "get_shelter", shelter.version, shelter_id=str(shelter.id))
    return present_shelter(shelter, principal.role, principal.organisation_id)


@router.get("/{shelter_id}", summary="Read a shelter")
async def get_shelter(
    principal: Reader, shelter: ExistingShelter, response: Response
) -> ShelterView:
    set_etag(response, shelter.version)
    return present_shelter(shelter, principal.role, principal.organisation_id)


@router.patch("/{shelter_id}", summary="Change a shelter's name, capacity or address")
async def update_shelter(
    principal: Manager,
    shelter: ExistingShelter,
    body: ShelterUpdate,
    if_match: IfMatch,
    session: SessionDep,
    rulebook: RulebookDep,
    response: Response,
) -> ShelterView:
    shelter = await shelters.update(session, principal, shelter, body, if_match, rulebook)
    set_etag(response, shelter.version)
    return present_shelter(shelter, principal.role, principal.organisation_id)


@router.get("/{shelter_id}/occupancy", summary="Places, residents and proposals of a shelter")
async def get_shelter_occupancy(
    _: Reader, shelter: ExistingShelter, session: SessionDep
) -> Occupancy:
    return await shelters.occupancy(session, shelter)
