from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import (
    ClockDep,
    FormLanguage,
    Idempotency,
    IfMatch,
    PageDep,
    RulebookDep,
    SessionDep,
    VisibleGrant,
    require,
)
from app.domain.access import Action
from app.domain.grants import GrantStatus
from app.presenters import present_grant
from app.routers.common import PDF_FORM, created, pdf_form, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.reintegration_grants import (
    GrantCreate,
    GrantDecision,
    GrantDisbursement,
    GrantRead,
    GrantRejection,
    GrantUpdate,
)
from app.security import Principal
from app.services import forms, records, reintegration_grants

router = resource_router("/reintegration-grants", "reintegration grants")
Reader = Annotated[Principal, require(Action.GRANT_READ)]
Drafter = Annotated[Principal, require(Action.GRANT_DRAFT)]
Decider = Annotated[Principal, require(Action.GRANT_DECIDE)]


async def shown(session: SessionDep, grant: VisibleGrant, response: Response) -> GrantRead:
    set_etag(response, grant.version)
    return present_grant(await reintegration_grants.file_of(session, grant))


@router.get("", summary="List grants of the persons the caller sees")
async def list_reintegration_grants(
    principal: Reader,
    session: SessionDep,
    page: PageDep,
    status: GrantStatus | None = None,
    victim_id: UUID | None = None,
) -> Page[GrantRead]:
    items, cursor = await reintegration_grants.list_visible(
        session, principal, page, status, victim_id
    )
    files = await reintegration_grants.files_of(session, items)
    return Page(items=[present_grant(f) for f in files], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Draft a grant (GRANT-CEILING, GRANT-LINE-FORM, GRANT-JUSTIFICATION, GRANT-PURPOSE, "
    "GRANT-COURSE-3M)",
)
async def create_reintegration_grant(
    principal: Drafter,
    body: GrantCreate,
    session: SessionDep,
    rulebook: RulebookDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> GrantRead:
    grant = await reintegration_grants.create(session, principal, body, rulebook, clock.today())
    created(request, response, "get_reintegration_grant", grant.version, grant_id=str(grant.id))
    return await shown(session, grant, response)


@router.get("/{grant_id}", summary="Read a grant with its lines, ceilings and total")
async def get_reintegration_grant(
    principal: Reader, grant: VisibleGrant, session: SessionDep, response: Response
) -> GrantRead:
    records.audit_read(session, principal, grant)
    return await shown(session, grant, response)


@router.get(
    "/{grant_id}/form.pdf",
    summary="Print the financial agreement (Annex 5 pink or 6 blue) for the parties to sign",
    response_class=Response,
    responses=PDF_FORM,
)
async def print_reintegration_grant_form(
    principal: Reader, grant: VisibleGrant, session: SessionDep, language: FormLanguage
) -> Response:
    content = await forms.financial_agreement(session, principal, grant, language)
    return pdf_form(content, f"financial-agreement-{language}")


@router.patch("/{grant_id}", summary="Change a draft's period or lines")
async def update_reintegration_grant(
    principal: Drafter,
    grant: VisibleGrant,
    body: GrantUpdate,
    if_match: IfMatch,
    session: SessionDep,
    rulebook: RulebookDep,
    response: Response,
) -> GrantRead:
    grant = await reintegration_grants.update(session, principal, grant, body, if_match, rulebook)
    return await shown(session, grant, response)


@router.post("/{grant_id}/submit", summary="Submit a draft to the coordinator")
async def submit_reintegration_grant(
    principal: Drafter,
    grant: VisibleGrant,
    session: SessionDep,
    clock: ClockDep,
    rulebook: RulebookDep,
    response: Response,
    _key: Idempotency,
) -> GrantRead:
    grant = await reintegration_grants.submit(session, principal, grant, clock.now(), rulebook)
    return await shown(session, grant, response)


@router.post("/{grant_id}/approve", summary="Approve a submitted grant (GRANT-FOUR-EYES)")
async def approve_reintegration_grant(
    principal: Decider,
    grant: VisibleGrant,
    body: GrantDecision,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> GrantRead:
    grant = await reintegration_grants.decide(
        session, principal, grant, "approve", body.reason, clock.now()
    )
    return await shown(session, grant, response)


@router.post("/{grant_id}/reject", summary="Reject a submitted grant, with the reason")
async def reject_reintegration_grant(
    principal: Decider,
    grant: VisibleGrant,
    body: GrantRejection,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> GrantRead:
    grant = await reintegration_grants.decide(
        session, principal, grant, "reject", body.reason, clock.now()
    )
    return await shown(session, grant, response)


@router.post(
    "/{grant_id}/disburse",
    summary="Record an instalment of an approved grant (disbursed once paid in full)",
)
async def disburse_reintegration_grant(
    principal: Decider,
    grant: VisibleGrant,
    body: GrantDisbursement,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> GrantRead:
    grant = await reintegration_grants.disburse(
        session, principal, grant, body, clock.today(), clock.zone
    )
    return await shown(session, grant, response)
