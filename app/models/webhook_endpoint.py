"""Partner NGO systems' webhook endpoints."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Text
from sqlmodel import Field

from app.models.base import (
    Versioned,
    id_field,
    timestamp_field,
    utcnow,
)


class WebhookEndpoint(Versioned, table=True):
    """Where a partner organisation's system receives the events addressed to it."""

    __tablename__ = "webhook_endpoints"

    id: UUID = id_field()
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)
    url: str = Field(max_length=500)
    # kept to sign deliveries (HMAC needs it); never returned after registration
    secret: str = Field(sa_type=Text)
    active: bool = True
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
