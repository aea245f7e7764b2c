from typing import Annotated

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    PageDep,
    SessionDep,
    VisibleConsent,
    VisibleVictim,
    require,
)
from app.domain.access import Action
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.consents import ConsentCreate, ConsentRead
from app.security import Principal
from app.services import consents

router = resource_router("/victims/{victim_id}/consents", "consents")
Reader = Annotated[Principal, require(Action.CONSENT_READ)]
Recorder = Annotated[Principal, require(Action.CONSENT_RECORD)]
Withdrawer = Annotated[Principal, require(Action.CONSENT_WITHDRAW)]


@router.get("", summary="List a person's consents, active and withdrawn")
async def list_consents(
    principal: Reader, victim: VisibleVictim, session: SessionDep, page: PageDep
) -> Page[ConsentRead]:
    found, cursor = await consents.list_consents(session, principal, victim, page)
    return Page(items=[ConsentRead.model_validate(c) for c in found], next_cursor=cursor)


@router.post("", status_code=201, summary="Record a consent the person gave")
async def record_consent(
    principal: Recorder,
    victim: VisibleVictim,
    body: ConsentCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> ConsentRead:
    consent = await consents.record_consent(
        session, principal, victim, body, clock.now(), clock.today()
    )
    ids = {"victim_id": str(victim.id), "consent_id": str(consent.id)}
    created(request, response, "get_consent", consent.version, **ids)
    return ConsentRead.model_validate(consent)


@router.get("/{consent_id}", summary="Read one consent")
async def get_consent(
    principal: Reader, consent: VisibleConsent, session: SessionDep, response: Response
) -> ConsentRead:
    consents.read_consent(session, principal, consent)
    set_etag(response, consent.version)
    return ConsentRead.model_validate(consent)


@router.post("/{consent_id}/withdraw", summary="Record that the person withdrew a consent")
async def withdraw_consent(
    principal: Withdrawer,
    consent: VisibleConsent,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> ConsentRead:
    consent = await consents.withdraw_consent(session, principal, consent, clock.now())
    set_etag(response, consent.version)
    return ConsentRead.model_validate(consent)
