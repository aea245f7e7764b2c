from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    PageDep,
    RulebookDep,
    SessionDep,
    VisibleReferral,
    require,
)
from app.domain.access import Action
from app.domain.casework import ReferralStatus
from app.presenters import present_referral
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.referrals import (
    InitialContact,
    ReferralCancel,
    ReferralComplete,
    ReferralCreate,
    ReferralDecline,
    ReferralRead,
)
from app.security import Principal
from app.services import referrals

router = resource_router("/referrals", "referrals")
Reader = Annotated[Principal, require(Action.REFERRAL_READ)]
Referrer = Annotated[Principal, require(Action.REFERRAL_CREATE)]
Responder = Annotated[Principal, require(Action.REFERRAL_RESPOND)]
Canceller = Annotated[Principal, require(Action.REFERRAL_CANCEL)]


@router.get("", summary="List the referrals the caller's organisation sent or received")
async def list_referrals(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    status: ReferralStatus | None = None,
    victim_id: UUID | None = None,
) -> Page[ReferralRead]:
    items, cursor = await referrals.list_visible(session, principal, page, status, victim_id)
    return Page(items=[present_referral(r) for r in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Refer a person, on the day it was made (SOP-LICENCE, SOP-INA, SOP-ADDRESS, "
    "SOP-REFLECTION, CONSENT-DISCLOSURE, SOP-FAMILY)",
)
async def create_referral(
    principal: Referrer,
    body: ReferralCreate,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> ReferralRead:
    referral = await referrals.create(
        session, principal, body, clock.now(), clock.today(), rulebook
    )
    created(request, response, "get_referral", referral.version, referral_id=str(referral.id))
    return present_referral(referral)


@router.get("/{referral_id}", summary="Read a referral")
async def get_referral(
    principal: Reader,
    referral: VisibleReferral,
    session: SessionDep,
    response: Response,
) -> ReferralRead:
    referrals.read(session, principal, referral)
    set_etag(response, referral.version)
    return present_referral(referral)


@router.post("/{referral_id}/accept", summary="Accept a referral (the receiving organisation)")
async def accept_referral(
    principal: Responder,
    referral: VisibleReferral,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> ReferralRead:
    referral = await referrals.accept(session, principal, referral, clock.now(), clock.today())
    set_etag(response, referral.version)
    return present_referral(referral)


@router.post(
    "/{referral_id}/decline",
    summary="Decline a referral, with the reason and the exit information (MAN-EXIT)",
)
async def decline_referral(
    principal: Responder,
    referral: VisibleReferral,
    body: ReferralDecline,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> ReferralRead:
    referral = await referrals.decline(
        session, principal, referral, body, clock.now(), clock.today(), rulebook
    )
    set_etag(response, referral.version)
    return present_referral(referral)


@router.post("/{referral_id}/cancel", summary="Cancel a referral (the referring organisation)")
async def cancel_referral(
    principal: Canceller,
    referral: VisibleReferral,
    body: ReferralCancel,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> ReferralRead:
    referral = await referrals.cancel(session, principal, referral, body.reason, clock.now())
    set_etag(response, referral.version)
    return present_referral(referral)


@router.post(
    "/{referral_id}/initial-contact",
    summary="Record the initial contact at the service: the 20-day clock starts",
)
async def record_initial_contact(
    principal: Responder,
    referral: VisibleReferral,
    body: InitialContact,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> ReferralRead:
    referral = await referrals.record_initial_contact(
        session, principal, referral, body.contact_on, clock.now(), clock.today(), rulebook
    )
    set_etag(response, referral.version)
    return present_referral(referral)


@router.post(
    "/{referral_id}/complete",
    summary="Record that the service is completed: exit information, a follow-up (MAN-EXIT)",
)
async def complete_referral(
    principal: Responder,
    referral: VisibleReferral,
    body: ReferralComplete,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> ReferralRead:
    referral = await referrals.complete(
        session, principal, referral, body, clock.now(), clock.today(), rulebook
    )
    set_etag(response, referral.version)
    return present_referral(referral)
