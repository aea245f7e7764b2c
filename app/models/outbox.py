"""The outbox: every message that leaves the system, written with the change that causes it."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Index
from sqlmodel import Field

from app.domain.exchange import OutboxStatus, Topic
from app.models.base import (
    JSONType,
    UTCDateTime,
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)


class OutboxMessage(Versioned, table=True):
    """One message to send, written in the transaction of the change that causes it. It holds
    no personal data: the worker builds the request when it sends, from the records as they are
    then (an SCME message only while the consent holds; a webhook only to an active endpoint)."""

    __tablename__ = "outbox_messages"
    # the worker's question: what is pending and due, oldest first
    __table_args__ = (Index("ix_outbox_messages_due", "status", "next_attempt_at"),)

    id: UUID = id_field()  # also the Idempotency-Key of every attempt
    topic: Topic = Field(sa_type=enum_type(Topic), index=True)
    # whose delivery this is: a webhook's organisation (its manager sees it), none for SCME
    organisation_id: UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    endpoint_id: UUID | None = Field(default=None, foreign_key="webhook_endpoints.id", index=True)
    record_id: UUID = Field(index=True)  # the job referral, referral or consent it is about
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSONType)
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=enum_type(OutboxStatus))
    attempts: int = 0
    next_attempt_at: datetime = timestamp_field()
    # a worker holding the message until then; if it dies, another takes over after it. The
    # token says whose lease it is: a late answer to an attempt taken over is not recorded
    leased_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lease_token: UUID | None = None
    last_error: str | None = Field(default=None, max_length=500)
    last_status_code: int | None = None
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
