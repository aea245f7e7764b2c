from datetime import datetime
from typing import Any
from uuid import UUID

from sqlmodel import Field

from app.domain.vocabulary import Funding, OrganisationKind
from app.models.base import JSONType, Versioned, enum_type, id_field, timestamp_field, utcnow


class Organisation(Versioned, table=True):
    __tablename__ = "organisations"

    id: UUID = id_field()
    name: str = Field(max_length=200)
    # the name case-folded: "Sezim" and "SEZIM" are one organisation, in every script and database
    name_key: str = Field(max_length=200, unique=True)
    kind: OrganisationKind = Field(sa_type=enum_type(OrganisationKind))
    funding: Funding | None = Field(default=None, sa_type=enum_type(Funding))
    # [{"target_group", "number", "valid_until"}], validated by the schema on the way in
    licences: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
