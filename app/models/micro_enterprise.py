"""Micro-enterprises in the four-step model (MAN-MICRO-ENTERPRISE)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.domain.reintegration import EnterpriseStatus, EnterpriseStep
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow


class MicroEnterprise(Versioned, table=True):
    """The person's business, on the expert group's approved candidacy."""

    __tablename__ = "micro_enterprises"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # keeps it
    candidacy_assessment_id: UUID = Field(foreign_key="assessments.id")
    business: str = Field(max_length=200)
    status: EnterpriseStatus = Field(
        default=EnterpriseStatus.IN_PROGRESS, sa_type=enum_type(EnterpriseStatus)
    )
    created_by: UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})


class MicroEnterpriseStep(SQLModel, table=True):
    """One of the four steps, done; each at most once (and in order: the service)."""

    __tablename__ = "micro_enterprise_steps"
    __table_args__ = (UniqueConstraint("micro_enterprise_id", "step"),)

    id: UUID = id_field()
    micro_enterprise_id: UUID = Field(foreign_key="micro_enterprises.id", index=True)
    step: EnterpriseStep = Field(sa_type=enum_type(EnterpriseStep))
    done_on: date
    notes: str | None = Field(default=None, max_length=2000)
    recorded_by: UUID
    created_at: datetime = timestamp_field()
