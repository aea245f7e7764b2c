"""The visitor log of a shelter (MAN-VISITORS)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AwareDatetime, Field, StringConstraints

from app.domain.shelter import VisitorKind
from app.schemas.common import Note, RequestModel, ResponseModel


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
    justification: Note | None = Field(
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
