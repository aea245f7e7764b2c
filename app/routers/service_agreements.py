from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    Idempotency,
    PageDep,
    RulebookDep,
    SessionDep,
    VisibleAgreement,
    require,
)
from app.domain.access import Action
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.service_agreements import (
    AgreementComplete,
    AgreementCreate,
    AgreementRead,
    AgreementTerminate,
)
from app.security import Principal
from app.services import records, service_agreements
from app.services.service_agreements import Ending

router = resource_router("/service-agreements", "service agreements")
Reader = Annotated[Principal, require(Action.AGREEMENT_READ)]
Writer = Annotated[Principal, require(Action.AGREEMENT_WRITE)]


@router.get("", summary="List service agreements of the persons the caller sees")
async def list_service_agreements(
    principal: Reader, session: SessionDep, page: PageDep, victim_id: UUID | None = None
) -> Page[AgreementRead]:
    items, cursor = await service_agreements.list_visible(session, principal, page, victim_id)
    return Page(items=[AgreementRead.model_validate(a) for a in items], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Sign a service agreement (SOP-AGREEMENT-CONSENT, SOP-TERM, SOP-VOT-MAX-1Y)",
)
async def create_service_agreement(
    principal: Writer,
    body: AgreementCreate,
    session: SessionDep,
    rulebook: RulebookDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> AgreementRead:
    agreement = await service_agreements.create(session, principal, body, rulebook)
    ids = {"agreement_id": str(agreement.id)}
    created(request, response, "get_service_agreement", agreement.version, **ids)
    return AgreementRead.model_validate(agreement)


@router.get("/{agreement_id}", summary="Read a service agreement")
async def get_service_agreement(
    principal: Reader, agreement: VisibleAgreement, session: SessionDep, response: Response
) -> AgreementRead:
    records.audit_read(session, principal, agreement)
    set_etag(response, agreement.version)
    return AgreementRead.model_validate(agreement)


@router.post(
    "/{agreement_id}/terminate",
    summary="The person ends the service: exit information, a follow-up contact (MAN-EXIT)",
)
async def terminate_service_agreement(
    principal: Writer,
    agreement: VisibleAgreement,
    body: AgreementTerminate,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> AgreementRead:
    ending = Ending(body.terminated_on, body.reason, body.exit_information)
    agreement = await service_agreements.end(
        session, principal, agreement, "terminate", ending, clock.today(), rulebook
    )
    set_etag(response, agreement.version)
    return AgreementRead.model_validate(agreement)


@router.post(
    "/{agreement_id}/complete",
    summary="The service is completed: exit information, a follow-up contact (MAN-EXIT)",
)
async def complete_service_agreement(
    principal: Writer,
    agreement: VisibleAgreement,
    body: AgreementComplete,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> AgreementRead:
    ending = Ending(body.completed_on, None, body.exit_information)
    agreement = await service_agreements.end(
        session, principal, agreement, "complete", ending, clock.today(), rulebook
    )
    set_etag(response, agreement.version)
    return AgreementRead.model_validate(agreement)
