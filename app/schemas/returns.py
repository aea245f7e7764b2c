"""A return home or a family reunification (MAN-RETURN)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.reintegration import ReturnKind, ReturnStatus, TravelDocuments
from app.schemas.common import Note, RequestModel, ResponseModel

Destination = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ReturnCreate(RequestModel):
    victim_id: UUID
    kind: ReturnKind
    decided_by_person: bool | None = Field(
        None, description="MAN-RETURN: the person decided on it; false or absent is refused."
    )
    destination: Destination = Field(description="Where the person goes (a region, a town).")
    travel_documents: TravelDocuments
    escort: bool = Field(description="Someone travels with the person.")
    meeting_at_arrival: bool = Field(description="A partner NGO meets the person on arrival.")
    planned_on: date


class ReturnUpdate(RequestModel):
    """The plan of a return not begun yet (with ``If-Match``): what is not sent stays."""

    destination: Destination | None = None
    travel_documents: TravelDocuments | None = None
    escort: bool | None = None
    meeting_at_arrival: bool | None = None
    planned_on: date | None = None


class ReturnStep(RequestModel):
    """``depart``, ``arrive`` or ``cancel`` on a day (a cancellation with its reason)."""

    on: date
    reason: Note | None = None


class ReturnRead(ResponseModel):
    id: UUID
    victim_id: UUID
    organisation_id: UUID
    kind: ReturnKind
    decided_by_person: bool
    destination: str
    travel_documents: TravelDocuments
    escort: bool
    meeting_at_arrival: bool
    planned_on: date
    status: ReturnStatus
    departed_on: date | None
    arrived_on: date | None
    cancelled_on: date | None
    cancel_reason: str | None
    version: int
    created_at: datetime
