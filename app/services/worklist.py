"""The worklist: what the caller's organisation must do next, across the cases it sees. A closed
case leaves it, but for its follow-up contacts, its monitoring reports and an alert not yet
acknowledged (MAN-CASE-CLOSE, MAN-PSYCHIATRIC-ALERT)."""

from datetime import date, timedelta
from typing import Any

from sqlalchemy import exists
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Action, can
from app.domain.care import plan_review_due
from app.domain.casework import (
    AgreementStatus,
    AssessmentKind,
    AssessmentStatus,
    CarePlanKind,
    CarePlanStatus,
    FollowUpStatus,
    ReferralStatus,
)
from app.domain.rulebook import Rulebook
from app.domain.shelter import StayStatus
from app.domain.worklist import (
    WorkItem,
    agreement_ending_item,
    follow_up_item,
    individual_assessment_item,
    medical_examination_item,
    monitoring_report_item,
    ordered,
    plan_review_item,
    psychiatric_alert_item,
    sort_key,
)
from app.models import (
    Alert,
    Assessment,
    CarePlan,
    CarePlanReview,
    FollowUpContact,
    MonitoringReport,
    Referral,
    ServiceAgreement,
    Shelter,
    ShelterStay,
)
from app.security import Principal
from app.services import audit
from app.services.pagination import PageParams, page_of
from app.services.scope import kept_by_caller, victim_in_work, victim_is_visible


async def page_for(
    session: AsyncSession,
    principal: Principal,
    today: date,
    rulebook: Rulebook,
    page: PageParams,
) -> tuple[list[WorkItem], str | None]:
    """One page of the caller's items, soonest first; each person shown is an audited read."""
    items = [
        *await _individual_assessments(session, principal, today),
        *await _follow_ups(session, principal, today),
        *await _agreements_ending(session, principal, today, rulebook),
        *await _medical_examinations(session, principal, today),
        *await _monitoring_reports(session, principal, today),
        *await _psychiatric_alerts(session, principal, today),
        *await _plan_reviews(session, principal, today, rulebook),
    ]
    shown, cursor = page_of(ordered(items), sort_key, page)
    audit.record_reads(session, principal, "work_item", [(i.record_id, i.victim_id) for i in shown])
    return shown, cursor


async def _individual_assessments(
    session: AsyncSession, principal: Principal, today: date
) -> list[WorkItem]:
    """SOP-INDIVIDUAL-20D: the service that made the initial contact owes the assessment."""
    done = exists().where(
        col(Assessment.referral_id) == col(Referral.id),
        col(Assessment.kind) == AssessmentKind.INDIVIDUAL_NEEDS,
        col(Assessment.status) == AssessmentStatus.COMPLETED,
    )
    query = select(Referral).where(
        col(Referral.status) == ReferralStatus.IN_PROGRESS,
        col(Referral.individual_assessment_due_on).is_not(None),
        kept_by_caller(principal, Referral.to_organisation_id),
        victim_in_work(principal, col(Referral.victim_id)),
        ~done,
    )
    return [
        individual_assessment_item(r.id, r.victim_id, r.individual_assessment_due_on, today)
        for r in (await session.exec(query)).all()
        if r.individual_assessment_due_on is not None
    ]


async def _follow_ups(session: AsyncSession, principal: Principal, today: date) -> list[WorkItem]:
    query = select(FollowUpContact).where(
        col(FollowUpContact.status) == FollowUpStatus.DUE,
        kept_by_caller(principal, FollowUpContact.organisation_id),
        victim_is_visible(principal, col(FollowUpContact.victim_id)),
    )
    return [
        follow_up_item(f.id, f.victim_id, f.due_on, today)
        for f in (await session.exec(query)).all()
    ]


async def _agreements_ending(
    session: AsyncSession, principal: Principal, today: date, rulebook: Rulebook
) -> list[WorkItem]:
    horizon = today + timedelta(days=rulebook.agreement_ending_notice_days)
    query = select(ServiceAgreement).where(
        col(ServiceAgreement.status) == AgreementStatus.ACTIVE,
        col(ServiceAgreement.ends_on) <= horizon,
        kept_by_caller(principal, ServiceAgreement.organisation_id)
        | kept_by_caller(principal, ServiceAgreement.provider_organisation_id),
        victim_in_work(principal, col(ServiceAgreement.victim_id)),
    )
    found = [
        agreement_ending_item(a.id, a.victim_id, a.ends_on, today, rulebook)
        for a in (await session.exec(query)).all()
    ]
    return [item for item in found if item is not None]


def _stays_of_our_shelters(principal: Principal, *conditions: Any, in_work: bool = True) -> Any:
    seen = victim_in_work if in_work else victim_is_visible
    return (
        select(ShelterStay)
        .join(Shelter, col(Shelter.id) == col(ShelterStay.shelter_id))
        .where(
            kept_by_caller(principal, Shelter.organisation_id),
            seen(principal, col(ShelterStay.victim_id)),
            *conditions,
        )
    )


async def _medical_examinations(
    session: AsyncSession, principal: Principal, today: date
) -> list[WorkItem]:
    """MAN-MEDICAL-EXAM: admitted, and no medical assessment completed since admission."""
    examined = exists().where(
        col(Assessment.victim_id) == col(ShelterStay.victim_id),
        col(Assessment.kind) == AssessmentKind.MEDICAL,
        col(Assessment.status) == AssessmentStatus.COMPLETED,
        col(Assessment.performed_on) >= col(ShelterStay.admitted_on),
    )
    query = _stays_of_our_shelters(
        principal, col(ShelterStay.status) == StayStatus.ADMITTED, ~examined
    )
    return [
        medical_examination_item(s.id, s.victim_id, s.medical_exam_due_on, today)
        for s in (await session.exec(query)).all()
        if s.medical_exam_due_on is not None
    ]


async def _monitoring_reports(
    session: AsyncSession, principal: Principal, today: date
) -> list[WorkItem]:
    """MAN-MONITORING-6M: discharged, and no Annex 7 report yet."""
    reported = exists().where(col(MonitoringReport.stay_id) == col(ShelterStay.id))
    query = _stays_of_our_shelters(
        principal, col(ShelterStay.status) == StayStatus.DISCHARGED, ~reported, in_work=False
    )
    return [
        monitoring_report_item(s.id, s.victim_id, s.monitoring_due_on, today)
        for s in (await session.exec(query)).all()
        if s.monitoring_due_on is not None
    ]


async def _psychiatric_alerts(
    session: AsyncSession, principal: Principal, today: date
) -> list[WorkItem]:
    """MAN-PSYCHIATRIC-ALERT: for the shelter manager and the coordinator only."""
    if not can(principal.role, Action.ALERT_ACKNOWLEDGE):
        return []
    query = select(Alert).where(
        col(Alert.acknowledged_at).is_(None),
        kept_by_caller(principal, Alert.organisation_id),
        victim_is_visible(principal, col(Alert.victim_id)),  # at once, closed case or not
    )
    return [
        psychiatric_alert_item(a.id, a.victim_id, a.raised_on, today)
        for a in (await session.exec(query)).all()
    ]


async def _plan_reviews(
    session: AsyncSession, principal: Principal, today: date, rulebook: Rulebook
) -> list[WorkItem]:
    """MAN-STAFF-MEETING: each admitted resident's active rehabilitation plan, at the weekly
    staff meeting of the organisation that keeps it."""
    last_review = (
        select(func.max(CarePlanReview.held_on))
        .where(col(CarePlanReview.care_plan_id) == col(CarePlan.id))
        .scalar_subquery()
    )
    admitted_here = exists().where(  # at a shelter of the organisation that keeps the plan
        col(ShelterStay.victim_id) == col(CarePlan.victim_id),
        col(ShelterStay.status) == StayStatus.ADMITTED,
        col(Shelter.id) == col(ShelterStay.shelter_id),
        col(Shelter.organisation_id) == col(CarePlan.organisation_id),
    )
    query = select(
        col(CarePlan.id), col(CarePlan.victim_id), col(CarePlan.activated_on), last_review
    ).where(
        col(CarePlan.status) == CarePlanStatus.ACTIVE,
        col(CarePlan.kind) == CarePlanKind.REHABILITATION,
        kept_by_caller(principal, CarePlan.organisation_id),
        victim_in_work(principal, col(CarePlan.victim_id)),
        admitted_here,
    )
    return [
        plan_review_item(plan_id, victim_id, plan_review_due(activated, reviewed, rulebook), today)
        for plan_id, victim_id, activated, reviewed in await session.exec(query)
        if activated is not None
    ]
