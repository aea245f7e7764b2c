"""Vocational trainings (MAN-TRAINING): chosen by the person, on their completed reintegration
assessment and within their reintegration plan where there is one; kept by the organisation
that arranged them, which starts, completes or drops them."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.casework import AssessmentKind, AssessmentStatus, CarePlanKind, CarePlanStatus
from app.domain.dates import check_event_date, check_in_order
from app.domain.reintegration import TRAINING_STEPS, TrainingBasis, TrainingStatus, check_training
from app.domain.states import advance
from app.errors import Forbidden
from app.models import Assessment, CarePlan, Training
from app.schemas.trainings import TrainingCreate, TrainingStep
from app.security import Principal
from app.services import audit, facts, records
from app.services.audit import AuditAction
from app.services.organisations import get_referenced
from app.services.pagination import PageParams

RECORD_TYPE = "training"


async def record(session: AsyncSession, principal: Principal, data: TrainingCreate) -> Training:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    await get_referenced(session, data.provider_organisation_id, "provider_organisation_id")
    check_in_order("ends_on", data.ends_on, data.starts_on, "A training ends after it starts.")
    with audit.refusals_recorded(session, principal, RECORD_TYPE, victim.id):
        check_training(await _basis(session, data))
    why = "A training begins after the person's identification."
    check_in_order("starts_on", data.starts_on, victim.identified_on, why)  # planned: may be ahead
    training = Training(
        **data.model_dump(exclude={"chosen_by_person"}),
        chosen_by_person=True,
        organisation_id=principal.organisation,
        created_by=principal.actor_id,
    )
    session.add(training)
    await session.flush()
    records.audit_change(session, principal, training, AuditAction.CREATE)
    return training


async def _basis(session: AsyncSession, data: TrainingCreate) -> TrainingBasis:
    assessment = await session.get(Assessment, data.assessment_id)
    on_assessment = (
        assessment is not None
        and assessment.victim_id == data.victim_id
        and assessment.kind is AssessmentKind.REINTEGRATION
        and assessment.status is AssessmentStatus.COMPLETED
    )
    plans = select(CarePlan.id).where(
        col(CarePlan.victim_id) == data.victim_id,
        col(CarePlan.kind) == CarePlanKind.REINTEGRATION,
        col(CarePlan.status) == CarePlanStatus.ACTIVE,
    )
    active = set((await session.exec(plans)).all())
    return TrainingBasis(
        chosen_by_person=data.chosen_by_person is True,
        on_completed_reintegration_assessment=on_assessment,
        person_has_reintegration_plan=bool(active),
        names_that_plan=data.care_plan_id in active,
        names_a_plan=data.care_plan_id is not None,
    )


async def step(
    session: AsyncSession,
    principal: Principal,
    training: Training,
    action: str,
    data: TrainingStep,
    today: date,
) -> Training:
    """``start``, ``complete`` or ``drop``: by the organisation that keeps the training."""
    if not keeps_record(principal.organisation_id, training.organisation_id):
        raise Forbidden("The organisation that arranged the training records its steps.")
    status = advance(TRAINING_STEPS, "training", training.status, action)
    await facts.ensure_in_work(session, training.victim_id, f"{action} a training")
    check_event_date("on", data.on, today, None)
    if status is TrainingStatus.IN_PROGRESS:
        training.started_on = data.on
    else:
        earliest = training.started_on or training.created_at.date()
        check_in_order("on", data.on, earliest, "A training ends after it began.")
        if status is TrainingStatus.COMPLETED:
            training.completed_on = data.on
        else:
            training.dropped_on, training.drop_reason = data.on, data.reason
    return await records.save_step(session, principal, training, status)


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    victim_id: UUID | None,
    status: TrainingStatus | None,
) -> tuple[Sequence[Training], str | None]:
    filters = []
    if victim_id is not None:
        filters.append(col(Training.victim_id) == victim_id)
    if status is not None:
        filters.append(col(Training.status) == status)
    return await records.page_visible(session, principal, Training, page, *filters)
