"""Shelters (MAN chapter I)."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field

from app.domain.rulebook import ShelterKind
from app.models.base import (
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)


class Shelter(Versioned, table=True):
    __tablename__ = "shelters"

    id: UUID = id_field()
    name: str = Field(max_length=200)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # runs it
    kind: ShelterKind = Field(sa_type=enum_type(ShelterKind))
    capacity: int
    address: str = Field(max_length=500)  # MAN-CONFIDENTIAL-LOCATION
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
