"""Disclosures (MAN-LEGAL-ADVICE): whatever is given to law enforcement, a court or another body
is recorded — what, to whom, when — and rests on the person's active consent to cooperate with
law enforcement. The consent's row is share-locked while the disclosure is written, so a
withdrawal either comes first and blocks it, or waits for it."""

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.consent import ConsentPurpose
from app.domain.dates import check_event_date
from app.domain.protection import disclosure_consent
from app.models import Consent, Disclosure
from app.schemas.disclosures import DisclosureCreate
from app.security import Principal
from app.services import audit, facts, records
from app.services.audit import AuditAction
from app.services.pagination import PageParams

RECORD_TYPE = "disclosure"


async def record(
    session: AsyncSession, principal: Principal, data: DisclosureCreate, today: date
) -> Disclosure:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    check_event_date("disclosed_on", data.disclosed_on, today, victim.identified_on)
    cooperation = (
        select(Consent)
        .where(
            col(Consent.victim_id) == victim.id,
            col(Consent.purpose) == ConsentPurpose.LAW_ENFORCEMENT_COOPERATION,
        )
        .with_for_update(read=True)
    )
    consents = [(c.id, facts.consent_facts(c)) for c in (await session.exec(cooperation)).all()]
    with audit.refusals_recorded(session, principal, RECORD_TYPE, victim.id):
        consent_id = disclosure_consent(consents, data.disclosed_on)
    disclosure = Disclosure(
        **data.model_dump(),
        organisation_id=principal.organisation,
        consent_id=consent_id,
        recorded_by=principal.actor_id,
    )
    session.add(disclosure)
    await session.flush()
    records.audit_change(session, principal, disclosure, AuditAction.CREATE)
    return disclosure


async def list_visible(
    session: AsyncSession, principal: Principal, page: PageParams, victim_id: UUID | None
) -> tuple[Sequence[Disclosure], str | None]:
    filters = [] if victim_id is None else [col(Disclosure.victim_id) == victim_id]
    return await records.page_visible(session, principal, Disclosure, page, *filters)
