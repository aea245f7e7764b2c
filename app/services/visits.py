"""The visitor log of a shelter (MAN-VISITORS): recorded by the shelter's staff, read by its
manager and the coordinator."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import CaseScope, case_scope, keeps_record
from app.domain.errors import InvalidValue
from app.domain.shelter import check_visit
from app.domain.vocabulary import OrganisationKind
from app.errors import Forbidden
from app.models import Shelter, Visit
from app.schemas.shelters import VisitCreate
from app.security import Principal
from app.services import audit
from app.services.audit import AuditAction
from app.services.organisations import get_referenced
from app.services.pagination import PageParams, fetch_page


async def record(
    session: AsyncSession, principal: Principal, shelter: Shelter, data: VisitCreate, now: datetime
) -> Visit:
    if not keeps_record(principal.organisation_id, shelter.organisation_id):
        raise Forbidden("The staff of the shelter keep its visitor log.")
    international = False
    if data.visitor_organisation_id is not None:
        visitor_org = await get_referenced(
            session, data.visitor_organisation_id, "visitor_organisation_id"
        )
        international = visitor_org.kind is OrganisationKind.INTERNATIONAL
    check_visit(international, data.justification)
    if data.arrived_at > now:
        raise InvalidValue("arrived_at", "A visit is recorded once the visitor has arrived.")
    if data.left_at is not None and data.left_at < data.arrived_at:
        raise InvalidValue("left_at", "A visitor leaves after arriving.")
    visit = Visit(**data.model_dump(), shelter_id=shelter.id, recorded_by=principal.actor_id)
    session.add(visit)
    await session.flush()
    audit.record(session, principal, AuditAction.CREATE, "shelter_visit", visit.id)
    return visit


async def log_of(
    session: AsyncSession, principal: Principal, shelter: Shelter, page: PageParams
) -> tuple[Sequence[Visit], str | None]:
    """The shelter manager of the running organisation and the coordinator read the log."""
    oversees = case_scope(principal.role) is CaseScope.ALL
    if not oversees and not keeps_record(principal.organisation_id, shelter.organisation_id):
        raise Forbidden("The shelter's manager and the coordinator read its visitor log.")
    query = select(Visit).where(col(Visit.shelter_id) == shelter.id)
    audit.record(session, principal, AuditAction.LIST, "shelter_visit", shelter.id)
    return await fetch_page(session, query, Visit.id, page)
