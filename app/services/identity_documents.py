"""Identity documents (MAN-IDENTITY): each one the person needs is tracked — needed, applied
for, obtained — by the organisation that restores it, free of cost to the person."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.dates import check_not_future
from app.domain.reintegration import IdentityDocumentStatus, check_document_step
from app.errors import Forbidden, NotFound
from app.models import IdentityDocument, Victim
from app.schemas.identity_documents import IdentityDocumentCreate, IdentityDocumentUpdate
from app.security import Principal
from app.services import facts, records
from app.services.audit import AuditAction
from app.services.common import ensure_version
from app.services.pagination import PageParams


async def record(
    session: AsyncSession,
    principal: Principal,
    victim: Victim,
    data: IdentityDocumentCreate,
    today: date,
) -> IdentityDocument:
    await facts.ensure_in_work(session, victim.id, "track an identity document")
    applied_on = _applied_on(data.status, data.applied_on, None, today)
    check_document_step(None, data.status, data.obtained_on, applied_on)
    check_not_future("obtained_on", data.obtained_on, today)
    document = IdentityDocument(
        **data.model_dump(exclude={"applied_on"}),
        victim_id=victim.id,
        organisation_id=principal.organisation,
        applied_on=applied_on,
        recorded_by=principal.actor_id,
    )
    session.add(document)
    await session.flush()
    records.audit_change(session, principal, document, AuditAction.CREATE)
    return document


async def get_of(session: AsyncSession, victim: Victim, document_id: UUID) -> IdentityDocument:
    document = await session.get(IdentityDocument, document_id)
    if document is None or document.victim_id != victim.id:
        raise NotFound("No such identity document.")
    return document


async def move_on(
    session: AsyncSession,
    principal: Principal,
    document: IdentityDocument,
    data: IdentityDocumentUpdate,
    expected_version: int | None,
    today: date,
) -> IdentityDocument:
    ensure_version(document, expected_version)
    if not keeps_record(principal.organisation_id, document.organisation_id):
        raise Forbidden("The organisation that restores the document tracks it.")
    await facts.ensure_in_work(session, document.victim_id, "track an identity document")
    applied_on = _applied_on(data.status, data.applied_on, document.applied_on, today)
    check_document_step(document.status, data.status, data.obtained_on, applied_on)
    check_not_future("obtained_on", data.obtained_on, today)
    document.applied_on, document.obtained_on = applied_on, data.obtained_on
    return await records.save_step(session, principal, document, data.status)


def _applied_on(
    status: IdentityDocumentStatus, given: date | None, recorded: date | None, today: date
) -> date | None:
    """The day of the application: as given, else as recorded, else today once applied for
    (a document obtained straight away may have none)."""
    check_not_future("applied_on", given, today)
    if given is not None:
        return given
    return recorded or (today if status is IdentityDocumentStatus.APPLIED else None)


async def list_of(
    session: AsyncSession, principal: Principal, victim: Victim, page: PageParams
) -> tuple[Sequence[IdentityDocument], str | None]:
    filters = [col(IdentityDocument.victim_id) == victim.id]
    return await records.page_visible(session, principal, IdentityDocument, page, *filters)
