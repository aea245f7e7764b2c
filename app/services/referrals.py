"""Referrals between organisations: the rules at the door, then accept / decline / cancel,
the initial contact that starts the 20-day clock, and completion."""

from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import answers_referral, cancels_referral
from app.domain.care import check_exit_information
from app.domain.casework import REFERRAL_STEPS, AssessmentKind, FollowUpTrigger, ReferralStatus
from app.domain.consent import ConsentFacts
from app.domain.dates import check_event_date, check_in_order, check_not_future
from app.domain.errors import InvalidValue
from app.domain.exchange import WebhookEvent
from app.domain.pathway import (
    AssessmentFacts,
    LicenceFacts,
    ReferralRequest,
    check_disclosure,
    check_referral,
    individual_assessment_due,
)
from app.domain.rulebook import Rulebook
from app.domain.states import advance
from app.errors import Forbidden, NotFound
from app.models import Assessment, Organisation, Referral, Victim
from app.schemas.referrals import ReferralComplete, ReferralCreate, ReferralDecline
from app.security import Principal
from app.services import audit, caseload, facts, follow_up_contacts, records, webhook_endpoints
from app.services.audit import AuditAction
from app.services.follow_up_contacts import Exit
from app.services.organisations import get_referenced
from app.services.pagination import PageParams, fetch_page
from app.services.scope import visible_referrals


async def get_visible(session: AsyncSession, principal: Principal, referral_id: UUID) -> Referral:
    query = select(Referral).where(col(Referral.id) == referral_id, visible_referrals(principal))
    referral = (await session.exec(query)).first()
    if referral is None:
        raise NotFound("No such referral.")
    return referral


async def list_visible(
    session: AsyncSession,
    principal: Principal,
    page: PageParams,
    status: ReferralStatus | None,
    victim_id: UUID | None,
) -> tuple[Sequence[Referral], str | None]:
    query = select(Referral).where(visible_referrals(principal))
    if status is not None:
        query = query.where(Referral.status == status)
    if victim_id is not None:
        query = query.where(Referral.victim_id == victim_id)
    referrals, cursor = await fetch_page(session, query, Referral.id, page)
    audit.record_reads(session, principal, "referral", [(r.id, r.victim_id) for r in referrals])
    return referrals, cursor


def read(session: AsyncSession, principal: Principal, referral: Referral) -> Referral:
    action = AuditAction.READ
    audit.record(session, principal, action, "referral", referral.id, victim_id=referral.victim_id)
    return referral


async def create(
    session: AsyncSession,
    principal: Principal,
    data: ReferralCreate,
    now: datetime,
    today: date,
    rulebook: Rulebook,
) -> Referral:
    victim = await facts.visible_victim(session, principal, data.victim_id)
    receiver = await get_referenced(session, data.to_organisation_id, "to_organisation_id")
    referral = build(
        principal,
        victim,
        receiver,
        data,
        today,
        rulebook,
        consents=await facts.consents_of(session, victim.id),
        ina=await _named_ina(session, victim, data.ina_assessment_id),
        family_risk_completed=await facts.has_completed(
            session, victim.id, AssessmentKind.FAMILY_RISK
        ),
    )
    session.add(referral)
    await session.flush()
    audit.record(
        session, principal, AuditAction.CREATE, "referral", referral.id, victim_id=victim.id
    )
    await webhook_endpoints.referral_changed(
        session, principal, referral, WebhookEvent.REFERRAL_REQUESTED, now
    )
    return referral


def build(
    principal: Principal,
    victim: Victim,
    receiver: Organisation,
    data: ReferralCreate,
    today: date,
    rulebook: Rulebook,
    *,
    consents: tuple[ConsentFacts, ...],
    ina: AssessmentFacts | None = None,
    family_risk_completed: bool = False,
) -> Referral:
    """A new referral, checked against what is known of the person (their ``consents``, the
    assessment it names, a completed family risk assessment), not yet stored (``create``, and
    an import's rows)."""
    if receiver.id == principal.organisation_id:
        raise InvalidValue("to_organisation_id", "A referral goes to another organisation.")
    referred_on = data.referred_on or today
    check_event_date("referred_on", referred_on, today, victim.identified_on)
    request = ReferralRequest(
        victim_id=victim.id,
        victim_organisation_id=victim.organisation_id,
        to_organisation_id=receiver.id,
        service=data.service,
        funding=data.funding,
        receiver_funding=receiver.funding,
        referred_on=referred_on,
        identified_on=victim.identified_on,
        registered_address=victim.registered_address,
        licences=licences_of(receiver),
        ina=ina,
        family_risk_completed=family_risk_completed,
        consents=consents,
    )
    check_referral(request, rulebook)
    return Referral(
        victim_id=victim.id,
        from_organisation_id=principal.organisation,
        to_organisation_id=receiver.id,
        service=data.service,
        funding=data.funding,
        ina_assessment_id=data.ina_assessment_id,
        referred_on=referred_on,
        created_by=principal.actor_id,
        rulebook_version=rulebook.version,
    )


def licences_of(organisation: Organisation) -> tuple[LicenceFacts, ...]:
    return tuple(
        LicenceFacts(lic["target_group"], date.fromisoformat(lic["valid_until"]))
        for lic in organisation.licences
    )


async def _named_ina(
    session: AsyncSession, victim: Victim, assessment_id: UUID | None
) -> AssessmentFacts | None:
    """The assessment a referral names must be one of this person's: an unknown id and another
    person's get the same answer, so the answer tells nothing about other records."""
    if assessment_id is None:
        return None
    assessment = await session.get(Assessment, assessment_id)
    if assessment is None or assessment.victim_id != victim.id:
        raise InvalidValue("ina_assessment_id", "No assessment of this person has this id.")
    return await facts.assessment_facts(session, assessment)


async def accept(
    session: AsyncSession, principal: Principal, referral: Referral, now: datetime, today: date
) -> Referral:
    """The receiving organisation takes the person on; the consent to share must still hold.
    The day it does starts the clock of the initial contact (REFERRAL-CONTACT-14D)."""
    _receiver_only(principal, referral)
    next_status = advance(REFERRAL_STEPS, "referral", referral.status, "accept")
    victim = await session.get_one(Victim, referral.victim_id)
    consents = await facts.consents_of(session, referral.victim_id)
    check_disclosure(consents, referral.to_organisation_id, victim.organisation_id)
    referral.accepted_on = today
    await caseload.take_on_referred(session, principal, referral.victim_id, today)
    return await _save(session, principal, referral, next_status, now)


async def decline(
    session: AsyncSession,
    principal: Principal,
    referral: Referral,
    data: ReferralDecline,
    now: datetime,
    today: date,
    rulebook: Rulebook,
) -> Referral:
    """The receiver says no, with the information given to the person on other help (MAN-EXIT);
    the referring organisation, whose case goes on, follows up."""
    _receiver_only(principal, referral)
    next_status = advance(REFERRAL_STEPS, "referral", referral.status, "decline")
    check_exit_information(data.exit_information)
    referral.reason, referral.exit_information = data.reason, data.exit_information
    trigger = FollowUpTrigger.REFERRAL_DECLINED
    left = Exit(
        referral.victim_id, referral.from_organisation_id, today, trigger, referral_id=referral.id
    )
    await follow_up_contacts.schedule(session, principal, left, rulebook)
    return await _save(session, principal, referral, next_status, now)


async def cancel(
    session: AsyncSession,
    principal: Principal,
    referral: Referral,
    reason: str | None,
    now: datetime,
) -> Referral:
    if not cancels_referral(
        principal.role, principal.organisation_id, referral.from_organisation_id
    ):
        raise Forbidden("Only the referring organisation (or the coordinator) cancels a referral.")
    next_status = advance(REFERRAL_STEPS, "referral", referral.status, "cancel")
    referral.reason = reason
    return await _save(session, principal, referral, next_status, now)


async def record_initial_contact(
    session: AsyncSession,
    principal: Principal,
    referral: Referral,
    contact_on: date,
    now: datetime,
    today: date,
    rulebook: Rulebook,
) -> Referral:
    """The first contact at the service: the individual needs assessment is due 20 days on,
    a date fixed now, under the rulebook now in force (SOP-INDIVIDUAL-20D)."""
    _receiver_only(principal, referral)
    next_status = advance(REFERRAL_STEPS, "referral", referral.status, "initial-contact")
    check_not_future("contact_on", contact_on, today)
    check_in_order(
        "contact_on",
        contact_on,
        referral.referred_on,
        "The initial contact comes after the referral.",
    )
    referral.contact_on = contact_on
    referral.individual_assessment_due_on = individual_assessment_due(contact_on, rulebook)
    return await _save(session, principal, referral, next_status, now)


async def complete(
    session: AsyncSession,
    principal: Principal,
    referral: Referral,
    data: ReferralComplete,
    now: datetime,
    today: date,
    rulebook: Rulebook,
) -> Referral:
    """The service is done: the person leaves it with the information given (MAN-EXIT) and the
    service follows up (SOP-FOLLOW-UP)."""
    _receiver_only(principal, referral)
    next_status = advance(REFERRAL_STEPS, "referral", referral.status, "complete")
    completed_on = data.completed_on or today
    check_not_future("completed_on", completed_on, today)
    check_in_order(
        "completed_on",
        completed_on,
        referral.contact_on,
        "The service completes after the initial contact.",
    )
    check_exit_information(data.exit_information)
    referral.completed_on, referral.exit_information = completed_on, data.exit_information
    trigger = FollowUpTrigger.REFERRAL_COMPLETED
    left = Exit(
        referral.victim_id,
        referral.to_organisation_id,
        completed_on,
        trigger,
        referral_id=referral.id,
    )
    await follow_up_contacts.schedule(session, principal, left, rulebook)
    return await _save(session, principal, referral, next_status, now)


# what the parties' systems hear of each step
_EVENTS = {
    ReferralStatus.ACCEPTED: WebhookEvent.REFERRAL_ACCEPTED,
    ReferralStatus.DECLINED: WebhookEvent.REFERRAL_DECLINED,
    ReferralStatus.CANCELLED: WebhookEvent.REFERRAL_CANCELLED,
    ReferralStatus.IN_PROGRESS: WebhookEvent.REFERRAL_IN_PROGRESS,
    ReferralStatus.COMPLETED: WebhookEvent.REFERRAL_COMPLETED,
}


async def _save(
    session: AsyncSession,
    principal: Principal,
    referral: Referral,
    status: ReferralStatus,
    now: datetime,
) -> Referral:
    await records.save_step(session, principal, referral, status)
    await webhook_endpoints.referral_changed(session, principal, referral, _EVENTS[status], now)
    return referral


def _receiver_only(principal: Principal, referral: Referral) -> None:
    if not answers_referral(principal.organisation_id, referral.to_organisation_id):
        raise Forbidden("Only the receiving organisation answers a referral.")
