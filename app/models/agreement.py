from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field

from app.domain.casework import (
    AgreementStatus,
    FollowUpChannel,
    FollowUpStatus,
    FollowUpTrigger,
)
from app.domain.rulebook import ServiceTerm
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow


class ServiceAgreement(Versioned, table=True):
    """The social service agreement signed on an active care plan (SOP point 3)."""

    __tablename__ = "service_agreements"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    care_plan_id: UUID = Field(foreign_key="care_plans.id", index=True)
    provider_organisation_id: UUID = Field(foreign_key="organisations.id")
    organisation_id: UUID = Field(foreign_key="organisations.id")
    term: ServiceTerm = Field(sa_type=enum_type(ServiceTerm))
    starts_on: date
    ends_on: date
    consent_given: bool
    status: AgreementStatus = Field(
        default=AgreementStatus.ACTIVE, sa_type=enum_type(AgreementStatus), index=True
    )
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=1000)
    exit_information: str | None = Field(default=None, max_length=2000)  # MAN-EXIT
    created_by: UUID
    rulebook_version: str = Field(max_length=32)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})


class FollowUpContact(Versioned, table=True):
    """The contact arranged after the person leaves a service, the shelter or the case
    (SOP-FOLLOW-UP, MAN-EXIT); the exit that arranged it is named by ``trigger`` and its id."""

    __tablename__ = "follow_up_contacts"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    trigger: FollowUpTrigger = Field(sa_type=enum_type(FollowUpTrigger))
    agreement_id: UUID | None = Field(default=None, foreign_key="service_agreements.id")
    referral_id: UUID | None = Field(default=None, foreign_key="referrals.id")
    stay_id: UUID | None = Field(default=None, foreign_key="shelter_stays.id")
    closure_id: UUID | None = Field(default=None, foreign_key="case_closures.id")
    organisation_id: UUID = Field(foreign_key="organisations.id")
    due_on: date = Field(index=True)
    rulebook_version: str = Field(max_length=32)
    status: FollowUpStatus = Field(default=FollowUpStatus.DUE, sa_type=enum_type(FollowUpStatus))
    channel: FollowUpChannel | None = Field(default=None, sa_type=enum_type(FollowUpChannel))
    done_on: date | None = None
    outcome: str | None = Field(default=None, max_length=2000)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
