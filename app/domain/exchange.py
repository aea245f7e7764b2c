"""Exchanges with outside systems: the SCME job-referral state machine (MAN-SCME-PRIORITY), the
outbox's retry policy and the webhook signature. Pure: values in, values out."""

import hashlib
import hmac
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from enum import StrEnum

from app.domain.consent import ConsentFacts, ConsentPurpose, has_active_consent
from app.domain.errors import ConsentRequired


class JobReferralStatus(StrEnum):
    PENDING = "pending"  # in the outbox
    SENT = "sent"  # SCME has it
    ACKNOWLEDGED = "acknowledged"
    INTERVIEW = "interview"
    PLACED = "placed"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # the person withdrew the consent


class ScmeEvent(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    INTERVIEW = "interview"
    PLACED = "placed"
    CLOSED = "closed"


_J = JobReferralStatus
_OPEN = (_J.PENDING, _J.SENT, _J.ACKNOWLEDGED, _J.INTERVIEW, _J.PLACED)
JOB_REFERRAL_STEPS: Mapping[tuple[JobReferralStatus, str], JobReferralStatus] = {
    (_J.PENDING, "sent"): _J.SENT,
    # SCME may answer before the sender has recorded its 2xx: an event also means "sent"
    **{(state, "acknowledged"): _J.ACKNOWLEDGED for state in (_J.PENDING, _J.SENT)},
    **{(state, "interview"): _J.INTERVIEW for state in (_J.SENT, _J.ACKNOWLEDGED, _J.INTERVIEW)},
    **{(state, "placed"): _J.PLACED for state in (_J.SENT, _J.ACKNOWLEDGED, _J.INTERVIEW)},
    **{(state, "closed"): _J.CLOSED for state in _OPEN},
    **{(state, "withdraw"): _J.WITHDRAWN for state in _OPEN},
}
SHARED_WITH_SCME = frozenset({_J.SENT, _J.ACKNOWLEDGED, _J.INTERVIEW, _J.PLACED, _J.CLOSED})


def check_scme_consent(consents: Iterable[ConsentFacts]) -> None:
    """MAN-SCME-PRIORITY: a job referral goes to SCME only with the person's consent."""
    if not has_active_consent(consents, ConsentPurpose.SCME_JOB_REFERRAL):
        raise ConsentRequired(
            "MAN-SCME-PRIORITY",
            "The person has not consented to a job referral to the State Committee for "
            "Migration and Employment.",
        )


def next_attempt(
    now: datetime, attempts: int, base_seconds: float, max_seconds: float, jitter: float
) -> datetime:
    """Exponential backoff with jitter: base × 2^(attempts−1), capped, times a factor in
    [0.5, 1.0) drawn by the caller, so that many failed messages do not retry in step."""
    delay = min(max_seconds, base_seconds * 2 ** max(0, attempts - 1))
    return now + timedelta(seconds=delay * (0.5 + jitter / 2))


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Webhook signature: HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret, hex.
    Sent as ``VoT-Signature: t=<timestamp>,v1=<hex>``; a receiver recomputes it and refuses old
    timestamps, so a captured delivery cannot be replayed later."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
