"""Follow-up contacts arranged at every exit (SOP-FOLLOW-UP, MAN-EXIT)."""

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field

from app.domain.casework import FollowUpChannel, FollowUpStatus, FollowUpTrigger
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow


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
    return_id: UUID | None = Field(default=None, foreign_key="returns.id")
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # its worklist
    due_on: date = Field(index=True)
    rulebook_version: str = Field(max_length=32)
    status: FollowUpStatus = Field(default=FollowUpStatus.DUE, sa_type=enum_type(FollowUpStatus))
    channel: FollowUpChannel | None = Field(default=None, sa_type=enum_type(FollowUpChannel))
    done_on: date | None = None
    outcome: str | None = Field(default=None, max_length=2000)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
