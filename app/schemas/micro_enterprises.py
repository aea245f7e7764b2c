"""Micro-enterprises in the four-step model (MAN-MICRO-ENTERPRISE)."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.reintegration import EnterpriseStatus, EnterpriseStep
from app.schemas.common import Note, RequestModel, ResponseModel


class MicroEnterpriseCreate(RequestModel):
    victim_id: UUID
    candidacy_assessment_id: UUID = Field(
        description="The expert group's completed business_candidacy assessment, approved."
    )
    business: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        examples=["Tailoring workshop"]
    )


class StepDone(RequestModel):
    """The next of the four steps, done on a day."""

    step: EnterpriseStep
    done_on: date
    notes: Note | None = None


class StepRead(ResponseModel):
    step: EnterpriseStep
    done_on: date
    notes: str | None
    recorded_by: UUID


class MicroEnterpriseRead(ResponseModel):
    id: UUID
    victim_id: UUID
    organisation_id: UUID
    candidacy_assessment_id: UUID
    business: str
    status: EnterpriseStatus
    steps: list[StepRead] = Field(description="The steps done, in order.")
    next_step: EnterpriseStep | None = Field(description="None once the four are done.")
    version: int
    created_at: datetime
