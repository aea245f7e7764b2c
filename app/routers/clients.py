from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import ClockDep, ExistingClient, Idempotency, PageDep, SessionDep, require
from app.domain.access import Action
from app.routers.common import created, resource_router, set_etag
from app.routing import replay_instead
from app.schemas.clients import ClientCreate, ClientCreated, ClientRead
from app.schemas.common import Page
from app.security import Principal
from app.services import clients

router = resource_router("/clients", "clients")
Admin = Annotated[Principal, require(Action.CLIENT_MANAGE)]


@router.get("", summary="List machine clients")
async def list_clients(
    _: Admin, session: SessionDep, page: PageDep, organisation_id: UUID | None = None
) -> Page[ClientRead]:
    items, cursor = await clients.list_clients(session, page, organisation_id)
    return Page(items=[ClientRead.model_validate(c) for c in items], next_cursor=cursor)


@router.post("", status_code=201, summary="Create a machine client; its secret is shown once")
async def create_client(
    principal: Admin,
    body: ClientCreate,
    session: SessionDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> ClientCreated:
    client, secret = await clients.create_client(session, principal, body)
    created(request, response, "get_client", client.version, client_id=str(client.id))
    shown = ClientRead.model_validate(client)
    replay_instead(request, shown)  # a retry gets the client, never the secret again
    return ClientCreated(**shown.model_dump(), client_secret=secret)


@router.get("/{client_id}", summary="Read a machine client")
async def get_client(_: Admin, client: ExistingClient, response: Response) -> ClientRead:
    set_etag(response, client.version)
    return ClientRead.model_validate(client)


@router.post("/{client_id}/deactivate", summary="Deactivate a machine client")
async def deactivate_client(
    principal: Admin,
    client: ExistingClient,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> ClientRead:
    client = await clients.deactivate_client(session, principal, client, clock.now())
    set_etag(response, client.version)
    return ClientRead.model_validate(client)
