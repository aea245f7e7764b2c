"""The person's record, with one response model per field-level view (domain.access.VictimView)."""

from datetime import date, datetime
from typing import Annotated, Literal
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from app.domain.vocabulary import ExploitationType, Sex, VictimStatus
from app.schemas.common import (
    BirthDate,
    CountryCode,
    Name,
    Phone,
    RegionCode,
    RequestModel,
    ResponseModel,
)
from app.schemas.possible_duplicates import PossibleDuplicateHint


def _distinct(values: list[ExploitationType]) -> list[ExploitationType]:
    if len(set(values)) != len(values):
        raise ValueError("each exploitation type at most once")
    return values


ExploitationTypes = Annotated[list[ExploitationType], AfterValidator(_distinct)]
Address = Annotated[str, StringConstraints(min_length=1, max_length=500)]


class VictimCreate(RequestModel):
    given_name: Name
    family_name: Name
    birth_date: BirthDate
    sex: Sex
    nationality: CountryCode | None = None
    exploitation_types: ExploitationTypes = Field(default_factory=list)
    country_of_exploitation: CountryCode | None = None
    home_region: RegionCode | None = None
    identified_on: date | None = None
    returned_on: date | None = None
    registered_address: Address | None = None
    contact_phone: Phone | None = None
    departed_on: date | None = Field(None, description="When the person left the country.")
    health_contributions_unpaid: bool | None = None
    insured_months_since_return: int | None = Field(None, ge=0, le=600)
    eligible_for_social_benefits: bool | None = None


_REQUIRED = ("given_name", "family_name", "birth_date", "sex", "exploitation_types")


class VictimUpdate(RequestModel):
    """Only the fields sent change; optional fields may be cleared with ``null``."""

    given_name: Name | None = None
    family_name: Name | None = None
    birth_date: BirthDate | None = None
    sex: Sex | None = None
    nationality: CountryCode | None = None
    exploitation_types: ExploitationTypes | None = None
    country_of_exploitation: CountryCode | None = None
    home_region: RegionCode | None = None
    identified_on: date | None = None
    returned_on: date | None = None
    registered_address: Address | None = None
    contact_phone: Phone | None = None
    departed_on: date | None = None
    health_contributions_unpaid: bool | None = None
    insured_months_since_return: int | None = Field(None, ge=0, le=600)
    eligible_for_social_benefits: bool | None = None

    @model_validator(mode="after")
    def _required_stay_set(self) -> "VictimUpdate":
        cleared = [f for f in _REQUIRED if f in self.model_fields_set and getattr(self, f) is None]
        if cleared:
            raise ValueError(f"cannot be cleared: {', '.join(cleared)}")
        return self


class VictimExchangeRead(ResponseModel):
    """Identity and contact without the exploitation history: what a machine client gets."""

    view: Literal["exchange"] = "exchange"
    id: UUID
    registration_number: str
    organisation_id: UUID
    given_name: str
    family_name: str
    birth_date: date
    sex: Sex
    nationality: str | None
    registered_address: str | None
    contact_phone: str | None
    status: VictimStatus
    version: int


class VictimRead(ResponseModel):
    """The whole record, for the coordinator and the staff who see the case."""

    view: Literal["full"] = "full"
    id: UUID
    registration_number: str
    organisation_id: UUID
    given_name: str
    family_name: str
    birth_date: date
    sex: Sex
    nationality: str | None
    exploitation_types: list[ExploitationType]
    country_of_exploitation: str | None
    home_region: str | None
    identified_on: date | None
    returned_on: date | None
    registered_address: str | None
    contact_phone: str | None
    departed_on: date | None
    health_contributions_unpaid: bool | None
    insured_months_since_return: int | None
    eligible_for_social_benefits: bool | None
    status: VictimStatus
    version: int
    created_at: datetime
    updated_at: datetime


VictimView = Annotated[VictimRead | VictimExchangeRead, Field(discriminator="view")]


class VictimRegisteredRead(VictimRead):
    possible_duplicates: list[PossibleDuplicateHint] = Field(
        default_factory=list,
        description="Records of the same person, it may be (DATA-DUPLICATE): a case the "
        "caller sees with the score and the reasons, another only by its organisation.",
    )


class VictimRegisteredExchangeRead(VictimExchangeRead):
    possible_duplicates: list[PossibleDuplicateHint] = Field(
        default_factory=list,
        description="As for the full view (DATA-DUPLICATE).",
    )


VictimRegistered = Annotated[
    VictimRegisteredRead | VictimRegisteredExchangeRead, Field(discriminator="view")
]
