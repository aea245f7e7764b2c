from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints

from app.domain.vocabulary import Funding, LicenceTargetGroup, OrganisationKind
from app.schemas.common import RequestModel, ResponseModel, plain_name

OrganisationName = Annotated[
    str, StringConstraints(min_length=1, max_length=200), AfterValidator(plain_name)
]


class Licence(RequestModel):
    """A licence to serve a target group (SOP-LICENCE), valid until the given day included."""

    target_group: LicenceTargetGroup
    number: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    valid_until: date


class OrganisationCreate(RequestModel):
    name: OrganisationName
    kind: OrganisationKind
    funding: Funding | None = None
    licences: list[Licence] = Field(default_factory=list, max_length=20)


class OrganisationUpdate(RequestModel):
    """The kind is fixed at creation: accounts were admitted on the strength of it."""

    name: OrganisationName | None = None
    funding: Funding | None = None
    licences: list[Licence] | None = Field(default=None, max_length=20)


class LicenceRead(ResponseModel):
    target_group: LicenceTargetGroup
    number: str
    valid_until: date


class OrganisationRead(ResponseModel):
    id: UUID
    name: str
    kind: OrganisationKind
    funding: Funding | None
    licences: list[LicenceRead]
    version: int
    created_at: datetime
    updated_at: datetime
