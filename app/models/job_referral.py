"""Job referrals to SCME and the events SCME reports back (MAN-SCME-PRIORITY)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.domain.exchange import JobReferralStatus, ScmeEvent
from app.models.base import (
    JSONType,
    UTCDateTime,
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)


class JobReferral(Versioned, table=True):
    """MAN-SCME-PRIORITY: a person referred to SCME's regional departments for a job."""

    __tablename__ = "job_referrals"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id")
    profession: str = Field(max_length=200)
    region: str = Field(max_length=200)
    skills: list[str] = Field(default_factory=list, sa_type=JSONType)
    education: str | None = Field(default=None, max_length=500)
    status: JobReferralStatus = Field(
        default=JobReferralStatus.PENDING, sa_type=enum_type(JobReferralStatus), index=True
    )
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    employer: str | None = Field(default=None, max_length=300)
    placed_on: date | None = None
    created_by: UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})


class JobReferralEvent(SQLModel, table=True):
    """Progress SCME reports; its event id makes a retried report harmless."""

    __tablename__ = "job_referral_events"
    __table_args__ = (UniqueConstraint("job_referral_id", "scme_event_id"),)

    id: UUID = id_field()
    job_referral_id: UUID = Field(foreign_key="job_referrals.id", index=True)
    scme_event_id: str = Field(max_length=100)
    kind: ScmeEvent = Field(sa_type=enum_type(ScmeEvent))
    occurred_on: date
    employer: str | None = Field(default=None, max_length=300)
    created_at: datetime = timestamp_field()
