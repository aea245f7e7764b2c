from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.casework import ReferralStatus, Service
from app.domain.vocabulary import Funding
from app.schemas.common import ExitText, RequestModel, ResponseModel, exit_information_field

Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class ReferralCreate(RequestModel):
    """Refer a person to another organisation's service. The referring organisation is the
    caller's."""

    victim_id: UUID
    to_organisation_id: UUID
    service: Service
    funding: Funding = Field(description="How the receiving service is funded (SOP-INA).")
    ina_assessment_id: UUID | None = Field(
        None, description="The completed initial needs assessment: required when state-delegated."
    )
    referred_on: date | None = Field(
        None,
        description="When the referral was made: by default today; may lie in the past (entered "
        "late), never in the future or before the person's identification.",
    )


class ReferralDecline(RequestModel):
    reason: Reason
    exit_information: ExitText | None = exit_information_field()


class ReferralCancel(RequestModel):
    reason: Reason | None = None


class InitialContact(RequestModel):
    contact_on: date = Field(description="The first contact at the service: the 20-day clock.")


class ReferralComplete(RequestModel):
    completed_on: date | None = Field(None, description="Defaults to today.")
    exit_information: ExitText | None = exit_information_field()


class ReferralRead(ResponseModel):
    id: UUID
    victim_id: UUID
    from_organisation_id: UUID
    to_organisation_id: UUID
    service: Service
    funding: Funding
    ina_assessment_id: UUID | None
    status: ReferralStatus
    referred_on: date
    accepted_on: date | None = Field(
        description="The day the receiver took the person on (REFERRAL-CONTACT-14D)."
    )
    contact_on: date | None
    individual_assessment_due_on: date | None = Field(
        description="SOP-INDIVIDUAL-20D: initial contact + 20 days, fixed at the contact."
    )
    completed_on: date | None
    reason: str | None
    exit_information: str | None
    rulebook_version: str
    version: int
    created_at: datetime = Field(description="When the referral was entered here.")
