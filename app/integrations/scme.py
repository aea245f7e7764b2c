"""The requests SCME receives (MAN-SCME-PRIORITY): a job referral with only what a job search
needs, and its withdrawal when the person withdraws the consent."""

from datetime import datetime
from uuid import UUID

from app.config import Settings
from app.integrations.http import Outgoing, json_body
from app.models import JobReferral, Victim
from app.schemas.exchange import ScmeWithdrawal
from app.schemas.views import job_referral_message


def _headers(settings: Settings, message_id: UUID) -> dict[str, str]:
    headers = {"Content-Type": "application/json", "Idempotency-Key": str(message_id)}
    if settings.scme_token is not None:
        headers["Authorization"] = f"Bearer {settings.scme_token.get_secret_value()}"
    return headers


def _url(settings: Settings, path: str) -> str:
    return settings.scme_base_url.rstrip("/") + path


def job_referral_request(
    settings: Settings, message_id: UUID, referral: JobReferral, person: Victim
) -> Outgoing:
    """``POST {SCME}/job-referrals``."""
    body = job_referral_message(referral, person).model_dump(mode="json")
    return Outgoing(
        _url(settings, "/job-referrals"), json_body(body), _headers(settings, message_id)
    )


def withdrawal_request(
    settings: Settings, message_id: UUID, referral_id: UUID, withdrawn_at: datetime
) -> Outgoing:
    """``POST {SCME}/job-referrals/{id}/withdrawal``."""
    body = ScmeWithdrawal(job_referral_id=referral_id, withdrawn_at=withdrawn_at)
    return Outgoing(
        _url(settings, f"/job-referrals/{referral_id}/withdrawal"),
        json_body(body.model_dump(mode="json")),
        _headers(settings, message_id),
    )
