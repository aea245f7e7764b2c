"""Partner NGO systems' webhook endpoints, and the signed deliveries they receive."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import BaseModel, Field, SecretStr, StringConstraints

from app.domain.exchange import WebhookEvent
from app.schemas.common import RequestModel, ResponseModel


class WebhookEndpointCreate(RequestModel):
    url: Annotated[str, StringConstraints(min_length=8, max_length=500)] = Field(
        description="HTTPS, on a public DNS name that resolves to public addresses only, or on "
        "a public address.",
        examples=["https://partner.example.org/vot-events"],
    )
    secret: SecretStr = Field(
        min_length=32,
        max_length=200,
        description="Shared secret for the `VoT-Signature` HMAC; write-only, never shown again.",
    )


class WebhookEndpointRead(ResponseModel):
    id: UUID
    organisation_id: UUID
    url: str
    active: bool
    version: int
    created_at: datetime


class WebhookData(BaseModel):
    """Ids and states only: the receiver reads the record through the API, under its rights."""

    referral_id: UUID | None = None
    consent_id: UUID | None = None
    victim_id: UUID
    status: str = Field(description="The referral's status, or the consent's (given, withdrawn).")


class WebhookDelivery(BaseModel):
    """The body of a webhook delivery. Headers: `VoT-Signature: t=<unix time>,v1=<hex>`,
    `Idempotency-Key` (equal to `id`, the same on every retry) and `VoT-Event`."""

    id: UUID = Field(description="The event id: the same on every retry of this delivery.")
    type: WebhookEvent
    organisation_id: UUID = Field(description="The organisation the event is addressed to.")
    occurred_at: datetime
    data: WebhookData
