"""Vocational trainings (MAN-TRAINING)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field

from app.domain.reintegration import TrainingStatus
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow


class Training(Versioned, table=True):
    """A course the person chose, with a provider, on their reintegration assessment."""

    __tablename__ = "trainings"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period"),
        # the worklists read the ones in progress, soonest end first, whatever the history
        Index(
            "ix_trainings_in_progress",
            "ends_on",
            sqlite_where=text("status = 'in_progress'"),
            postgresql_where=text("status = 'in_progress'"),
        ),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # keeps it
    course: str | None = Field(default=None, max_length=200)
    provider_organisation_id: UUID = Field(foreign_key="organisations.id")
    starts_on: date
    ends_on: date
    chosen_by_person: bool
    assessment_id: UUID = Field(foreign_key="assessments.id")
    care_plan_id: UUID | None = Field(default=None, foreign_key="care_plans.id")
    status: TrainingStatus = Field(
        default=TrainingStatus.PLANNED, sa_type=enum_type(TrainingStatus)
    )
    started_on: date | None = None
    completed_on: date | None = None
    dropped_on: date | None = None
    drop_reason: str | None = Field(default=None, max_length=2000)
    created_by: UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
