from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from app.domain.casework import CarePlanKind, CarePlanStatus, RecoveryStage
from app.models.base import JSONType, Versioned, enum_type, id_field, timestamp_field, utcnow

_DRAFT = text("status = 'draft'")


class CarePlan(Versioned, table=True):
    """The individual care (SOP) or rehabilitation (manual) plan, on an individual needs
    assessment."""

    __tablename__ = "care_plans"
    # a worker's drafts: their open work (CASELOAD-TRANSFER)
    __table_args__ = (
        Index("ix_care_plans_drafts", "created_by", sqlite_where=_DRAFT, postgresql_where=_DRAFT),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    assessment_id: UUID = Field(foreign_key="assessments.id")
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # its worklist
    kind: CarePlanKind = Field(sa_type=enum_type(CarePlanKind))
    goals: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType)
    recovery_stage: RecoveryStage | None = Field(default=None, sa_type=enum_type(RecoveryStage))
    planned_months: int
    status: CarePlanStatus = Field(default=CarePlanStatus.DRAFT, sa_type=enum_type(CarePlanStatus))
    activated_on: date | None = None
    ended_on: date | None = None
    created_by: UUID
    rulebook_version: str = Field(max_length=32)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})


class CarePlanReview(SQLModel, table=True):
    """A staff meeting's review of a plan (MAN 2.1.7, 2.2.11: weekly meetings)."""

    __tablename__ = "care_plan_reviews"

    id: UUID = id_field()
    care_plan_id: UUID = Field(foreign_key="care_plans.id", index=True)
    held_on: date
    recovery_stage: RecoveryStage | None = Field(default=None, sa_type=enum_type(RecoveryStage))
    notes: str | None = Field(default=None, sa_type=Text)
    author_id: UUID
    created_at: datetime = timestamp_field()
