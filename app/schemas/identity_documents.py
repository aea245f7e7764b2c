"""Identity documents restored for the person (MAN-IDENTITY)."""

from datetime import date, datetime
from uuid import UUID

from pydantic import Field

from app.domain.reintegration import IdentityDocumentKind, IdentityDocumentStatus
from app.schemas.common import RequestModel, ResponseModel


class IdentityDocumentCreate(RequestModel):
    kind: IdentityDocumentKind
    status: IdentityDocumentStatus = IdentityDocumentStatus.NEEDED
    applied_on: date | None = Field(None, description="The day it was applied for (default today).")
    obtained_on: date | None = Field(None, description="The day it was obtained.")


class IdentityDocumentUpdate(RequestModel):
    """The document's tracking moved on: applied for, or obtained (never back)."""

    status: IdentityDocumentStatus
    applied_on: date | None = Field(None, description="The day it was applied for (default today).")
    obtained_on: date | None = None


class IdentityDocumentRead(ResponseModel):
    id: UUID
    victim_id: UUID
    organisation_id: UUID
    kind: IdentityDocumentKind
    status: IdentityDocumentStatus
    applied_on: date | None
    obtained_on: date | None
    recorded_by: UUID
    version: int
    created_at: datetime
