"""Reminders (issue 19): a staff member asks for a daily digest of their worklist by email; the
day's run (``python -m app reminders queue``, from cron) queues one message per member in the
outbox, which the worker sends (app/integrations/digests.py)."""

from datetime import date, datetime

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.exchange import Topic
from app.errors import Forbidden
from app.models import User
from app.schemas.reminders import ReminderSettings
from app.security import Principal
from app.services import audit, outbox
from app.services.audit import AuditAction

_BATCH = 500


async def settings_of(session: AsyncSession, principal: Principal) -> User:
    """A member's own: a system's client has no inbox."""
    user = await session.get(User, principal.actor_id) if principal.actor_type == "user" else None
    if user is None:
        raise Forbidden("Reminders are a staff member's own; this caller is a system.")
    return user


async def change(session: AsyncSession, principal: Principal, body: ReminderSettings) -> User:
    """The member's own choice: a digest needs an address to go to."""
    user = await settings_of(session, principal)
    user.daily_digest, user.reminder_email = body.daily_digest, body.email
    session.add(user)
    await session.flush()
    audit.record(session, principal, AuditAction.UPDATE, "reminder_settings", user.id)
    return user


async def queue_daily(session: AsyncSession, today: date, now: datetime) -> int:
    """One digest per active member who asks for one and has none queued today; run twice the
    same day, the second run queues nothing. How many were queued."""
    queued = 0
    while True:
        members = (
            await session.exec(
                select(User)
                .where(
                    col(User.active).is_(True),
                    col(User.daily_digest).is_(True),
                    col(User.reminder_email).is_not(None),
                    or_(col(User.digest_queued_on).is_(None), col(User.digest_queued_on) < today),
                )
                .order_by(col(User.id))
                .limit(_BATCH)
                .with_for_update(skip_locked=True)
            )
        ).all()
        for member in members:
            outbox.enqueue(
                session,
                Topic.DIGEST,
                now,
                record_id=member.id,
                organisation_id=member.organisation_id,
            )
            member.digest_queued_on = today
        session.add_all(members)
        await session.flush()
        queued += len(members)
        if len(members) < _BATCH:
            return queued
