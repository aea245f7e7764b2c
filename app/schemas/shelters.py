"""Shelters. A shelter's address is confidential (MAN-CONFIDENTIAL-LOCATION): two views, with
and without it."""

from typing import Annotated, Literal
from uuid import UUID

from pydantic import Field, StringConstraints

from app.domain.rulebook import ShelterKind
from app.schemas.common import RequestModel, ResponseModel

Address = Annotated[
    str, StringConstraints(min_length=1, max_length=500), Field(examples=["(confidential)"])
]


class ShelterCreate(RequestModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    organisation_id: UUID = Field(description="The NGO that runs the shelter.")
    kind: ShelterKind
    capacity: int = Field(ge=1, description="MAN-CAPACITY: at most 10 (adult), 16 (children).")
    address: Address


class ShelterUpdate(RequestModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)] | None = None
    capacity: int | None = Field(None, ge=1)
    address: Address | None = None


class ShelterPublicRead(ResponseModel):
    """A shelter as everyone but its own staff and the coordinator sees it: no address."""

    view: Literal["public"] = "public"
    id: UUID
    name: str
    organisation_id: UUID
    kind: ShelterKind
    capacity: int
    version: int


class ShelterRead(ShelterPublicRead):
    """A shelter as the coordinator and the running organisation's staff see it."""

    view: Literal["full"] = "full"  # type: ignore[assignment]
    address: str


ShelterView = Annotated[ShelterRead | ShelterPublicRead, Field(discriminator="view")]


class Occupancy(ResponseModel):
    shelter_id: UUID
    capacity: int
    admitted: int
    proposed: int
    free: int
