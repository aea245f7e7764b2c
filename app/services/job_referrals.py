"""SCME job referrals (MAN-SCME-PRIORITY): made with the person's consent, sent through the
outbox with only what a job search needs, followed by SCME's events, withdrawn with the consent."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import ColumnElement, and_, exists
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import reads_as_scme
from app.domain.consent import ConsentPurpose, has_active_consent
from app.domain.dates import check_not_future
from app.domain.exchange import (
    JOB_REFERRAL_STEPS,
    OPEN_JOB_REFERRAL_STATES,
    SHARED_WITH_SCME,
    JobReferralStatus,
    OutboxStatus,
    ScmeEvent,
    Topic,
    check_placement,
    check_scme_consent,
)
from app.domain.states import advance
from app.domain.vocabulary import VictimStatus
from app.errors import IdempotencyKeyReused, NotFound
from app.models import Consent, JobReferral, JobReferralEvent, Victim
from app.schemas.job_referrals import JobReferralCreate, JobReferralEventCreate
from app.security import Principal
from app.services import audit, facts, outbox
from app.services.audit import AuditAction
from app.services.common import locked
from app.services.pagination import PageParams, fetch_page
from app.services.scope import victim_is_visible

RECORD = "job_referral"


@dataclass(frozen=True)
class JobReferralFile:
    """A job referral with what its reader is shown beside it: SCME sees the person's identity,
    case workers the events."""

    referral: JobReferral
    events: Sequence[JobReferralEvent]
    person: Victim | None


def _visible(principal: Principal) -> ColumnElement[bool]:
    if reads_as_scme(principal.role):
        return shared_with_scme()
    return victim_is_visible(principal, col(JobReferral.victim_id))


def shared_with_scme() -> ColumnElement[bool]:
    """What SCME reads: a job referral recorded as sent to it, while the person's consent holds
    and the person is not erased."""
    consented = exists().where(
        col(Consent.victim_id) == col(JobReferral.victim_id),
        col(Consent.purpose) == ConsentPurpose.SCME_JOB_REFERRAL,
        col(Consent.withdrawn_at).is_(None),
    )
    in_case_work = exists().where(
        col(Victim.id) == col(JobReferral.victim_id), col(Victim.status) != VictimStatus.ERASED
    )
    return and_(col(JobReferral.status).in_(SHARED_WITH_SCME), consented, in_case_work)


async def get_visible(
    session: AsyncSession, principal: Principal, job_referral_id: UUID
) -> JobReferral:
    query = select(JobReferral).where(col(JobReferral.id) == job_referral_id, _visible(principal))
    referral = (await session.exec(query)).first()
    if referral is None:
        raise NotFound("No such job referral.")
    return referral


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    status: JobReferralStatus | None,
    victim_id: UUID | None,
) -> tuple[list[JobReferralFile], str | None]:
    query = select(JobReferral).where(_visible(principal))
    if status is not None:
        query = query.where(col(JobReferral.status) == status)
    if victim_id is not None:
        query = query.where(col(JobReferral.victim_id) == victim_id)
    found, cursor = await fetch_page(session, query, JobReferral.id, page)
    audit.record_reads(session, principal, RECORD, [(r.id, r.victim_id) for r in found])
    return await files_of(session, principal, found), cursor


async def read(
    session: AsyncSession, principal: Principal, referral: JobReferral
) -> JobReferralFile:
    audit.record(
        session, principal, AuditAction.READ, RECORD, referral.id, victim_id=referral.victim_id
    )
    [file] = await files_of(session, principal, [referral])
    return file


async def files_of(
    session: AsyncSession, principal: Principal, found: Sequence[JobReferral]
) -> list[JobReferralFile]:
    """One query for the whole page: the persons (for SCME) or the events (for case workers)."""
    ids = [r.id for r in found]
    if not ids:
        return []
    if reads_as_scme(principal.role):
        of_persons = select(Victim).where(col(Victim.id).in_([r.victim_id for r in found]))
        persons = {v.id: v for v in (await session.exec(of_persons)).all()}
        return [JobReferralFile(r, (), persons[r.victim_id]) for r in found]
    events: dict[UUID, list[JobReferralEvent]] = {r.id: [] for r in found}
    query = (
        select(JobReferralEvent)
        .where(col(JobReferralEvent.job_referral_id).in_(ids))
        .order_by(col(JobReferralEvent.id))
    )
    for event in (await session.exec(query)).all():
        events[event.job_referral_id].append(event)
    return [JobReferralFile(r, events[r.id], None) for r in found]


async def create(
    session: AsyncSession, principal: Principal, data: JobReferralCreate, now: datetime
) -> JobReferral:
    """MAN-SCME-PRIORITY: with the person's consent; SCME gets it through the outbox."""
    victim = await facts.visible_victim(session, principal, data.victim_id)
    check_scme_consent(await facts.consents_of(session, victim.id))
    referral = JobReferral(
        victim_id=victim.id,
        organisation_id=principal.organisation,
        profession=data.profession,
        region=data.region,
        skills=data.skills,
        education=data.education,
        created_by=principal.actor_id,
        created_at=now,
    )
    session.add(referral)
    await session.flush()
    outbox.enqueue(session, Topic.SCME_JOB_REFERRAL, now, record_id=referral.id)
    audit.record(session, principal, AuditAction.CREATE, RECORD, referral.id, victim_id=victim.id)
    return referral


async def report_event(
    session: AsyncSession,
    principal: Principal,
    referral: JobReferral,
    data: JobReferralEventCreate,
    today: date,
) -> JobReferral:
    """SCME's progress report. Its event id is its idempotency key: the same event again
    changes nothing; the id reused for another event is refused."""
    referral = await locked(session, JobReferral, referral.id)
    known = await _event(session, referral.id, data.event_id)
    if known is not None:
        if (known.kind, known.occurred_on, known.employer) != (
            data.kind,
            data.occurred_on,
            data.employer,
        ):
            raise IdempotencyKeyReused("This event id was reported before with other content.")
        return referral
    check_not_future("occurred_on", data.occurred_on, today)
    check_placement(data.kind, data.employer)
    referral.status = advance(JOB_REFERRAL_STEPS, "job referral", referral.status, data.kind)
    if data.kind is ScmeEvent.PLACED:
        referral.employer, referral.placed_on = data.employer, data.occurred_on
    session.add(referral)
    session.add(
        JobReferralEvent(
            job_referral_id=referral.id,
            scme_event_id=data.event_id,
            kind=data.kind,
            occurred_on=data.occurred_on,
            employer=data.employer,
        )
    )
    await session.flush()
    audit.record(
        session, principal, AuditAction.UPDATE, RECORD, referral.id, victim_id=referral.victim_id
    )
    return referral


async def _event(
    session: AsyncSession, referral_id: UUID, event_id: str
) -> JobReferralEvent | None:
    query = select(JobReferralEvent).where(
        col(JobReferralEvent.job_referral_id) == referral_id,
        col(JobReferralEvent.scme_event_id) == event_id,
    )
    return (await session.exec(query)).first()


async def withdraw_open(session: AsyncSession, victim_id: UUID, now: datetime) -> None:
    """The person withdrew the consent (or is erased): every open job referral is withdrawn,
    and SCME is told to delete every one it may hold — closed ones included. One SCME never
    had is simply not sent."""
    query = (
        select(JobReferral)
        .where(
            col(JobReferral.victim_id) == victim_id,
            col(JobReferral.status).in_(OPEN_JOB_REFERRAL_STATES | {JobReferralStatus.CLOSED}),
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    for referral in (await session.exec(query)).all():
        if await _may_be_held_by_scme(session, referral):
            await _tell_scme_to_delete(session, referral, now)
        if referral.status in OPEN_JOB_REFERRAL_STATES:
            referral.status = advance(
                JOB_REFERRAL_STEPS, "job referral", referral.status, "withdraw"
            )
            session.add(referral)


async def _may_be_held_by_scme(session: AsyncSession, referral: JobReferral) -> bool:
    """Sent, or an attempt was made (a timeout may have reached SCME). What still waits is
    cancelled (a message being sent right now keeps its lease: the withdrawal waits for it)."""
    reached = referral.status is not JobReferralStatus.PENDING
    for message in await outbox.messages_for(session, Topic.SCME_JOB_REFERRAL, referral.id):
        reached = reached or message.attempts > 0
        if message.status is OutboxStatus.PENDING:
            outbox.cancel(session, message, "The person withdrew the consent.")
    return reached


async def _tell_scme_to_delete(session: AsyncSession, referral: JobReferral, now: datetime) -> None:
    if await outbox.messages_for(session, Topic.SCME_WITHDRAWAL, referral.id):
        return  # told already
    payload = {"withdrawn_at": now.isoformat()}
    outbox.enqueue(session, Topic.SCME_WITHDRAWAL, now, record_id=referral.id, payload=payload)


# --- for the outbox worker --------------------------------------------------------------------


async def to_send(session: AsyncSession, referral_id: UUID) -> tuple[JobReferral, Victim] | None:
    """The job referral and its person, if it may go to SCME now (MAN-SCME-PRIORITY: still
    open and the consent active); None otherwise."""
    referral = await session.get(JobReferral, referral_id)
    if referral is None or referral.status not in OPEN_JOB_REFERRAL_STATES:
        return None
    person = await session.get_one(Victim, referral.victim_id)
    consents = await facts.consents_of(session, person.id)
    if person.status is VictimStatus.ERASED or not has_active_consent(
        consents, ConsentPurpose.SCME_JOB_REFERRAL
    ):
        return None
    return referral, person


async def stop_unsendable(session: AsyncSession, referral_id: UUID, now: datetime) -> None:
    """The worker found a referral it may no longer send (the consent was withdrawn while it was
    being made): it is withdrawn like the others, so that it does not wait for ever."""
    referral = await session.get(JobReferral, referral_id)
    if referral is not None and referral.status in OPEN_JOB_REFERRAL_STATES:
        await withdraw_open(session, referral.victim_id, now)


async def mark_sent(session: AsyncSession, referral_id: UUID, now: datetime) -> JobReferral:
    """SCME confirmed receipt (it may have reported an event already)."""
    referral = await locked(session, JobReferral, referral_id)
    if referral.status is JobReferralStatus.PENDING:
        referral.status = advance(JOB_REFERRAL_STEPS, "job referral", referral.status, "sent")
    referral.sent_at = referral.sent_at or now
    session.add(referral)
    return referral
