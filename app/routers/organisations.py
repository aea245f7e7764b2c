from typing import Annotated

from fastapi import Request, Response

from app.deps import ExistingOrganisation, Idempotency, IfMatch, PageDep, SessionDep, require
from app.domain.access import Action
from app.domain.vocabulary import OrganisationKind
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.organisations import OrganisationCreate, OrganisationRead, OrganisationUpdate
from app.security import Principal
from app.services import organisations

router = resource_router("/organisations", "organisations")
Reader = Annotated[Principal, require(Action.ORGANISATION_READ)]
Writer = Annotated[Principal, require(Action.ORGANISATION_WRITE)]


@router.get("", summary="List organisations (the directory: no personal data)")
async def list_organisations(
    _: Reader, session: SessionDep, page: PageDep, kind: OrganisationKind | None = None
) -> Page[OrganisationRead]:
    items, cursor = await organisations.list_page(session, page, kind)
    return Page(items=[OrganisationRead.model_validate(o) for o in items], next_cursor=cursor)


@router.post("", status_code=201, summary="Create an organisation")
async def create_organisation(
    _: Writer,
    body: OrganisationCreate,
    session: SessionDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> OrganisationRead:
    organisation = await organisations.create(session, body)
    ids = {"organisation_id": str(organisation.id)}
    created(request, response, "get_organisation", organisation.version, **ids)
    return OrganisationRead.model_validate(organisation)


@router.get("/{organisation_id}", summary="Read an organisation")
async def get_organisation(
    _: Reader, organisation: ExistingOrganisation, response: Response
) -> OrganisationRead:
    set_etag(response, organisation.version)
    return OrganisationRead.model_validate(organisation)


@router.patch("/{organisation_id}", summary="Change an organisation's name, funding or licences")
async def update_organisation(
    _: Writer,
    organisation: ExistingOrganisation,
    body: OrganisationUpdate,
    if_match: IfMatch,
    session: SessionDep,
    response: Response,
) -> OrganisationRead:
    organisation = await organisations.update(session, organisation, body, if_match)
    set_etag(response, organisation.version)
    return OrganisationRead.model_validate(organisation)
