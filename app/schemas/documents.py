"""The signed papers of a case (issue 18): what is said of a document; the file itself is read
through its ``/content``."""

from datetime import datetime
from uuid import UUID

from app.domain.documents import DocumentKind, MediaType
from app.schemas.common import ResponseModel


class DocumentRead(ResponseModel):
    id: UUID
    victim_id: UUID
    organisation_id: UUID
    kind: DocumentKind
    media_type: MediaType
    size_bytes: int
    filename: str
    stay_id: UUID | None
    consent_id: UUID | None
    grant_id: UUID | None
    monitoring_report_id: UUID | None
    identity_document_id: UUID | None
    uploaded_by: UUID
    created_at: datetime
