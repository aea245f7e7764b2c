from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index, text
from sqlmodel import Field

from app.domain.access import Role
from app.domain.casework import AssessmentKind, AssessmentStatus
from app.models.base import (
    JSONType,
    UTCDateTime,
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)

_DRAFT = text("status = 'draft'")


class Assessment(Versioned, table=True):
    """An assessment of one person, of one kind, with the findings that kind asks for."""

    __tablename__ = "assessments"
    # a worker's drafts: their open work (CASELOAD-TRANSFER)
    __table_args__ = (
        Index("ix_assessments_drafts", "author_id", sqlite_where=_DRAFT, postgresql_where=_DRAFT),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    kind: AssessmentKind = Field(sa_type=enum_type(AssessmentKind), index=True)
    status: AssessmentStatus = Field(
        default=AssessmentStatus.DRAFT, sa_type=enum_type(AssessmentStatus)
    )
    # individual needs: the referral whose initial contact started the 20-day clock (one each)
    referral_id: UUID | None = Field(default=None, foreign_key="referrals.id", unique=True)
    organisation_id: UUID = Field(foreign_key="organisations.id")
    author_id: UUID
    author_role: Role = Field(sa_type=enum_type(Role))
    performed_on: date | None = Field(default=None, index=True)  # a month's report
    due_on: date | None = None
    late_by_days: int | None = None
    findings: dict[str, Any] | None = Field(default=None, sa_type=JSONType)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    rulebook_version: str = Field(max_length=32)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
