"""Residents' complaints and requests for a private meeting (MAN-COMPLAINT)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.protection import ComplaintKind, ComplaintStatus
from app.schemas.common import RequestModel, ResponseModel

Text = Annotated[str, StringConstraints(min_length=1, max_length=10000)]


class ComplaintCreate(RequestModel):
    victim_id: UUID
    kind: ComplaintKind
    about_user_id: UUID | None = Field(
        None, description="The member of staff complained about (`staff_conduct` only)."
    )
    summary: Text
    received_on: date


class ComplaintMeeting(RequestModel):
    held_on: date
    notes: Text | None = None


class ComplaintResolution(RequestModel):
    resolved_on: date
    resolution: Text


class ComplaintRead(ResponseModel):
    """For the shelter manager of the organisation concerned and the coordinator only; never
    for the member of staff it names."""

    id: UUID
    victim_id: UUID
    organisation_id: UUID = Field(description="Whose shelter manager handles it.")
    kind: ComplaintKind
    about_user_id: UUID | None
    summary: str | None
    received_on: date
    meeting_due_on: date = Field(description="MAN-COMPLAINT: the private meeting by this day.")
    status: ComplaintStatus
    meeting_held_on: date | None
    meeting_notes: str | None
    resolved_on: date | None
    resolution: str | None
    recorded_by: UUID
    version: int
    created_at: datetime


class ComplaintReceipt(ResponseModel):
    """What the member of staff who recorded a complaint gets back: that it was received and
    by when the meeting is due, not what it says (MAN-COMPLAINT)."""

    id: UUID
    victim_id: UUID
    kind: ComplaintKind
    received_on: date
    meeting_due_on: date
    status: ComplaintStatus
