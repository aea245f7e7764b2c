from typing import Annotated
from uuid import UUID

from fastapi import Request, Response

from app.deps import ClockDep, Idempotency, PageDep, SessionDep, VisibleLegalConsultation, require
from app.domain.access import Action
from app.presenters import present_legal_consultation
from app.routers.common import created, resource_router
from app.schemas.common import Page
from app.schemas.legal_consultations import LegalConsultationCreate, LegalConsultationRead
from app.security import Principal
from app.services import legal_consultations, records

router = resource_router("/legal-consultations", "legal consultations")
Reader = Annotated[Principal, require(Action.LEGAL_CONSULTATION_READ)]
Counsellor = Annotated[Principal, require(Action.LEGAL_CONSULTATION_WRITE)]


@router.get("", summary="List legal consultations of the persons the caller sees (history)")
async def list_legal_consultations(
    principal: Reader, session: SessionDep, page: PageDep, victim_id: UUID | None = None
) -> Page[LegalConsultationRead]:
    items, cursor = await legal_consultations.list_visible(session, principal, page, victim_id)
    shown = [present_legal_consultation(c, principal.role) for c in items]
    return Page(items=shown, next_cursor=cursor)


@router.post(
    "",
    status_code=201,
    summary="Record a legal consultation, with the psychologist's approval (MAN-LEGAL-ADVICE)",
)
async def record_legal_consultation(
    principal: Counsellor,
    body: LegalConsultationCreate,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
    _key: Idempotency,
) -> LegalConsultationRead:
    consultation = await legal_consultations.record(session, principal, body, clock.today())
    ids = {"consultation_id": str(consultation.id)}
    created(request, response, "get_legal_consultation", 1, **ids)
    return present_legal_consultation(consultation, principal.role)


@router.get(
    "/{consultation_id}",
    summary="Read a legal consultation (legal data: legal counsellor, psychologist, coordinator)",
)
async def get_legal_consultation(
    principal: Reader, consultation: VisibleLegalConsultation, session: SessionDep
) -> LegalConsultationRead:
    records.audit_read(session, principal, consultation)
    return present_legal_consultation(consultation, principal.role)
