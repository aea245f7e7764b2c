"""Shelter stays from proposal to discharge, and the Annex 7 monitoring report."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, model_validator

from app.domain.shelter import MaritalStatus, MonitoringOutcome, Pay, StaySource, StayStatus
from app.schemas.common import Money, Note, RequestModel, ResponseModel, exit_information_field


class StayCreate(RequestModel):
    victim_id: UUID
    shelter_id: UUID
    source: StaySource = Field(description="Who told the shelter about the person (MAN 3.0.1).")
    proposed_on: date | None = Field(
        None,
        description="When the stay was proposed: by default today; may lie in the past (entered "
        "late), never in the future or before the person's identification.",
    )
    rules_signed_on: date | None = Field(None, description="Signed General Shelter Rules.")
    rights_signed_on: date | None = Field(None, description="Signed Rights of Residents.")
    exceptional_justification: Note | None = Field(
        None, description="Why a minor is admitted to an adult shelter (MAN-ELIGIBILITY)."
    )
    pocket_money_per_day: Money = Field(description="MAN-POCKET-MONEY: at least 50.00.")


class StayUpdate(RequestModel):
    """Only the fields sent change. Once admitted, the signed documents and an exceptional
    justification stay on the file."""

    rules_signed_on: date | None = None
    rights_signed_on: date | None = None
    exceptional_justification: Note | None = None
    pocket_money_per_day: Money | None = None

    @model_validator(mode="after")
    def _pocket_money_is_never_cleared(self) -> "StayUpdate":
        if "pocket_money_per_day" in self.model_fields_set and self.pocket_money_per_day is None:
            raise ValueError("pocket_money_per_day cannot be cleared")
        return self


class StayAdmit(RequestModel):
    admitted_on: date | None = Field(None, description="Defaults to today.")


class StayDischarge(RequestModel):
    discharged_on: date
    reason: Note
    handover_organisation_id: UUID | None = Field(
        None, description="The partner that goes on working with the person."
    )
    exit_information: Note | None = exit_information_field()


class StayRead(ResponseModel):
    id: UUID
    victim_id: UUID
    shelter_id: UUID
    status: StayStatus
    source: StaySource
    rules_signed_on: date | None
    rights_signed_on: date | None
    exceptional_justification: str | None
    pocket_money_per_day: Decimal
    proposed_on: date
    admitted_on: date | None
    medical_exam_due_on: date | None = Field(description="MAN-MEDICAL-EXAM")
    discharged_on: date | None
    discharge_reason: str | None
    exit_information: str | None
    handover_organisation_id: UUID | None
    monitoring_due_on: date | None = Field(description="MAN-MONITORING-6M")
    rulebook_version: str
    version: int
    created_at: datetime = Field(description="When the stay was entered here.")


class MonitoringReached(RequestModel):
    """MAN Annex 7, six months after discharge: the person was reached."""

    outcome: Literal["reached"]
    reported_on: date | None = Field(
        None, description="The day of the monitoring: by default today, never before it is due."
    )
    marital_status: MaritalStatus
    children: int = Field(ge=0, le=30, description="How many children the person has.")
    contact_duration: Note = Field(description="How long have the contacts lasted?")
    last_meeting_on: date
    problems_after_return: Note | None = None
    employed: bool
    pay: Pay | None = Field(None, description="If employed: was the job paid?")
    threats_from_recruiters: bool
    turned_to: Note | None = Field(None, description="If threatened: whom they turned to.")
    law_enforcement_contact: bool
    willing_to_cooperate: bool = Field(description="Agrees to cooperate with law enforcement.")
    plans: Note | None = None

    @model_validator(mode="after")
    def _answers_follow_the_form(self) -> "MonitoringReached":
        if self.pay is not None and not self.employed:
            raise ValueError("pay is answered only when employed")
        if self.turned_to is not None and not self.threats_from_recruiters:
            raise ValueError("turned_to is answered only when there were threats")
        return self


class MonitoringUnreachable(RequestModel):
    """The person could not be reached: how contact was tried. This closes the item too."""

    outcome: Literal["unreachable"]
    reported_on: date | None = Field(None, description="By default today.")
    contact_attempts: Note = Field(description="How and when contact was tried.")


MonitoringReportCreate = Annotated[
    MonitoringReached | MonitoringUnreachable, Field(discriminator="outcome")
]


class MonitoringReportRead(ResponseModel):
    id: UUID
    stay_id: UUID
    victim_id: UUID
    outcome: MonitoringOutcome
    reported_on: date
    contact_attempts: str | None
    marital_status: MaritalStatus | None
    children: int | None
    contact_duration: str | None
    last_meeting_on: date | None
    problems_after_return: str | None
    employed: bool | None
    pay: Pay | None
    threats_from_recruiters: bool | None
    turned_to: str | None
    law_enforcement_contact: bool | None
    willing_to_cooperate: bool | None
    plans: str | None
    author_id: UUID
    created_at: datetime
