"""Shelters, stays, visits and monitoring reports. A shelter's address is confidential
(MAN-CONFIDENTIAL-LOCATION): two views, with and without it."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints, model_validator

from app.domain.rulebook import ShelterKind
from app.domain.shelter import (
    MaritalStatus,
    MonitoringOutcome,
    Pay,
    StaySource,
    StayStatus,
    VisitorKind,
)
from app.schemas.common import ExitText, Money, RequestModel, ResponseModel, exit_information_field

Text = Annotated[str, StringConstraints(min_length=1, max_length=2000)]
Address = Annotated[
    str, StringConstraints(min_length=1, max_length=500), Field(examples=["(confidential)"])
]


class ShelterCreate(RequestModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    organisation_id: UUID = Field(description="The NGO that runs the shelter.")
    kind: ShelterKind
    capacity: int = Field(ge=1, description="MAN-CAPACITY: at most 10 (adult), 16 (children).")
    address: Address


class ShelterUpdate(RequestModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    capacity: int | None = Field(None, ge=1)
    address: Address | None = None


class ShelterPublicRead(ResponseModel):
    """A shelter as everyone but its own staff and the coordinator sees it: no address."""

    view: Literal["public"] = "public"
    id: UUID
    name: str
    organisation_id: UUID
    kind: ShelterKind
    capacity: int
    version: int


class ShelterRead(ShelterPublicRead):
    """A shelter as the coordinator and the running organisation's staff see it."""

    view: Literal["full"] = "full"  # type: ignore[assignment]
    address: str


ShelterView = Annotated[ShelterRead | ShelterPublicRead, Field(discriminator="view")]


class Occupancy(ResponseModel):
    shelter_id: UUID
    capacity: int
    admitted: int
    proposed: int
    free: int


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
    exceptional_justification: Text | None = Field(
        None, description="Why a minor is admitted to an adult shelter (MAN-ELIGIBILITY)."
    )
    pocket_money_per_day: Money = Field(description="MAN-POCKET-MONEY: at least 50.00.")


class StayUpdate(RequestModel):
    """Only the fields sent change. Once admitted, the signed documents and an exceptional
    justification stay on the file."""

    rules_signed_on: date | None = None
    rights_signed_on: date | None = None
    exceptional_justification: Text | None = None
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
    reason: Text
    handover_organisation_id: UUID | None = Field(
        None, description="The partner that goes on working with the person."
    )
    exit_information: ExitText | None = exit_information_field()


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
    contact_duration: Text = Field(description="How long have the contacts lasted?")
    last_meeting_on: date
    problems_after_return: Text | None = None
    employed: bool
    pay: Pay | None = Field(None, description="If employed: was the job paid?")
    threats_from_recruiters: bool
    turned_to: Text | None = Field(None, description="If threatened: whom they turned to.")
    law_enforcement_contact: bool
    willing_to_cooperate: bool = Field(description="Agrees to cooperate with law enforcement.")
    plans: Text | None = None

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
    contact_attempts: Text = Field(description="How and when contact was tried.")


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


class CoordinatorApproval(RequestModel):
    """MAN-VISITORS: the coordinator who approved an official visit, and when."""

    by_user_id: UUID
    on: date


class VisitCreate(RequestModel):
    visitor_kind: VisitorKind
    visitor_name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    visitor_organisation: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    visitor_organisation_id: UUID | None = Field(
        None,
        description="The visitor's organisation in the directory: required for the "
        "international organisation and for service providers.",
    )
    victim_id: UUID | None = Field(None, description="The resident visited, if one is.")
    justification: Text | None = Field(
        None,
        description="MAN-VISITORS: required unless the international organisation or a "
        "contracted service provider visits.",
    )
    approved_by_coordinator: CoordinatorApproval | None = Field(
        None, description="MAN-VISITORS: required for an official visit."
    )
    arrived_at: AwareDatetime
    left_at: AwareDatetime | None = None


class VisitRead(ResponseModel):
    id: UUID
    shelter_id: UUID
    visitor_kind: VisitorKind
    visitor_name: str
    visitor_organisation: str
    visitor_organisation_id: UUID | None
    victim_id: UUID | None
    justification: str | None
    approved_by: UUID | None = Field(description="The coordinator who approved it.")
    approved_on: date | None
    arrived_at: datetime
    left_at: datetime | None
    recorded_by: UUID
    created_at: datetime
