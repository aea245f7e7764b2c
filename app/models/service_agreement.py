"""The social service agreement signed on an active care plan (SOP point 3)."""

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field

from app.domain.casework import AgreementStatus
from app.domain.rulebook import ServiceTerm
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow


class ServiceAgreement(Versioned, table=True):
    """The social service agreement signed on an active care plan (SOP point 3)."""

    __tablename__ = "service_agreements"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    care_plan_id: UUID = Field(foreign_key="care_plans.id", index=True)
    # both parties' worklists find it (SOP-TERM)
    provider_organisation_id: UUID = Field(foreign_key="organisations.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)
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
