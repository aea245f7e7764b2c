"""The same person registered twice (issue 17, DATA-DUPLICATE): what a caller is told of a
possible duplicate, the coordinator's list, and the merge."""

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from app.domain.matching import Resolution
from app.schemas.common import RequestModel, ResponseModel


class PossibleDuplicateHint(ResponseModel):
    """A possible duplicate of a case, as the caller may know it: a case they see, with the
    score and the reasons; one they do not see only as a possible match at its organisation —
    never its name, its birth date, its id, nor why."""

    id: UUID = Field(description="The pair, for the coordinator to settle.")
    organisation_id: UUID
    organisation_name: str
    victim_id: UUID | None = Field(description="The other case, when the caller sees it.")
    registration_number: str | None
    score: float | None = Field(description="0 to 1: how alike the keys are.")
    reasons: list[str]
    detail: str


class PossibleDuplicateRead(ResponseModel):
    """A pair on the coordinator's list: ``victim_id`` was registered (or changed) and
    resembles ``candidate_id``."""

    id: UUID
    victim_id: UUID
    candidate_id: UUID
    score: float
    reasons: list[str]
    found_on: date
    resolution: Resolution | None
    resolved_by: UUID | None
    resolved_at: datetime | None


class VictimMerge(RequestModel):
    into: UUID = Field(
        description="The record that is kept: everything held on this one moves to it."
    )
