"""Follow-up contacts, arranged at every exit (SOP-FOLLOW-UP, MAN-EXIT)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.casework import FollowUpChannel, FollowUpStatus, FollowUpTrigger
from app.schemas.common import RequestModel, ResponseModel


class FollowUpRecord(RequestModel):
    done_on: date
    channel: FollowUpChannel
    outcome: Annotated[str, StringConstraints(min_length=1, max_length=2000)] | None = None


class FollowUpRead(ResponseModel):
    id: UUID
    victim_id: UUID
    trigger: FollowUpTrigger = Field(description="The exit that arranged it (MAN-EXIT).")
    agreement_id: UUID | None
    referral_id: UUID | None
    stay_id: UUID | None
    closure_id: UUID | None
    return_id: UUID | None
    organisation_id: UUID
    due_on: date
    status: FollowUpStatus
    channel: FollowUpChannel | None
    done_on: date | None
    outcome: str | None
    version: int
    created_at: datetime
