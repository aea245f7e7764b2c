"""Social service agreements (SOP point 3)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.casework import AgreementStatus
from app.domain.rulebook import ServiceTerm
from app.schemas.common import ExitText, RequestModel, ResponseModel, exit_information_field

Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class AgreementCreate(RequestModel):
    victim_id: UUID
    care_plan_id: UUID
    provider_organisation_id: UUID
    term: ServiceTerm
    starts_on: date
    ends_on: date
    consent_given: bool = Field(description="The person consented to the agreement.")


class AgreementTerminate(RequestModel):
    terminated_on: date
    reason: Reason
    exit_information: ExitText | None = exit_information_field()


class AgreementComplete(RequestModel):
    completed_on: date | None = Field(None, description="Defaults to today.")
    exit_information: ExitText | None = exit_information_field()


class AgreementRead(ResponseModel):
    id: UUID
    victim_id: UUID
    care_plan_id: UUID
    provider_organisation_id: UUID
    organisation_id: UUID
    term: ServiceTerm
    starts_on: date
    ends_on: date
    consent_given: bool
    status: AgreementStatus
    ended_on: date | None
    end_reason: str | None
    exit_information: str | None
    rulebook_version: str
    version: int
    created_at: datetime
