from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleMicroEnterprise, require
from app.domain.access import Action
from app.presenters import present_enterprise
from app.routers.common import created, resource_router, set_etag
from app.schemas.common import Page
from app.schemas.micro_enterprises import MicroEnterpriseCreate, MicroEnterpriseRead, StepDone
from app.security import Principal
from app.services import micro_enterprises, records

router = resource_router("/micro-enterprises", "micro-enterprises")
Reader = Annotated[Principal, require(Action.MICRO_ENTERPRISE_READ)]
Writer = Annotated[Principal, require(Action.MICRO_ENTERPRISE_WRITE)]


@router.get("", summary="List micro-enterprises of the persons the caller sees")
async def list_micro_enterprises(
    principal: Reader, session: SessionDep, page: PageDep, victim_id: UUID | None = None
) -> Page[MicroEnterpriseRead]:
    files, cursor = await micro_enterprises.list_visible(session, principal, page, victim_id)
    return Page(items=[present_enterprise(f) for f in files], next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Open a micro-enterprise on the expert group's approved candidacy "
    "(MAN-MICRO-ENTERPRISE)",
)
async def open_micro_enterprise(
    principal: Writer,
    body: MicroEnterpriseCreate,
    session: SessionDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> MicroEnterpriseRead:
    file = await micro_enterprises.open_enterprise(session, principal, body)
    record = file.record
    created(
        request,
        response,
        "get_micro_enterprise",
        record.version,
        micro_enterprise_id=str(record.id),
    )
    return present_enterprise(file)


@router.get("/{micro_enterprise_id}", summary="Read a micro-enterprise with its steps")
async def get_micro_enterprise(
    principal: Reader, enterprise: VisibleMicroEnterprise, session: SessionDep, response: Response
) -> MicroEnterpriseRead:
    records.audit_read(session, principal, enterprise)
    set_etag(response, enterprise.version)
    (file,) = await micro_enterprises.files_of(session, [enterprise])
    return present_enterprise(file)


@router.post(
    "/{micro_enterprise_id}/steps",
    summary="Record the next of the four steps, in order (MAN-MICRO-ENTERPRISE)",
)
async def record_micro_enterprise_step(
    principal: Writer,
    enterprise: VisibleMicroEnterprise,
    body: StepDone,
    session: SessionDep,
    clock: ClockDep,
    response: Response,
    _key: Idempotency,
) -> MicroEnterpriseRead:
    file = await micro_enterprises.record_step(session, principal, enterprise, body, clock.today())
    set_etag(response, file.record.version)
    return present_enterprise(file)
