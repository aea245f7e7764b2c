"""Dependency aliases: the session, the caller, permissions, conventions and resource loaders."""

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any, TypeVar
from uuid import UUID

from fastapi import Depends, Header, Path, Query, Request
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlowPassword, OAuthFlows
from fastapi.security import OAuth2
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from app.clock import Clock
from app.config import Settings
from app.db import get_session
from app.domain.access import (
    FOR_AN_ORGANISATION,
    MACHINE_ROLES,
    RESERVED_BY,
    Action,
    can,
    check_confidentiality_signed,
)
from app.domain.errors import InvalidValue
from app.domain.rulebook import Rulebook
from app.errors import Forbidden, Unauthenticated, VersionMismatch
from app.forms.texts import Language, preferred
from app.models import (
    Alert,
    Assessment,
    CarePlan,
    Client,
    Complaint,
    Consent,
    CounsellingSession,
    Disclosure,
    FollowUpContact,
    IdentityDocument,
    Incident,
    JobReferral,
    LegalConsultation,
    MicroEnterprise,
    Organisation,
    OutboxMessage,
    Referral,
    ReintegrationGrant,
    Return,
    ServiceAgreement,
    Shelter,
    ShelterStay,
    Training,
    User,
    Victim,
    WebhookEndpoint,
)
from app.security import Principal, decode_access_token
from app.services import alerts as alerts_service
from app.services import auth as auth_service
from app.services import clients as clients_service
from app.services import complaints as complaints_service
from app.services import consents as consents_service
from app.services import counselling_sessions as sessions_service
from app.services import idempotency, records
from app.services import identity_documents as identity_documents_service
from app.services import incidents as incidents_service
from app.services import job_referrals as job_referrals_service
from app.services import organisations as organisations_service
from app.services import outbox as outbox_service
from app.services import referrals as referrals_service
from app.services import shelters as shelters_service
from app.services import users as users_service
from app.services import victims as victims_service
from app.services import webhook_endpoints as webhooks_service
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


def form_language(
    request: Request,
    lang: Annotated[
        Language | None,
        Query(description="The form's language; else the best of Accept-Language; else English."),
    ] = None,
) -> Language:
    return lang if lang is not None else preferred(request.headers.get("accept-language", ""))


FormLanguage = Annotated[Language, Depends(form_language)]
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
    """A dependency that lets through only roles the permission table allows ``action`` (the
    refusal names the rule that reserves it), staff only once their confidentiality agreement
    is recorded (MAN-STAFF-CONFIDENTIALITY), and for work done on an organisation's behalf only
    callers that belong to one."""
    reserved_by: dict[str, Any] = {"rule": RESERVED_BY[action]} if action in RESERVED_BY else {}

    async def allowed(principal: CurrentPrincipal) -> Principal:
        if not can(principal.role, action):
            doing = action.value.replace(":", " ")
            raise Forbidden(f"The role '{principal.role}' may not {doing}.", **reserved_by)
        check_confidentiality_signed(principal.role, principal.confidentiality_signed, action)
        if action in FOR_AN_ORGANISATION and principal.organisation_id is None:
            raise Forbidden("This is done for an organisation, and the caller belongs to none.")
        return principal

    allowed.permission = action  # type: ignore[attr-defined] # the contract names it (routing)
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
    version = re.fullmatch(r'"([0-9]{1,9})"', tag)  # ASCII digits: "²" is a digit to isdigit
    if version is None:
        raise VersionMismatch('If-Match must be an ETag returned by this API, such as "3".')
    return int(version.group(1))


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
T = TypeVar("T")
M = TypeVar("M", bound=SQLModel)
Fetch = Callable[[AsyncSession, Principal, UUID], Awaitable[T]]


def visible(fetch: Fetch[T], param: str) -> Any:
    """A dependency that loads the record named by the path parameter ``param`` for the caller
    (``fetch`` answers 404 for one they may not see)."""

    async def load(
        session: SessionDep,
        principal: CurrentPrincipal,
        record_id: Annotated[UUID, Path(alias=param)],
    ) -> T:
        return await fetch(session, principal, record_id)

    return Depends(load)


def of_visible_person(model: type[M]) -> Fetch[M]:
    """Records that hang off a person: visible exactly when their person is."""

    async def fetch(session: AsyncSession, principal: Principal, record_id: UUID) -> M:
        return await records.get_visible(session, principal, model, record_id)

    return fetch


def existing(get: Callable[[AsyncSession, UUID], Awaitable[T]], param: str) -> Any:
    """A directory record (organisation, account, shelter): any caller the route lets in."""

    async def load(session: SessionDep, record_id: Annotated[UUID, Path(alias=param)]) -> T:
        return await get(session, record_id)

    return Depends(load)


VisibleVictim = Annotated[Victim, visible(victims_service.get_visible, "victim_id")]


async def _visible_consent(
    session: SessionDep, victim: VisibleVictim, consent_id: Annotated[UUID, Path()]
) -> Consent:
    return await consents_service.get_consent(session, victim, consent_id)


VisibleConsent = Annotated[Consent, Depends(_visible_consent)]
ExistingOrganisation = Annotated[
    Organisation, existing(organisations_service.get, "organisation_id")
]
ExistingUser = Annotated[User, existing(users_service.get_user, "user_id")]
ExistingClient = Annotated[Client, existing(clients_service.get_client, "client_id")]
ExistingShelter = Annotated[Shelter, existing(shelters_service.get, "shelter_id")]

VisibleReferral = Annotated[Referral, visible(referrals_service.get_visible, "referral_id")]
VisibleAssessment = Annotated[Assessment, visible(of_visible_person(Assessment), "assessment_id")]
VisibleCarePlan = Annotated[CarePlan, visible(of_visible_person(CarePlan), "care_plan_id")]
VisibleAgreement = Annotated[
    ServiceAgreement, visible(of_visible_person(ServiceAgreement), "agreement_id")
]
VisibleFollowUp = Annotated[
    FollowUpContact, visible(of_visible_person(FollowUpContact), "follow_up_id")
]
VisibleStay = Annotated[ShelterStay, visible(of_visible_person(ShelterStay), "stay_id")]
VisibleGrant = Annotated[
    ReintegrationGrant, visible(of_visible_person(ReintegrationGrant), "grant_id")
]
VisibleAlert = Annotated[Alert, visible(alerts_service.get_visible, "alert_id")]
VisibleCounsellingSession = Annotated[
    CounsellingSession, visible(sessions_service.get_visible, "session_id")
]
VisibleJobReferral = Annotated[
    JobReferral, visible(job_referrals_service.get_visible, "job_referral_id")
]
VisibleOutboxMessage = Annotated[OutboxMessage, visible(outbox_service.get_visible, "message_id")]
OwnWebhookEndpoint = Annotated[WebhookEndpoint, visible(webhooks_service.get_own, "endpoint_id")]
VisibleLegalConsultation = Annotated[
    LegalConsultation, visible(of_visible_person(LegalConsultation), "consultation_id")
]
VisibleDisclosure = Annotated[Disclosure, visible(of_visible_person(Disclosure), "disclosure_id")]
VisibleIncident = Annotated[Incident, visible(incidents_service.get_visible, "incident_id")]
HandledComplaint = Annotated[Complaint, visible(complaints_service.get_handled, "complaint_id")]
VisibleTraining = Annotated[Training, visible(of_visible_person(Training), "training_id")]
VisibleMicroEnterprise = Annotated[
    MicroEnterprise, visible(of_visible_person(MicroEnterprise), "micro_enterprise_id")
]
VisibleReturn = Annotated[Return, visible(of_visible_person(Return), "return_id")]


async def _visible_identity_document(
    session: SessionDep, victim: VisibleVictim, identity_document_id: Annotated[UUID, Path()]
) -> IdentityDocument:
    return await identity_documents_service.get_of(session, victim, identity_document_id)


VisibleIdentityDocument = Annotated[IdentityDocument, Depends(_visible_identity_document)]
