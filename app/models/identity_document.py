"""Identity documents restored for the person, free of cost (MAN-IDENTITY)."""

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field

from app.domain.reintegration import IdentityDocumentKind, IdentityDocumentStatus
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow


class IdentityDocument(Versioned, table=True):
    __tablename__ = "identity_documents"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id")  # tracks it
    kind: IdentityDocumentKind = Field(sa_type=enum_type(IdentityDocumentKind))
    status: IdentityDocumentStatus = Field(sa_type=enum_type(IdentityDocumentStatus))
    applied_on: date | None = None
    obtained_on: date | None = None
    recorded_by: UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
