"""The person's reintegration in one read (MAN chapter III)."""

from datetime import date
from decimal import Decimal
from uuid import UUID

from pydantic import Field

from app.domain.rulebook import GrantForm
from app.schemas.care_plans import CarePlanRead
from app.schemas.common import ResponseModel
from app.schemas.identity_documents import IdentityDocumentRead
from app.schemas.micro_enterprises import MicroEnterpriseRead
from app.schemas.reintegration_grants import GrantRead
from app.schemas.returns import ReturnRead
from app.schemas.trainings import TrainingRead


class CommitmentRead(ResponseModel):
    """What the person's submitted, approved and disbursed grants commit of one line over one
    unbroken time (overlapping periods count together: GRANT-CEILING)."""

    form: GrantForm
    category: str
    start: date
    end: date
    committed: Decimal
    ceiling: Decimal | None = Field(description="The joint ceiling; none: the form sets none.")
    left: Decimal | None = Field(description="What is left of the ceiling for that time.")
    grant_ids: list[UUID]


class ReintegrationRead(ResponseModel):
    victim_id: UUID
    plan: CarePlanRead | None = Field(
        description="The active reintegration plan, else the latest one."
    )
    trainings: list[TrainingRead]
    micro_enterprises: list[MicroEnterpriseRead] = Field(description="With the steps done.")
    returns: list[ReturnRead]
    identity_documents: list[IdentityDocumentRead]
    grants: list[GrantRead] = Field(description="Empty when the caller may not read grants.")
    committed: list[CommitmentRead] = Field(description="Per line, against its ceiling.")
    withheld: list[str] = Field(description="Sections the caller's role may not read.")
