"""What this service sends to others, documented as OpenAPI webhooks (not served here)."""

from typing import Annotated

from fastapi import APIRouter, Header

from app.schemas.job_referrals import ScmeJobReferral, ScmeWithdrawal
from app.schemas.webhook_endpoints import WebhookDelivery

router = APIRouter()
IdempotencyKey = Annotated[
    str,
    Header(
        alias="Idempotency-Key",
        description="The message id, the same on every retry: drop a copy you have seen.",
    ),
]


@router.post(
    "scme-job-referral",
    summary="To SCME: POST {APP_SCME_BASE_URL}/job-referrals (MAN-SCME-PRIORITY)",
    description="Sent by the outbox worker once a job referral is made, with "
    "`Authorization: Bearer <APP_SCME_TOKEN>`. Any 2xx is receipt; 408, 425, 429 and 5xx are "
    "retried with backoff; other answers stop the delivery. Report progress back with "
    "`POST /api/v1/job-referrals/{job_referral_id}/events`.",
)
def scme_job_referral(body: ScmeJobReferral, idempotency_key: IdempotencyKey) -> None:
    """Documentation only."""


@router.post(
    "scme-job-referral-withdrawal",
    summary="To SCME: POST {APP_SCME_BASE_URL}/job-referrals/{job_referral_id}/withdrawal",
    description="Sent when the person withdraws the `scme_job_referral` consent: stop the "
    "search and delete what was received. 404 or 410 counts as done.",
)
def scme_withdrawal(body: ScmeWithdrawal, idempotency_key: IdempotencyKey) -> None:
    """Documentation only."""


@router.post(
    "partner-event",
    summary="To a partner's registered endpoint: a referral or consent event",
    description="Signed: `VoT-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "
    '"<t>.<raw body>" with the endpoint secret>`. Verify it, refuse a `t` older than five '
    "minutes, and drop an `Idempotency-Key` seen before (docs/integrations.md).",
)
def partner_event(
    body: WebhookDelivery,
    idempotency_key: IdempotencyKey,
    signature: Annotated[str, Header(alias="VoT-Signature")],
    event: Annotated[str, Header(alias="VoT-Event")],
) -> None:
    """Documentation only."""
