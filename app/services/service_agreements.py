"""Service agreements (on an active care plan, with consent, within the term and the one-year
cap) and the follow-up contact that is arranged when the person leaves the service."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import keeps_record
from app.domain.care import check_exit_information
from app.domain.casework import AGREEMENT_STEPS, FollowUpTrigger
from app.domain.dates import check_in_order, check_not_future
from app.domain.errors import InvalidValue
from app.domain.pathway import AgreementRequest, check_agreement
from app.domain.rulebook import Rulebook
from app.domain.states import advance
from app.errors import Forbidden
from app.models import CarePlan, ServiceAgreement
from app.schemas.service_agreements import AgreementCreate
from app.security import Principal
from app.services import facts, follow_up_contacts, records
from app.services.audit import AuditAction
from app.services.follow_up_contacts import Exit
from app.services.organisations import get_referenced
from app.services.pagination import PageParams
from app.services.referrals import licences_of


async def create(
    session: AsyncSession,
    principal: Principal,
    data: AgreementCreate,
    rulebook: Rulebook,
) -> ServiceAgreement:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    plan = await session.get(CarePlan, data.care_plan_id)
    if plan is None or plan.victim_id != victim.id:
        raise InvalidValue("care_plan_id", "Not a care plan of this person.")
    if not keeps_record(principal.organisation_id, plan.organisation_id):
        raise Forbidden("The organisation that keeps the care plan signs its agreements.")
    provider = await get_referenced(
        session, data.provider_organisation_id, "provider_organisation_id"
    )
    request = AgreementRequest(
        care_plan_status=plan.status,
        consent_given=data.consent_given,
        term=data.term,
        starts_on=data.starts_on,
        ends_on=data.ends_on,
        provider_id=provider.id,
        provider_licences=licences_of(provider),
        case_organisation_id=victim.organisation_id,
        consents=await facts.consents_of(session, victim.id),
    )
    check_agreement(request, rulebook)
    agreement = ServiceAgreement(
        **data.model_dump(exclude={"provider_organisation_id"}),
        provider_organisation_id=provider.id,
        organisation_id=principal.organisation,
        created_by=principal.actor_id,
        rulebook_version=rulebook.version,
    )
    session.add(agreement)
    await session.flush()
    records.audit_change(session, principal, agreement, AuditAction.CREATE)
    return agreement


@dataclass(frozen=True)
class Ending:
    ended_on: date | None  # by default today
    reason: str | None
    exit_information: str | None


async def end(
    session: AsyncSession,
    principal: Principal,
    agreement: ServiceAgreement,
    action: str,
    ending: Ending,
    today: date,
    rulebook: Rulebook,
) -> ServiceAgreement:
    """``terminate`` or ``complete``: either way the person leaves the service with the
    information they were given, and a follow-up contact is arranged after the rulebook's delay
    (MAN-EXIT, SOP-FOLLOW-UP). The organisation that signed the agreement, or its provider,
    ends it."""
    keepers = (agreement.organisation_id, agreement.provider_organisation_id)
    if not keeps_record(principal.organisation_id, *keepers):
        raise Forbidden("The organisations party to the agreement end it.")
    next_status = advance(AGREEMENT_STEPS, "service agreement", agreement.status, action)
    ended_on = ending.ended_on or today
    check_not_future("ended_on", ended_on, today)
    check_in_order("ended_on", ended_on, agreement.starts_on, "An agreement ends after it starts.")
    check_exit_information(ending.exit_information)
    agreement.ended_on = ended_on
    agreement.end_reason, agreement.exit_information = ending.reason, ending.exit_information
    await records.save_step(session, principal, agreement, next_status)
    left = Exit(
        agreement.victim_id,
        agreement.organisation_id,
        ended_on,
        FollowUpTrigger.AGREEMENT_ENDED,
        agreement_id=agreement.id,
    )
    await follow_up_contacts.schedule(session, principal, left, rulebook)
    return agreement


async def list_visible(
    session: AsyncSession, principal: Principal, page: PageParams, victim_id: UUID | None
) -> tuple[Sequence[ServiceAgreement], str | None]:
    filters = [col(ServiceAgreement.victim_id) == victim_id] if victim_id is not None else []
    return await records.page_visible(session, principal, ServiceAgreement, page, *filters)
