from typing import Annotated

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    OwnWebhookEndpoint,
    PageDep,
    SessionDep,
    SettingsDep,
    require,
)
from app.domain.access import Action
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.webhook_endpoints import WebhookEndpointCreate, WebhookEndpointRead
from app.security import Principal
from app.services import webhook_endpoints

router = resource_router("/webhook-endpoints", "webhook endpoints")
Manager = Annotated[Principal, require(Action.WEBHOOK_MANAGE)]


@router.get("", summary="List the caller organisation's webhook endpoints")
async def list_webhook_endpoints(
    principal: Manager, session: SessionDep, page: PageDep
) -> Page[WebhookEndpointRead]:
    endpoints, cursor = await webhook_endpoints.list_own(session, principal, page)
    items = [WebhookEndpointRead.model_validate(e) for e in endpoints]
    return Page(items=items, next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Register an HTTPS endpoint and its signing secret for the organisation's events",
)
async def create_webhook_endpoint(
    principal: Manager,
    body: WebhookEndpointCreate,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> WebhookEndpointRead:
    endpoint = await webhook_endpoints.create(session, principal, body, settings, clock.now())
    ids = {"endpoint_id": str(endpoint.id)}
    created(request, response, "get_webhook_endpoint", endpoint.version, **ids)
    return WebhookEndpointRead.model_validate(endpoint)


@router.get("/{endpoint_id}", summary="Read a webhook endpoint (never its secret)")
async def get_webhook_endpoint(
    _: Manager, endpoint: OwnWebhookEndpoint, response: Response
) -> WebhookEndpointRead:
    set_etag(response, endpoint.version)
    return WebhookEndpointRead.model_validate(endpoint)


@router.post(
    "/{endpoint_id}/deactivate",
    summary="Stop deliveries to an endpoint; what still waits for it is cancelled",
)
async def deactivate_webhook_endpoint(
    principal: Manager,
    endpoint: OwnWebhookEndpoint,
    session: SessionDep,
    response: Response,
    _key: Idempotency,
) -> WebhookEndpointRead:
    endpoint = await webhook_endpoints.deactivate(session, principal, endpoint)
    set_etag(response, endpoint.version)
    return WebhookEndpointRead.model_validate(endpoint)
