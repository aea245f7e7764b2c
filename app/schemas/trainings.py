"""Vocational trainings (MAN-TRAINING)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.reintegration import TrainingStatus
from app.schemas.common import Note, RequestModel, ResponseModel


class TrainingCreate(RequestModel):
    victim_id: UUID
    course: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    provider_organisation_id: UUID
    starts_on: date
    ends_on: date
    chosen_by_person: bool | None = Field(
        None, description="MAN-TRAINING: the person chose it; false or absent is refused."
    )
    assessment_id: UUID = Field(description="The person's completed reintegration assessment.")
    care_plan_id: UUID | None = Field(
        None, description="The person's active reintegration plan, where there is one."
    )


class TrainingStep(RequestModel):
    """``start``, ``complete`` or ``drop`` on a day (a drop with its reason)."""

    on: date
    reason: Note | None = None


class TrainingRead(ResponseModel):
    id: UUID
    victim_id: UUID
    organisation_id: UUID
    course: str | None
    provider_organisation_id: UUID
    starts_on: date
    ends_on: date
    chosen_by_person: bool
    assessment_id: UUID
    care_plan_id: UUID | None
    status: TrainingStatus
    started_on: date | None
    completed_on: date | None
    dropped_on: date | None
    drop_reason: str | None
    version: int
    created_at: datetime
