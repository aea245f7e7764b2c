"""Dependency aliases: the session, the caller, permissions, conventions and resource loaders."""

from datetime import timedelta
from typing import Annotated, Any
from uuid import UUID

from fastapi import Depends, Header, Path, Query, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2
from sqlmodel.ext.asyncio.session import AsyncSession

from app.clock import Clock
from app.config import Settings
from app.db import get_session
from app.domain.access import MACHINE_ROLES, Action, can
from app.domain.errors import InvalidValue
from app.domain.rulebook import Rulebook
from app.errors import Forbidden, Unauthenticated, VersionMismatch
from app.models import (
    Alert,
    Assessment,
    CarePlan,
    Client,
    Consent,
    CounsellingSession,
    FollowUpContact,
    JobReferral,
    Organisation,
    OutboxMessage,
    Referral,
    ReintegrationGrant,
    ServiceAgreement,
    Shelter,
    ShelterStay,
    User,
    Victim,
    WebhookEndpoint,
)
from app.security import Principal, decode_access_token
from app.services import accounts as accounts_service
from app.services import alerts as alerts_service
from app.services import auth as auth_service
from app.services import counselling_sessions as sessions_service
from app.services import idempotency, records
from app.services import job_referrals as job_referrals_service
from app.services import organisations as organisations_service
from app.services import outbox as outbox_service
from app.services import referrals as referrals_service
from app.services import shelters as shelters_service
from app.services import victims as victims_service
from app.services import webhooks as webhooks_service
from app.services.idempotency import PendingKey, request_fingerprint
from app.services.pagination import PageParams

SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


def app_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def app_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


def app_rulebook(request: Request) -> Rulebook:
    rulebook: Rulebook = request.app.state.rulebook
    return rulebook


SettingsDep = Annotated[Settings, Depends(app_settings)]
RulebookDep = Annotated[Rulebook, Depends(app_rulebook)]
ClockDep = Annotated[Clock, Depends(app_clock)]

_TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a URL, not a secret
oauth2 = OAuth2(
    flows=OAuthFlows(
        password=OAuthFlowPassword(tokenUrl=_TOKEN_URL),
        clientCredentials=OAuthFlowClientCredentials(tokenUrl=_TOKEN_URL),
    ),
    scheme_name="OAuth2",
    description="Short-lived bearer JWTs from `POST /api/v1/auth/token`.",
    auto_error=False,
)


async def get_principal(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    authorization: Annotated[str | None, Depends(oauth2)],
) -> Principal:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token:
        raise Unauthenticated()
    claims = decode_access_token(token, settings)
    address = request.client.host if request.client else None
    return await auth_service.resolve_principal(session, claims, address)


CurrentPrincipal = Annotated[Principal, Depends(get_principal)]


def require(action: Action) -> Any:
    """A dependency that lets through only roles the permission table allows ``action``."""

    async def allowed(principal: CurrentPrincipal) -> Principal:
        if not can(principal.role, action):
            raise Forbidden(
                f"The role '{principal.role}' may not {action.value.replace(':', ' ')}."
            )
        return principal

    return Depends(allowed)


async def idempotency_guard(
    request: Request,
    session: SessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=1,
            max_length=255,
            description="Makes a retry safe: the same key with the same body answers the first "
            "response again without a second write (kept at least 24 hours, per caller).",
        ),
    ] = None,
) -> None:
    """Replay the stored answer for a known key, refuse a reused one, remember a new one.
    Machine clients retry by design: they send a key with every POST."""
    if idempotency_key is None:
        if principal.role in MACHINE_ROLES:
            raise InvalidValue(
                "Idempotency-Key", "Machine clients send an Idempotency-Key.", source="header"
            )
        return
    retention = timedelta(hours=settings.idempotency_retention_hours)
    pending = PendingKey(
        principal,
        idempotency_key,
        request_fingerprint(request.method, request.url.path, await request.body()),
        clock.now() - retention,
    )
    await idempotency.check(session, pending)
    request.state.idempotency = pending


# Declared as the *last* parameter of every POST endpoint: the role and the record are checked
# before a stored answer is replayed (app/routing.py refuses a POST route without it).
Idempotency = Annotated[None, Depends(idempotency_guard)]


def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            alias="If-Match",
            description='The `ETag` read before (`"3"`); the change is refused with 412 if the '
            "record changed since.",
        ),
    ] = None,
) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    tag = if_match.strip()
    # If-Match compares strongly (RFC 9110): a weak or foreign tag never matches
    if not (tag.startswith('"') and tag.endswith('"') and tag[1:-1].isdigit()):
        raise VersionMismatch('If-Match must be an ETag returned by this API, such as "3".')
    return int(tag[1:-1])


IfMatch = Annotated[int | None, Depends(_if_match)]


def _page_params(
    limit: Annotated[int, Query(ge=1, le=200, description="Page size (at most 200).")] = 50,
    cursor: Annotated[
        str | None, Query(max_length=200, description="`next_cursor` of the previous page.")
    ] = None,
) -> PageParams:
    return PageParams(limit=limit, cursor=cursor)


PageDep = Annotated[PageParams, Depends(_page_params)]


# Loaders: fetch a record the caller may see, or answer 404 (the only place that does).
async def _visible_victim(
    session: SessionDep, principal: CurrentPrincipal, victim_id: Annotated[UUID, Path()]
) -> Victim:
    return await victims_service.get_visible(session, principal, victim_id)


VisibleVictim = Annotated[Victim, Depends(_visible_victim)]


async def _visible_consent(
    session: SessionDep, victim: VisibleVictim, consent_id: Annotated[UUID, Path()]
) -> Consent:
    return await victims_service.get_consent(session, victim, consent_id)


async def _organisation(
    session: SessionDep, organisation_id: Annotated[UUID, Path()]
) -> Organisation:
    return await organisations_service.get(session, organisation_id)


VisibleConsent = Annotated[Consent, Depends(_visible_consent)]
ExistingOrganisation = Annotated[Organisation, Depends(_organisation)]


async def _user(session: SessionDep, user_id: Annotated[UUID, Path()]) -> User:
    return await accounts_service.get_user(session, user_id)


async def _client(session: SessionDep, client_id: Annotated[UUID, Path()]) -> Client:
    return await accounts_service.get_client(session, client_id)


ExistingUser = Annotated[User, Depends(_user)]
ExistingClient = Annotated[Client, Depends(_client)]


async def _referral(
    session: SessionDep, principal: CurrentPrincipal, referral_id: Annotated[UUID, Path()]
) -> Referral:
    return await referrals_service.get_visible(session, principal, referral_id)


async def _assessment(
    session: SessionDep, principal: CurrentPrincipal, assessment_id: Annotated[UUID, Path()]
) -> Assessment:
    return await records.get_visible(session, principal, Assessment, assessment_id)


async def _care_plan(
    session: SessionDep, principal: CurrentPrincipal, care_plan_id: Annotated[UUID, Path()]
) -> CarePlan:
    return await records.get_visible(session, principal, CarePlan, care_plan_id)


async def _agreement(
    session: SessionDep, principal: CurrentPrincipal, agreement_id: Annotated[UUID, Path()]
) -> ServiceAgreement:
    return await records.get_visible(session, principal, ServiceAgreement, agreement_id)


async def _follow_up(
    session: SessionDep, principal: CurrentPrincipal, follow_up_id: Annotated[UUID, Path()]
) -> FollowUpContact:
    return await records.get_visible(session, principal, FollowUpContact, follow_up_id)


VisibleReferral = Annotated[Referral, Depends(_referral)]
VisibleAssessment = Annotated[Assessment, Depends(_assessment)]
VisibleCarePlan = Annotated[CarePlan, Depends(_care_plan)]
VisibleAgreement = Annotated[ServiceAgreement, Depends(_agreement)]
VisibleFollowUp = Annotated[FollowUpContact, Depends(_follow_up)]


async def _shelter(session: SessionDep, shelter_id: Annotated[UUID, Path()]) -> Shelter:
    return await shelters_service.get(session, shelter_id)


async def _stay(
    session: SessionDep, principal: CurrentPrincipal, stay_id: Annotated[UUID, Path()]
) -> ShelterStay:
    return await records.get_visible(session, principal, ShelterStay, stay_id)


async def _alert(
    session: SessionDep, principal: CurrentPrincipal, alert_id: Annotated[UUID, Path()]
) -> Alert:
    return await alerts_service.get_visible(session, principal, alert_id)


ExistingShelter = Annotated[Shelter, Depends(_shelter)]
VisibleStay = Annotated[ShelterStay, Depends(_stay)]
VisibleAlert = Annotated[Alert, Depends(_alert)]


async def _grant(
    session: SessionDep, principal: CurrentPrincipal, grant_id: Annotated[UUID, Path()]
) -> ReintegrationGrant:
    return await records.get_visible(session, principal, ReintegrationGrant, grant_id)


VisibleGrant = Annotated[ReintegrationGrant, Depends(_grant)]


async def _job_referral(
    session: SessionDep, principal: CurrentPrincipal, job_referral_id: Annotated[UUID, Path()]
) -> JobReferral:
    return await job_referrals_service.get_visible(session, principal, job_referral_id)


async def _outbox_message(
    session: SessionDep, principal: CurrentPrincipal, message_id: Annotated[UUID, Path()]
) -> OutboxMessage:
    return await outbox_service.get_visible(session, principal, message_id)


async def _webhook_endpoint(
    session: SessionDep, principal: CurrentPrincipal, endpoint_id: Annotated[UUID, Path()]
) -> WebhookEndpoint:
    return await webhooks_service.get_own(session, principal, endpoint_id)


VisibleJobReferral = Annotated[JobReferral, Depends(_job_referral)]
VisibleOutboxMessage = Annotated[OutboxMessage, Depends(_outbox_message)]
OwnWebhookEndpoint = Annotated[WebhookEndpoint, Depends(_webhook_endpoint)]


async def _counselling_session(
    session: SessionDep, principal: CurrentPrincipal, session_id: Annotated[UUID, Path()]
) -> CounsellingSession:
    return await sessions_service.get_visible(session, principal, session_id)


VisibleCounsellingSession = Annotated[CounsellingSession, Depends(_counselling_session)]
