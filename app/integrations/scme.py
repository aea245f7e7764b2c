"""The requests SCME receives (MAN-SCME-PRIORITY): a job referral with only what a job search
needs, and its withdrawal when the person withdraws the consent; and their senders."""

from datetime import datetime
from uuid import UUID

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.domain.exchange import Topic
from app.integrations.http import Outgoing, json_body
from app.integrations.sending import Sender, Skip
from app.models import JobReferral, OutboxMessage, Victim
from app.presenters import job_referral_message
from app.schemas.job_referrals import ScmeWithdrawal
from app.security import OUTBOX_WORKER
from app.services import audit, job_referrals, outbox
from app.services.audit import AuditAction


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


async def _prepare_job_referral(
    session: AsyncSession, message: OutboxMessage, settings: Settings, _now: datetime
) -> Outgoing | Skip:
    found = await job_referrals.to_send(session, message.record_id)
    if found is None:
        return Skip("Not sent: the consent was withdrawn or the referral closed.")
    return job_referral_request(settings, message.id, *found)


async def _job_referral_sent(session: AsyncSession, referral_id: UUID, now: datetime) -> None:
    referral = await job_referrals.mark_sent(session, referral_id, now)
    # the person's name and phone left the system: the audit trail says when, and to whom
    audit.record(
        session,
        OUTBOX_WORKER,
        AuditAction.SEND,
        "job_referral",
        referral.id,
        victim_id=referral.victim_id,
    )


async def _prepare_withdrawal(
    session: AsyncSession, message: OutboxMessage, settings: Settings, now: datetime
) -> Outgoing | Skip:
    in_flight = await _referral_in_flight(session, message.record_id, now)
    if in_flight is not None:  # the referral itself goes first
        return Skip("Waiting for the job referral's delivery.", "postpone", in_flight)
    withdrawn_at = datetime.fromisoformat(message.payload["withdrawn_at"])
    return withdrawal_request(settings, message.id, message.record_id, withdrawn_at)


async def _referral_in_flight(
    session: AsyncSession, referral_id: UUID, now: datetime
) -> datetime | None:
    """When the job referral's own message is being sent now, the end of its lease."""
    for message in await outbox.messages_for(session, Topic.SCME_JOB_REFERRAL, referral_id):
        if message.leased_until is not None and message.leased_until > now:
            return message.leased_until
    return None


JOB_REFERRAL = Sender(
    prepare=_prepare_job_referral,
    delivered=_job_referral_sent,
    # the referral stops too, and SCME hears of it
    cancelled=job_referrals.stop_unsendable,
)
# SCME holding nothing to withdraw (404, 410) is what the withdrawal wanted
WITHDRAWAL = Sender(prepare=_prepare_withdrawal, gone_is_done=True)
