"""The health record: psychologist and medical officer; HIV status for the medical officer only
(MAN-HIV). Two views, with and without it."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.shelter import HivStatus
from app.schemas.common import RequestModel, ResponseModel

Item = Annotated[str, StringConstraints(min_length=1, max_length=300)]


class HealthRecordWrite(RequestModel):
    """Replaces the record (PUT). ``hiv_status`` may be sent by the medical officer only; a
    psychologist's write leaves it as it was."""

    conditions: list[Item] = Field(default_factory=list, max_length=50)
    allergies: list[Item] = Field(default_factory=list, max_length=50)
    medications: list[Item] = Field(default_factory=list, max_length=50)
    notes: Annotated[str, StringConstraints(max_length=4000)] | None = None
    last_examined_on: date | None = None
    hiv_status: HivStatus | None = None


class HealthRecordWithoutHiv(ResponseModel):
    view: Literal["without_hiv"] = "without_hiv"
    victim_id: UUID
    conditions: list[str]
    allergies: list[str]
    medications: list[str]
    notes: str | None
    last_examined_on: date | None
    version: int
    updated_at: datetime


class HealthRecordRead(HealthRecordWithoutHiv):
    view: Literal["medical"] = "medical"  # type: ignore[assignment]
    hiv_status: HivStatus | None


HealthRecordView = Annotated[HealthRecordRead | HealthRecordWithoutHiv, Field(discriminator="view")]
