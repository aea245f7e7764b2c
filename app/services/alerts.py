"""MAN-PSYCHIATRIC-ALERT: raised by a psychological finding, on the worklists of the shelter
manager and the coordinator until one of them acknowledges it."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import CaseScope, case_scope, oversees_or_keeps
from app.domain.casework import AssessmentKind
from app.domain.shelter import StayStatus, psychiatric_alert_needed
from app.domain.states import check_not_done
from app.errors import Forbidden, NotFound
from app.models import Alert, Assessment, Shelter, ShelterStay
from app.security import Principal
from app.services import records
from app.services.audit import AuditAction
from app.services.pagination import PageParams
from app.services.scope import victim_is_visible


async def raise_if_needed(
    session: AsyncSession, principal: Principal, assessment: Assessment, today: date
) -> Alert | None:
    signs = bool((assessment.findings or {}).get("signs_of_mental_disorder"))
    if not psychiatric_alert_needed(assessment.kind is AssessmentKind.PSYCHOLOGICAL, signs):
        return None
    alert = Alert(
        victim_id=assessment.victim_id,
        organisation_id=await _responsible(session, assessment),
        assessment_id=assessment.id,
        raised_on=today,
    )
    session.add(alert)
    await session.flush()
    records.audit_change(session, principal, alert, AuditAction.CREATE)
    return alert


async def _responsible(session: AsyncSession, assessment: Assessment) -> UUID:
    """The organisation running the shelter the person lives in; else the assessment's."""
    query = (
        select(Shelter.organisation_id)
        .join(ShelterStay, col(ShelterStay.shelter_id) == col(Shelter.id))
        .where(
            col(ShelterStay.victim_id) == assessment.victim_id,
            col(ShelterStay.status) == StayStatus.ADMITTED,
        )
    )
    return (await session.exec(query)).first() or assessment.organisation_id


async def get_visible(session: AsyncSession, principal: Principal, alert_id: UUID) -> Alert:
    query = select(Alert).where(
        col(Alert.id) == alert_id, victim_is_visible(principal, col(Alert.victim_id))
    )
    alert = (await session.exec(query)).first()
    if alert is None:
        raise NotFound("No such alert.")
    return alert


async def list_open(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[Sequence[Alert], str | None]:
    filters: list[ColumnElement[bool]] = [col(Alert.acknowledged_at).is_(None)]
    if case_scope(principal.role) is not CaseScope.ALL:
        filters.append(col(Alert.organisation_id) == principal.organisation_id)
    return await records.page_visible(session, principal, Alert, page, *filters)


async def acknowledge(
    session: AsyncSession, principal: Principal, alert: Alert, now: datetime
) -> Alert:
    if not oversees_or_keeps(principal.role, principal.organisation_id, alert.organisation_id):
        raise Forbidden("The shelter manager concerned, or the coordinator, acknowledges it.")
    check_not_done("alert", alert.acknowledged_at is not None, "acknowledged", "acknowledge")
    alert.acknowledged_at, alert.acknowledged_by = now, principal.actor_id
    session.add(alert)
    await session.flush()
    records.audit_change(session, principal, alert, AuditAction.UPDATE)
    return alert
