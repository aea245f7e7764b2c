"""A worker's caseload and its transfer (CASELOAD-TRANSFER)."""

from datetime import date
from uuid import UUID

from pydantic import Field

from app.domain.caseload import TRANSFER_LIMIT, WorkType
from app.schemas.common import RequestModel, ResponseModel


class HeldWorkRead(ResponseModel):
    type: WorkType = Field(
        description="`case`: the person's case, held for the organisation (`id` is the "
        "person's); `assessment_draft`, `care_plan_draft`: a draft the user began."
    )
    id: UUID
    victim_id: UUID


class OpenWorkRead(ResponseModel):
    items: list[HeldWorkRead] = Field(
        description=f"The first {TRANSFER_LIMIT} records, cases first; worklist items follow "
        "the case they belong to."
    )
    total: int = Field(description="All the user's open work, on cases in work.")


class CaseloadTransfer(RequestModel):
    to_user_id: UUID = Field(
        description="An active colleague of the same organisation whose role may hold every "
        "record moved."
    )


class CaseloadTransferRead(ResponseModel):
    moved: list[HeldWorkRead] = Field(
        description=f"What this call moved: at most {TRANSFER_LIMIT} records, all or none."
    )
    remaining: int = Field(description="What is left to move: call again until it is 0.")


class CaseHolderSet(RequestModel):
    user_id: UUID = Field(
        description="A worker of the person's organisation, or of one the case is shared with."
    )


class CaseHolderRead(ResponseModel):
    organisation_id: UUID
    victim_id: UUID
    user_id: UUID
    assigned_on: date
    assigned_by: UUID
