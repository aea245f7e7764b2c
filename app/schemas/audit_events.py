"""The audit trail as the coordinator and the admin read it."""

from datetime import datetime
from uuid import UUID

from app.schemas.common import ResponseModel


class AuditEventRead(ResponseModel):
    id: UUID
    at: datetime
    actor_type: str
    actor_id: UUID
    role: str
    organisation_id: UUID | None
    action: str
    record_type: str
    record_id: UUID | None
    victim_id: UUID | None
    client_address: str | None
