"""Erasure of a person's data once the retention period has passed (MAN-RETENTION-6M): the
personal data go, anonymous counts (sex, birth year, nationality, exploitation, services and
dates) and the audit trail stay."""

from datetime import date, datetime

from sqlalchemy import String, cast, delete, exists, update
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.rulebook import Rulebook
from app.domain.shelter import OPEN_STAY_STATES, OwedReport, StayStatus, check_erasable
from app.domain.vocabulary import VictimStatus
from app.models import (
    Assessment,
    CarePlan,
    CarePlanReview,
    CaseClosure,
    CounsellingSession,
    FollowUpContact,
    GrantLine,
    HealthRecord,
    IdempotencyRecord,
    JobReferral,
    JobReferralEvent,
    MonitoringReport,
    Referral,
    ReintegrationGrant,
    ServiceAgreement,
    SessionParticipant,
    ShelterStay,
    Victim,
    Visit,
)
from app.security import Principal
from app.services import audit, job_referrals
from app.services.audit import AuditAction

ERASED = "(erased)"


async def erase(
    session: AsyncSession,
    principal: Principal,
    victim: Victim,
    now: datetime,
    today: date,
    rulebook: Rulebook,
) -> Victim:
    open_stays, last_discharge = (
        await session.exec(
            select(
                func.count().filter(col(ShelterStay.status).in_(OPEN_STAY_STATES)),
                func.max(ShelterStay.discharged_on),
            ).where(col(ShelterStay.victim_id) == victim.id)
        )
    ).one()
    check_erasable(
        open_stays, last_discharge, await _owed_reports(session, victim), today, rulebook
    )
    await job_referrals.withdraw_open(session, victim.id, now)  # SCME deletes its copy too
    await _scrub_records(session, victim)
    _scrub_person(victim)
    session.add(victim)
    await session.flush()
    audit.record(session, principal, AuditAction.ERASE, "victim", victim.id, victim_id=victim.id)
    return victim


async def _owed_reports(session: AsyncSession, victim: Victim) -> list[OwedReport]:
    """MAN-RETENTION-6M: discharged stays whose Annex 7 report is not filed yet."""
    filed = exists().where(col(MonitoringReport.stay_id) == col(ShelterStay.id))
    query = select(col(ShelterStay.id), col(ShelterStay.monitoring_due_on)).where(
        col(ShelterStay.victim_id) == victim.id,
        col(ShelterStay.status) == StayStatus.DISCHARGED,
        ~filed,
    )
    return [
        OwedReport(stay_id, due_on)
        for stay_id, due_on in (await session.exec(query)).all()
        if due_on is not None
    ]


def _scrub_person(victim: Victim) -> None:
    victim.given_name = victim.family_name = ERASED
    victim.registration_number = f"ERASED-{victim.id.hex[:12]}"
    victim.birth_date = date(victim.birth_date.year, 1, 1)  # the age band, no more
    victim.registered_address = victim.contact_phone = None
    victim.departed_on = victim.returned_on = None
    victim.health_contributions_unpaid = victim.eligible_for_social_benefits = None
    victim.insured_months_since_return = None
    victim.status = VictimStatus.ERASED


async def _scrub_records(session: AsyncSession, victim: Victim) -> None:
    """What the person said, and what was written about them, goes; what was done stays."""
    vid = victim.id
    # consents stay: purpose, recipient and dates are the record of why data was shared
    await session.exec(delete(HealthRecord).where(col(HealthRecord.victim_id) == vid))
    plans = select(CarePlan.id).where(col(CarePlan.victim_id) == vid)
    sessions = select(SessionParticipant.session_id).where(col(SessionParticipant.victim_id) == vid)
    grants = select(ReintegrationGrant.id).where(col(ReintegrationGrant.victim_id) == vid)
    job_referrals_of_person = select(JobReferral.id).where(col(JobReferral.victim_id) == vid)
    scrubs = (
        update(Assessment).where(col(Assessment.victim_id) == vid).values(findings=None),
        update(CarePlan).where(col(CarePlan.victim_id) == vid).values(goals=[]),
        update(CarePlanReview)
        .where(col(CarePlanReview.care_plan_id).in_(plans))
        .values(notes=None),
        # a group session's notes speak of everyone in it: they go for each of them
        update(CounsellingSession)
        .where(col(CounsellingSession.id).in_(sessions))
        .values(notes=None),
        update(Referral)
        .where(col(Referral.victim_id) == vid)
        .values(reason=None, exit_information=None),
        update(ServiceAgreement)
        .where(col(ServiceAgreement.victim_id) == vid)
        .values(end_reason=None, exit_information=None),
        update(FollowUpContact).where(col(FollowUpContact.victim_id) == vid).values(outcome=None),
        update(ShelterStay)
        .where(col(ShelterStay.victim_id) == vid)
        .values(exceptional_justification=None, discharge_reason=None, exit_information=None),
        update(MonitoringReport)
        .where(col(MonitoringReport.victim_id) == vid)
        .values(
            contact_duration=None,
            contact_attempts=None,
            marital_status=None,
            children=None,
            problems_after_return=None,
            turned_to=None,
            plans=None,
        ),
        update(CaseClosure)
        .where(col(CaseClosure.victim_id) == vid)
        .values(exit_information=None, reopen_reason=None),
        # a visitor who came to this person is named only by their link to them
        update(Visit)
        .where(col(Visit.victim_id) == vid)
        .values(visitor_name=ERASED, visitor_organisation=ERASED, justification=None),
        update(ReintegrationGrant)
        .where(col(ReintegrationGrant.victim_id) == vid)
        .values(decision_reason=None),
        update(GrantLine).where(col(GrantLine.grant_id).in_(grants)).values(justification=None),
        update(JobReferral)
        .where(col(JobReferral.victim_id) == vid)
        .values(skills=[], education=None, employer=None),
        update(JobReferralEvent)
        .where(col(JobReferralEvent.job_referral_id).in_(job_referrals_of_person))
        .values(employer=None),
        # stored answers to retried requests that showed this person
        delete(IdempotencyRecord).where(
            cast(IdempotencyRecord.victim_ids, String).like(f"%{vid}%")
        ),
    )
    for statement in scrubs:
        await session.exec(statement)
