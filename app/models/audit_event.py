"""The audit trail: who read or changed which record, when, from where."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.models.base import id_field, timestamp_field


class AuditEvent(SQLModel, table=True):
    """Who read or changed which record, when and from where. Append-only; no foreign keys, so
    the trail outlives the records it speaks of (erasure keeps it). Never holds personal data."""

    __tablename__ = "audit_events"

    id: UUID = id_field()
    at: datetime = timestamp_field(index=True)
    actor_type: str = Field(max_length=16)
    actor_id: UUID = Field(index=True)
    role: str = Field(max_length=32)
    organisation_id: UUID | None = None
    action: str = Field(max_length=32)
    record_type: str = Field(max_length=32)
    record_id: UUID | None = None
    victim_id: UUID | None = Field(default=None, index=True)
    client_address: str | None = Field(default=None, max_length=64)
