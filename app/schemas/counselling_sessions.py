"""Counselling sessions (MAN-SESSIONS). Notes are psychological data: only the psychologist and
the medical officer read them; everyone else sees that the session took place."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints

from app.domain.casework import SessionKind, SessionMethod
from app.schemas.common import RequestModel, ResponseModel


def _distinct(ids: list[UUID]) -> list[UUID]:
    if len(set(ids)) != len(ids):
        raise ValueError("each person at most once")
    return ids


class SessionCreate(RequestModel):
    victim_ids: Annotated[list[UUID], Field(min_length=1, max_length=30), AfterValidator(_distinct)]
    kind: SessionKind = Field(
        description="individual and family: one person; group: two or more (MAN-SESSIONS); a "
        "family session needs the person's consent and a family risk assessment (SOP-FAMILY)."
    )
    method: SessionMethod
    held_on: date = Field(description="Never in the future or before identification.")
    duration_minutes: int = Field(ge=5, le=480)
    care_plan_id: UUID | None = Field(
        None, description="The plan the session realises: of one of the persons, while it runs."
    )
    notes: Annotated[str, StringConstraints(min_length=1, max_length=4000)] | None = Field(
        None, description="Psychological data: written and read by the psychologist."
    )


class SessionRead(ResponseModel):
    id: UUID
    organisation_id: UUID
    kind: SessionKind
    method: SessionMethod
    held_on: date
    duration_minutes: int
    care_plan_id: UUID | None
    victim_ids: list[UUID] = Field(description="The persons who took part that the caller sees.")
    other_participants: int = Field(
        description="How many others took part, whose cases the caller does not see."
    )
    notes: str | None
    notes_withheld: bool = Field(description="True when there are notes the caller may not read.")
    author_id: UUID
    version: int
    created_at: datetime
