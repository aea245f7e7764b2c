"""Incidents at a shelter (MAN-INCIDENT)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from app.domain.protection import IncidentKind
from app.schemas.common import RequestModel, ResponseModel


class IncidentCreate(RequestModel):
    shelter_id: UUID
    kind: IncidentKind
    occurred_at: AwareDatetime
    police_called: bool = Field(description="Whether the police were called on 102.")
    summary: Annotated[str, StringConstraints(min_length=1, max_length=10000)]
    victim_ids: list[UUID] = Field(
        default_factory=list,
        max_length=50,
        description="The residents concerned, by id only; each lived at the shelter then.",
    )


class IncidentRead(ResponseModel):
    """Names the shelter by id and the residents by id: never an address."""

    id: UUID
    shelter_id: UUID
    organisation_id: UUID
    kind: IncidentKind
    occurred_at: datetime
    police_called: bool
    summary: str | None
    victim_ids: list[UUID] = Field(description="The residents concerned whom the caller sees.")
    other_residents: int = Field(description="How many more residents it names.")
    recorded_by: UUID
    reported_on: date
    acknowledged_at: datetime | None
    acknowledged_by: UUID | None
    created_at: datetime
