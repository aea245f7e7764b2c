"""The daily digest (issue 19): counted from the member's worklist as the worker sends it, so a
message late by an hour says what is due then; sent only while the member still asks for it."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from app.config import Settings
from app.domain.access import Action, can
from app.domain.reminders import KindCount, digest
from app.domain.rulebook import DEFAULT_RULEBOOK
from app.integrations import mail
from app.integrations.mail import Mail
from app.integrations.sending import Sender, Skip
from app.models import OutboxMessage, User
from app.security import Principal
from app.services import worklist


async def _prepare(
    session: AsyncSession, message: OutboxMessage, settings: Settings, now: datetime
) -> Mail | Skip:
    user = await session.get(User, message.record_id)
    if user is None or not user.active or not user.daily_digest or not user.reminder_email:
        return Skip("Not sent: the member no longer asks for the daily digest.")
    principal = Principal(
        "user",
        user.id,
        user.role,
        user.organisation_id,
        None,
        confidentiality_signed=user.confidentiality_signed_on is not None,
    )
    if not can(user.role, Action.WORKLIST_READ):
        return Skip("Not sent: the member's role has no worklist.")
    today = now.astimezone(settings.zone).date()
    counted = await worklist.counts_for(session, principal, today, DEFAULT_RULEBOOK)
    counts = [KindCount(kind, total, overdue) for kind, total, overdue in counted]
    written = digest(today, counts, settings.frontend_url)
    return Mail(user.reminder_email, written.subject, written.text, str(message.id))


DAILY = Sender(prepare=_prepare, send=mail.send, read=mail.outcome_of_reply)
