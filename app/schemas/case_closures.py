"""Closing and reopening a case (MAN-CASE-CLOSE)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.closure import ClosureReason
from app.schemas.common import ExitText, RequestModel, ResponseModel

Reason = Annotated[str, StringConstraints(min_length=1, max_length=1000)]


class CaseClose(RequestModel):
    reason: ClosureReason
    closed_on: date | None = Field(
        None, description="By default today; never in the future or before identification."
    )
    exit_information: ExitText | None = Field(
        None,
        description="Required (MAN-EXIT) unless the reason is `lost_contact` or `deceased`: the "
        "information given to the person (leaflets, contacts), so that they can seek help again.",
    )


class CaseReopen(RequestModel):
    reason: Reason


class CaseClosureRead(ResponseModel):
    id: UUID
    victim_id: UUID
    reason: ClosureReason
    closed_on: date
    exit_information: str | None
    closed_by: UUID
    reopened_at: datetime | None
    reopen_reason: str | None
    reopened_by: UUID | None
    created_at: datetime
