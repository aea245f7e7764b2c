"""Partner webhook endpoints: an organisation's own, registered by its manager or its system,
and the referral and consent events addressed to it. An endpoint's secret is kept encrypted
(Fernet, the keys of ``APP_WEBHOOK_SECRET_KEYS``) and decrypted only to sign a delivery."""

import asyncio
import logging
import socket
from collections.abc import Sequence
from datetime import datetime
from functools import lru_cache
from uuid import UUID

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.domain.consent import ConsentPurpose
from app.domain.errors import Duplicate, InvalidValue
from app.domain.exchange import (
    OutboxStatus,
    WebhookEvent,
    check_endpoint_url,
    endpoint_target,
    is_public_address,
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
RESOLVE_SECONDS = 5.0  # a name server that does not answer refuses a registration in time

log = logging.getLogger(__name__)


def _own_organisation(principal: Principal) -> UUID:
    return principal.organisation


async def create(
    session: AsyncSession,
    principal: Principal,
    data: WebhookEndpointCreate,
    settings: Settings,
    now: datetime,
) -> WebhookEndpoint:
    """An endpoint is HTTPS on a public name or address, and its name resolves, now, to public
    addresses only (each delivery checks them again: webhooks.py). ``APP_WEBHOOK_ALLOW_HTTP``
    (development, tests) lets plain-HTTP and local endpoints through."""
    organisation_id = _own_organisation(principal)
    check_endpoint_url(data.url, settings.webhook_allow_http)
    if not settings.webhook_allow_http:
        await _check_resolves_publicly(data.url)
    active = await _active_urls(session, organisation_id)
    if data.url in active:
        raise Duplicate("This endpoint is registered already.")
    if len(active) >= MAX_ACTIVE_ENDPOINTS:
        raise InvalidValue("url", f"An organisation has at most {MAX_ACTIVE_ENDPOINTS} endpoints.")
    endpoint = WebhookEndpoint(
        organisation_id=organisation_id,
        url=data.url,
        secret=seal(data.secret.get_secret_value(), settings),
        created_at=now,
    )
    session.add(endpoint)
    await session.flush()
    audit.record(session, principal, AuditAction.CREATE, RECORD, endpoint.id)
    return endpoint


async def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to now, in the resolver's order of preference, each
    once; none when it does not resolve (or the name servers do not answer in time)."""
    try:
        async with asyncio.timeout(RESOLVE_SECONDS):
            found = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM
            )
    except (OSError, UnicodeError, TimeoutError):
        return []
    return list(dict.fromkeys(str(info[4][0]) for info in found))


async def _check_resolves_publicly(url: str) -> None:
    addresses = await resolve(*endpoint_target(url))
    if not addresses:
        raise InvalidValue("url", "The endpoint's host does not resolve.")
    if not all(is_public_address(address) for address in addresses):
        raise InvalidValue("url", "The endpoint's host resolves to an address that is not public.")


# --- the secrets, encrypted at rest ----------------------------------------------------------


@lru_cache(maxsize=4)
def _box(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key) for key in keys])


def _settings_box(settings: Settings) -> MultiFernet:
    return _box(tuple(settings.webhook_secret_key_list))


def seal(secret: str, settings: Settings) -> str:
    """The secret as it is stored: a Fernet token under the first key."""
    return _settings_box(settings).encrypt(secret.encode()).decode("ascii")


def signing_secret(endpoint: WebhookEndpoint, settings: Settings) -> str | None:
    """The endpoint's secret, to sign a delivery; None when none of the keys opens it (its key
    was dropped before the secret was re-encrypted)."""
    try:
        return _settings_box(settings).decrypt(endpoint.secret).decode()
    except (InvalidToken, ValueError):  # ValueError: not even base64 (plain text)
        return None


async def reencrypt_secrets(session: AsyncSession, settings: Settings) -> int:
    """Every stored secret under the first key (after a new key was put first), so that the
    old key can be dropped; the worker does it as it starts. Returns how many were changed.
    Workers starting together do not clash: a row is changed only if it holds what was read,
    and its version (the ETag) does not move, since its content does not change."""
    box = _settings_box(settings)
    first = _box(tuple(settings.webhook_secret_key_list[:1]))
    stored = (await session.exec(select(WebhookEndpoint.id, WebhookEndpoint.secret))).all()
    changed = 0
    for endpoint_id, token in stored:
        try:
            first.decrypt(token)
            continue  # under the first key already
        except (InvalidToken, ValueError):
            pass
        try:
            rotated = box.rotate(token).decode("ascii")
        except (InvalidToken, ValueError):
            log.error("webhook endpoint %s: no key opens its secret", endpoint_id)
            continue
        result = await session.exec(
            update(WebhookEndpoint)
            .where(col(WebhookEndpoint.id) == endpoint_id, col(WebhookEndpoint.secret) == token)
            .values(secret=rotated)
            .execution_options(synchronize_session=False)
        )
        changed += result.rowcount
    return changed


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
    *,
    known: dict[UUID, list[WebhookEndpoint]] | None = None,
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
    await outbox.notify(session, event, recipients, data, now, known=known)


async def consent_changed(
    session: AsyncSession,
    consent: Consent,
    event: WebhookEvent,
    now: datetime,
    *,
    known: dict[UUID, list[WebhookEndpoint]] | None = None,
) -> None:
    """A consent to share with an organisation concerns that organisation: a withdrawal means
    it must stop using what it received (CONSENT-DISCLOSURE)."""
    if consent.purpose is not ConsentPurpose.SHARE_WITH_ORGANISATION:
        return
    if consent.recipient_organisation_id is None:
        return
    status = "withdrawn" if consent.withdrawn_at else "given"
    data = {"consent_id": consent.id, "victim_id": consent.victim_id, "status": status}
    recipients = [consent.recipient_organisation_id]
    await outbox.notify(session, event, recipients, data, now, known=known)
