from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleDisclosure, require
from app.domain.access import Action
from app.presenters import present_disclosure
from app.routers.common import created, resource_router
from app.schemas.common import Page
from app.schemas.disclosures import DisclosureCreate, DisclosureRead
from app.security import Principal
from app.services import disclosures, records

router = resource_router("/disclosures", "disclosures")
Reader = Annotated[Principal, require(Action.DISCLOSURE_READ)]
Discloser = Annotated[Principal, require(Action.DISCLOSURE_RECORD)]


@router.get("", summary="The disclosure ledger of the persons the caller sees")
async def list_disclosures(
    principal: Reader, session: SessionDep, page: PageDep, victim_id: UUID | None = None
) -> Page[DisclosureRead]:
    items, cursor = await disclosures.list_visible(session, principal, page, victim_id)
    shown = [present_disclosure(d, principal.role) for d in items]
    return Page(items=shown, next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Record what was given to law enforcement, a court or another body, with the "
    "person's consent (MAN-LEGAL-ADVICE)",
)
async def record_disclosure(
    principal: Discloser,
    body: DisclosureCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> DisclosureRead:
    disclosure = await disclosures.record(session, principal, body, clock.today())
    created(request, response, "get_disclosure", 1, disclosure_id=str(disclosure.id))
    return present_disclosure(disclosure, principal.role)


@router.get("/{disclosure_id}", summary="Read a disclosure")
async def get_disclosure(
    principal: Reader, disclosure: VisibleDisclosure, session: SessionDep
) -> DisclosureRead:
    records.audit_read(session, principal, disclosure)
    return present_disclosure(disclosure, principal.role)
