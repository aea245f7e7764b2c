"""The signed papers of a case (issue 18): the row describes the file; the file itself is kept
sealed outside the database (services/sealed_files.py, services/file_store.py), and the key
that opens it only wrapped, here."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.domain.documents import DocumentKind, MediaType
from app.models.base import enum_type, id_field, timestamp_field


class Document(SQLModel, table=True):
    __tablename__ = "documents"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id")  # the uploader's
    kind: DocumentKind = Field(sa_type=enum_type(DocumentKind))
    media_type: MediaType = Field(sa_type=enum_type(MediaType))
    size_bytes: int
    filename: str = Field(max_length=255)  # as uploaded: it may name the person
    # the record it belongs to, besides the person (domain/documents.py: LINKS)
    stay_id: UUID | None = Field(default=None, foreign_key="shelter_stays.id", index=True)
    consent_id: UUID | None = Field(default=None, foreign_key="consents.id")
    grant_id: UUID | None = Field(default=None, foreign_key="reintegration_grants.id")
    monitoring_report_id: UUID | None = Field(default=None, foreign_key="monitoring_reports.id")
    identity_document_id: UUID | None = Field(default=None, foreign_key="identity_documents.id")
    # the file's own key, sealed under the deployment key named by key_id
    key_id: str = Field(max_length=16)
    wrapped_key: str = Field(max_length=128)
    uploaded_by: UUID
    created_at: datetime = timestamp_field()
