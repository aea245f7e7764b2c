"""Micro-enterprises (MAN-MICRO-ENTERPRISE): on the expert group's approved candidacy, the four
steps in order — business-plan training, management training, the in-kind grant (the blue
``equipment`` line, after both trainings), evaluation. Kept by the organisation that opened it."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.casework import AssessmentKind, AssessmentStatus
from app.domain.dates import check_event_date
from app.domain.grants import GrantStatus
from app.domain.reintegration import (
    CandidacyDecision,
    EnterpriseStatus,
    EnterpriseStep,
    check_candidacy,
    check_enterprise_step,
    next_enterprise_step,
    trainings_done,
)
from app.errors import Forbidden
from app.models import Assessment, GrantLine, MicroEnterprise, MicroEnterpriseStep, Victim
from app.models import ReintegrationGrant as Grant
from app.models.base import utcnow
from app.schemas.micro_enterprises import MicroEnterpriseCreate, StepDone
from app.security import Principal
from app.services import audit, facts, records
from app.services.audit import AuditAction
from app.services.common import locked
from app.services.pagination import PageParams

RECORD_TYPE = "micro_enterprise"


@dataclass(frozen=True)
class EnterpriseFile:
    record: MicroEnterprise
    steps: Sequence[MicroEnterpriseStep]  # in order

    @property
    def next_step(self) -> EnterpriseStep | None:
        return next_enterprise_step([s.step for s in self.steps])


async def open_enterprise(
    session: AsyncSession, principal: Principal, data: MicroEnterpriseCreate
) -> EnterpriseFile:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    assessment = await session.get(Assessment, data.candidacy_assessment_id)
    completed = (
        assessment is not None
        and assessment.victim_id == victim.id
        and assessment.kind is AssessmentKind.BUSINESS_CANDIDACY
        and assessment.status is AssessmentStatus.COMPLETED
    )
    decision = (assessment.findings or {}).get("decision") if assessment else None
    with audit.refusals_recorded(session, principal, RECORD_TYPE, victim.id):
        check_candidacy(completed, CandidacyDecision(decision) if decision else None)
    enterprise = MicroEnterprise(
        **data.model_dump(), organisation_id=principal.organisation, created_by=principal.actor_id
    )
    session.add(enterprise)
    await session.flush()
    records.audit_change(session, principal, enterprise, AuditAction.CREATE)
    return EnterpriseFile(enterprise, [])


async def record_step(
    session: AsyncSession,
    principal: Principal,
    enterprise: MicroEnterprise,
    data: StepDone,
    today: date,
) -> EnterpriseFile:
    """The next of the four steps, by the organisation that keeps the micro-enterprise. The row
    is locked: two steps recorded at once take their turn (and the second sees the first)."""
    if not keeps_record(principal.organisation_id, enterprise.organisation_id):
        raise Forbidden("The organisation that keeps the micro-enterprise records its steps.")
    enterprise = await locked(session, MicroEnterprise, enterprise.id)
    await facts.ensure_in_work(session, enterprise.victim_id, "record a micro-enterprise step")
    person = await session.get(Victim, enterprise.victim_id)
    check_event_date("done_on", data.done_on, today, person.identified_on if person else None)
    done = (await steps_by_enterprise(session, [enterprise.id]))[enterprise.id]
    granted = data.step is EnterpriseStep.IN_KIND_GRANT and await _equipment_granted(
        session, enterprise.id
    )
    check_enterprise_step([(s.step, s.done_on) for s in done], data.step, data.done_on, granted)
    step = MicroEnterpriseStep(
        micro_enterprise_id=enterprise.id, **data.model_dump(), recorded_by=principal.actor_id
    )
    session.add(step)
    if data.step is EnterpriseStep.EVALUATION:
        enterprise.status = EnterpriseStatus.EVALUATED
    enterprise.updated_at = utcnow()  # a new version, and ETag, with each step
    await records.save_step(session, principal, enterprise, enterprise.status)
    return EnterpriseFile(enterprise, [*done, step])


async def _equipment_granted(session: AsyncSession, enterprise_id: UUID) -> bool:
    query = (
        select(GrantLine.id)
        .join(Grant, col(Grant.id) == col(GrantLine.grant_id))
        .where(
            col(GrantLine.micro_enterprise_id) == enterprise_id,
            col(Grant.status).in_((GrantStatus.APPROVED, GrantStatus.DISBURSED)),
        )
        .limit(1)
    )
    return (await session.exec(query)).first() is not None


async def steps_by_enterprise(
    session: AsyncSession, enterprise_ids: Sequence[UUID]
) -> dict[UUID, list[MicroEnterpriseStep]]:
    """The steps of each micro-enterprise, in order, in one query."""
    found: dict[UUID, list[MicroEnterpriseStep]] = {e: [] for e in enterprise_ids}
    query = (
        select(MicroEnterpriseStep)
        .where(col(MicroEnterpriseStep.micro_enterprise_id).in_(enterprise_ids))
        .order_by(col(MicroEnterpriseStep.done_on), col(MicroEnterpriseStep.created_at))
    )
    for step in (await session.exec(query)).all():
        found[step.micro_enterprise_id].append(step)
    return found


async def files_of(
    session: AsyncSession, enterprises: Sequence[MicroEnterprise]
) -> list[EnterpriseFile]:
    steps = await steps_by_enterprise(session, [e.id for e in enterprises])
    return [EnterpriseFile(e, steps[e.id]) for e in enterprises]


async def ready_for_equipment(session: AsyncSession, victim_id: UUID) -> dict[UUID, bool]:
    """The person's micro-enterprises, each with whether both its trainings are done."""
    query = select(MicroEnterprise).where(col(MicroEnterprise.victim_id) == victim_id)
    files = await files_of(session, (await session.exec(query)).all())
    return {f.record.id: trainings_done([s.step for s in f.steps]) for f in files}


async def list_visible(
    session: AsyncSession, principal: Principal, page: PageParams, victim_id: UUID | None
) -> tuple[list[EnterpriseFile], str | None]:
    filters = [] if victim_id is None else [col(MicroEnterprise.victim_id) == victim_id]
    found, cursor = await records.page_visible(session, principal, MicroEnterprise, page, *filters)
    return await files_of(session, found), cursor
