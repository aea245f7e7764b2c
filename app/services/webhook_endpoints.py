"""Partner webhook endpoints: an organisation's own, registered by its manager or its system,
and the referral and consent events addressed to it."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.consent import ConsentPurpose
from app.domain.errors import Duplicate, InvalidValue
from app.domain.exchange import (
    OutboxStatus,
    WebhookEvent,
    check_endpoint_url,
    referral_event_recipients,
)
from app.errors import NotFound
from app.models import Consent, OutboxMessage, Referral, WebhookEndpoint
from app.schemas.webhook_endpoints import WebhookEndpointCreate
from app.security import Principal
from app.services import audit, outbox
from app.services.audit import AuditAction
from app.services.common import locked
from app.services.pagination import PageParams, fetch_page

RECORD = "webhook_endpoint"
MAX_ACTIVE_ENDPOINTS = 5  # each event is sent to every one: a bound on the fan-out


def _own_organisation(principal: Principal) -> UUID:
    return principal.organisation


async def create(
    session: AsyncSession,
    principal: Principal,
    data: WebhookEndpointCreate,
    allow_plain_http: bool,
    now: datetime,
) -> WebhookEndpoint:
    organisation_id = _own_organisation(principal)
    check_endpoint_url(data.url, allow_plain_http)
    active = await _active_urls(session, organisation_id)
    if data.url in active:
        raise Duplicate("This endpoint is registered already.")
    if len(active) >= MAX_ACTIVE_ENDPOINTS:
        raise InvalidValue("url", f"An organisation has at most {MAX_ACTIVE_ENDPOINTS} endpoints.")
    endpoint = WebhookEndpoint(
        organisation_id=organisation_id,
        url=data.url,
        secret=data.secret.get_secret_value(),
        created_at=now,
    )
    session.add(endpoint)
    await session.flush()
    audit.record(session, principal, AuditAction.CREATE, RECORD, endpoint.id)
    return endpoint


async def _active_urls(session: AsyncSession, organisation_id: UUID) -> list[str]:
    query = select(WebhookEndpoint.url).where(
        col(WebhookEndpoint.organisation_id) == organisation_id,
        col(WebhookEndpoint.active).is_(True),
    )
    return list((await session.exec(query)).all())


async def list_own(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[Sequence[WebhookEndpoint], str | None]:
    query = select(WebhookEndpoint).where(
        col(WebhookEndpoint.organisation_id) == _own_organisation(principal)
    )
    return await fetch_page(session, query, WebhookEndpoint.id, page)


async def get_own(
    session: AsyncSession, principal: Principal, endpoint_id: UUID
) -> WebhookEndpoint:
    endpoint = await session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None or endpoint.organisation_id != principal.organisation_id:
        raise NotFound("No such endpoint.")
    return endpoint


async def deactivate(
    session: AsyncSession, principal: Principal, endpoint: WebhookEndpoint
) -> WebhookEndpoint:
    """No more deliveries: what is still waiting for this endpoint is cancelled."""
    endpoint = await locked(session, WebhookEndpoint, endpoint.id)
    endpoint.active = False
    session.add(endpoint)
    waiting = (
        select(OutboxMessage)
        .where(
            col(OutboxMessage.endpoint_id) == endpoint.id,
            col(OutboxMessage.status) == OutboxStatus.PENDING,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    for message in (await session.exec(waiting)).all():
        outbox.cancel(session, message, "The endpoint was deactivated.")
    await session.flush()
    audit.record(session, principal, AuditAction.DEACTIVATE, RECORD, endpoint.id)
    return endpoint


async def active_endpoint(
    session: AsyncSession, endpoint_id: UUID | None
) -> WebhookEndpoint | None:
    endpoint = await session.get(WebhookEndpoint, endpoint_id) if endpoint_id else None
    return endpoint if endpoint is not None and endpoint.active else None


# --- the events ------------------------------------------------------------------------------


async def referral_changed(
    session: AsyncSession,
    principal: Principal,
    referral: Referral,
    event: WebhookEvent,
    now: datetime,
) -> None:
    """Tell the parties that did not act (their systems, if they registered endpoints)."""
    recipients = referral_event_recipients(
        referral.from_organisation_id, referral.to_organisation_id, principal.organisation_id
    )
    data = {
        "referral_id": referral.id,
        "victim_id": referral.victim_id,
        "status": referral.status.value,
    }
    await outbox.notify(session, event, recipients, data, now)


async def consent_changed(
    session: AsyncSession, consent: Consent, event: WebhookEvent, now: datetime
) -> None:
    """A consent to share with an organisation concerns that organisation: a withdrawal means
    it must stop using what it received (CONSENT-DISCLOSURE)."""
    if consent.purpose is not ConsentPurpose.SHARE_WITH_ORGANISATION:
        return
    if consent.recipient_organisation_id is None:
        return
    status = "withdrawn" if consent.withdrawn_at else "given"
    data = {"consent_id": consent.id, "victim_id": consent.victim_id, "status": status}
    await outbox.notify(session, event, [consent.recipient_organisation_id], data, now)
