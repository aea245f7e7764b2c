from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.casework import CarePlanKind, CarePlanStatus, RecoveryStage
from app.schemas.common import RequestModel, ResponseModel

Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Long = Annotated[str, StringConstraints(min_length=1, max_length=4000)]


class Goal(RequestModel):
    area: Short
    objective: Long


class CarePlanCreate(RequestModel):
    victim_id: UUID
    assessment_id: UUID = Field(
        description="The plan's basis, completed: the individual needs assessment for `care` "
        "(SOP-CAREPLAN-BASIS); the organisation's own psychological assessment for "
        "`rehabilitation` and reintegration assessment for `reintegration` (MAN-REHAB-BASIS)."
    )
    kind: CarePlanKind
    goals: list[Goal] = Field(min_length=1, max_length=30)
    recovery_stage: RecoveryStage | None = None
    planned_months: int = Field(ge=1, le=36, description="Rehabilitation plans: 1 to 6.")


class CarePlanActivate(RequestModel):
    consent_given: bool = Field(description="The person consented to begin the plan.")
    activated_on: date | None = Field(
        None,
        description="When the plan began: by default today; may lie in the past, never in the "
        "future, before identification or before the assessment it rests on.",
    )


class CarePlanEnd(RequestModel):
    ended_on: date | None = Field(None, description="Defaults to today.")


class CarePlanRead(ResponseModel):
    id: UUID
    victim_id: UUID
    assessment_id: UUID
    organisation_id: UUID
    kind: CarePlanKind
    goals: list[Goal]
    recovery_stage: RecoveryStage | None
    planned_months: int
    status: CarePlanStatus
    activated_on: date | None
    ended_on: date | None
    rulebook_version: str
    version: int
    created_at: datetime


class ReviewCreate(RequestModel):
    held_on: date
    recovery_stage: RecoveryStage | None = None
    notes: Long | None = None


class ReviewRead(ResponseModel):
    id: UUID
    care_plan_id: UUID
    held_on: date
    recovery_stage: RecoveryStage | None
    notes: str | None
    author_id: UUID
    created_at: datetime
