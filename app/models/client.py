"""Machine clients: partner NGO systems and SCME."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field

from app.domain.access import Role
from app.models.base import UTCDateTime, Versioned, enum_type, id_field, timestamp_field, utcnow


class Client(Versioned, table=True):
    """A partner NGO system or SCME, authenticating with client credentials."""

    __tablename__ = "clients"

    id: UUID = id_field()
    name: str = Field(max_length=200)
    secret_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=enum_type(Role))
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)
    active: bool = True
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
    deactivated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
