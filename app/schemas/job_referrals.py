"""Job referrals to SCME (MAN-SCME-PRIORITY): what case workers see, what SCME
receives and reports back. The messages we send are documented here too (OpenAPI webhooks)."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StringConstraints

from app.domain.exchange import JobReferralStatus, ScmeEvent
from app.schemas.common import RequestModel, ResponseModel

Short = Annotated[str, StringConstraints(min_length=1, max_length=200)]


Skill = Annotated[str, StringConstraints(min_length=1, max_length=100)]


class JobReferralCreate(RequestModel):
    """Refer a person to SCME's regional department for a job (MAN-SCME-PRIORITY). Needs the
    person's active `scme_job_referral` consent; SCME receives only the fields below and the
    person's registration number, name and contact phone."""

    victim_id: UUID
    profession: Short
    region: Short = Field(description="The region whose SCME department takes the search.")
    skills: list[Skill] = Field(default_factory=list, max_length=30)
    education: Annotated[str, StringConstraints(min_length=1, max_length=500)] | None = None


class JobReferralEventRead(ResponseModel):
    scme_event_id: str
    kind: ScmeEvent
    occurred_on: date
    employer: str | None


class JobReferralRead(ResponseModel):
    """A job referral as the person's case workers see it."""

    view: Literal["case"] = "case"
    id: UUID
    victim_id: UUID
    organisation_id: UUID
    profession: str
    region: str
    skills: list[str]
    education: str | None
    status: JobReferralStatus
    sent_at: datetime | None
    employer: str | None
    placed_on: date | None
    events: list[JobReferralEventRead] = Field(default_factory=list)
    version: int
    created_at: datetime


class ScmeJobReferral(BaseModel):
    """What SCME receives, and all it ever reads of a person (MAN-SCME-PRIORITY): no
    exploitation history, health, shelter or case notes."""

    job_referral_id: UUID = Field(description="Report progress to /job-referrals/{id}/events.")
    registration_number: str
    given_name: str
    family_name: str
    contact_phone: str | None
    region: str
    profession: str
    skills: list[str]
    education: str | None


class ScmeJobReferralRead(ScmeJobReferral):
    """A job referral as SCME reads it back."""

    view: Literal["scme"] = "scme"
    status: JobReferralStatus
    version: int


class ScmeWithdrawal(BaseModel):
    """Sent to `POST {SCME}/job-referrals/{job_referral_id}/withdrawal` when the person
    withdraws the consent: SCME stops the search and deletes what it received."""

    job_referral_id: UUID
    reason: Literal["consent_withdrawn"] = "consent_withdrawn"
    withdrawn_at: datetime


class JobReferralEventCreate(RequestModel):
    """Progress SCME reports. `event_id` is SCME's own: the same event sent again is applied
    once."""

    event_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    kind: ScmeEvent
    occurred_on: date
    employer: Annotated[str, StringConstraints(min_length=1, max_length=300)] | None = Field(
        None, description="Required when `kind` is `placed`."
    )
