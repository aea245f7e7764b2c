"""The outbox: what leaves the system, and how its delivery went."""

from datetime import datetime
from uuid import UUID

from pydantic import Field

from app.domain.exchange import OutboxStatus, Topic, WebhookEvent
from app.schemas.common import ResponseModel


class OutboxMessageRead(ResponseModel):
    id: UUID
    topic: Topic
    event: WebhookEvent | None = Field(None, description="For a webhook delivery.")
    organisation_id: UUID | None
    endpoint_id: UUID | None
    record_id: UUID | None
    status: OutboxStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    last_status_code: int | None
    sent_at: datetime | None
    version: int
    created_at: datetime
