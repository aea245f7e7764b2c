"""The person's consents (CONSENT-DISCLOSURE): recorded with the day of the signed form,
withdrawn at once, kept on record."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain import consent as consent_rules
from app.domain.closure import check_in_work
from app.domain.consent import ConsentFacts, ConsentPurpose
from app.domain.dates import check_event_date
from app.domain.exchange import WebhookEvent
from app.errors import NotFound
from app.models import Consent, Victim
from app.schemas.consents import ConsentCreate
from app.security import Principal
from app.services import audit, job_referrals, webhook_endpoints
from app.services.audit import AuditAction
from app.services.facts import consent_facts
from app.services.organisations import get_referenced
from app.services.pagination import PageParams, fetch_page


async def list_consents(
    session: AsyncSession, principal: Principal, victim: Victim, page: PageParams
) -> tuple[Sequence[Consent], str | None]:
    query = select(Consent).where(Consent.victim_id == victim.id)
    consents, cursor = await fetch_page(session, query, Consent.id, page)
    audit.record(session, principal, AuditAction.LIST, "consent", None, victim_id=victim.id)
    return consents, cursor


async def get_consent(session: AsyncSession, victim: Victim, consent_id: UUID) -> Consent:
    consent = await session.get(Consent, consent_id)
    if consent is None or consent.victim_id != victim.id:
        raise NotFound("No such consent.")
    return consent


def read_consent(session: AsyncSession, principal: Principal, consent: Consent) -> Consent:
    audit.record(
        session, principal, AuditAction.READ, "consent", consent.id, victim_id=consent.victim_id
    )
    return consent


async def record_consent(
    session: AsyncSession,
    principal: Principal,
    victim: Victim,
    data: ConsentCreate,
    now: datetime,
    today: date,
) -> Consent:
    if data.recipient_organisation_id is not None:
        await get_referenced(session, data.recipient_organisation_id, "recipient_organisation_id")
    existing = [consent_facts(c) for c in await _consents_of(session, victim.id)]
    consent = build(principal, victim, data, existing, now, today)
    session.add(consent)
    await session.flush()
    audit.record(session, principal, AuditAction.CREATE, "consent", consent.id, victim_id=victim.id)
    await webhook_endpoints.consent_changed(session, consent, WebhookEvent.CONSENT_GIVEN, now)
    return consent


def build(
    principal: Principal,
    victim: Victim,
    data: ConsentCreate,
    existing: Sequence[ConsentFacts],
    now: datetime,
    today: date,
) -> Consent:
    """A new consent, checked against the person's ``existing`` ones, not yet stored
    (``record_consent``, and an import's rows)."""
    check_in_work(victim.status, "record a consent")
    given_on = data.given_on or today
    check_event_date("given_on", given_on, today, victim.identified_on)
    consent_rules.check_new_consent(data.purpose, data.recipient_organisation_id, existing)
    return Consent(
        victim_id=victim.id,
        purpose=data.purpose,
        recipient_organisation_id=data.recipient_organisation_id,
        given_on=given_on,
        given_at=now,
        recorded_by=principal.actor_id,
    )


async def withdraw_consent(
    session: AsyncSession, principal: Principal, consent: Consent, now: datetime
) -> Consent:
    """Withdrawal is stamped once; the consent stays on record (who, when) for the audit. What
    was shared on its strength stops: the recipient organisation is told, and job referrals to
    SCME are withdrawn there (MAN-SCME-PRIORITY)."""
    consent_rules.check_withdrawable(consent_facts(consent))
    consent.withdrawn_at, consent.withdrawn_by = now, principal.actor_id
    session.add(consent)
    await session.flush()
    audit.record(
        session, principal, AuditAction.WITHDRAW, "consent", consent.id, victim_id=consent.victim_id
    )
    await webhook_endpoints.consent_changed(session, consent, WebhookEvent.CONSENT_WITHDRAWN, now)
    if consent.purpose is ConsentPurpose.SCME_JOB_REFERRAL:
        await job_referrals.withdraw_open(session, consent.victim_id, now)
    return consent


async def _consents_of(session: AsyncSession, victim_id: UUID) -> Sequence[Consent]:
    query = select(Consent).where(Consent.victim_id == victim_id).order_by(col(Consent.id).desc())
    return (await session.exec(query)).all()
