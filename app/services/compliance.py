"""The coordinator's compliance report: what the procedures required and did not get, counted
by the database, with the cases behind each count."""

from datetime import date
from typing import Any

from sqlalchemy import exists, func, or_
from sqlalchemy.sql.expression import ColumnElement
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.casework import (
    AgreementStatus,
    AssessmentKind,
    AssessmentStatus,
    ReferralStatus,
)
from app.domain.shelter import StayStatus
from app.domain.vocabulary import VictimStatus
from app.models import (
    Assessment,
    MonitoringReport,
    Referral,
    ServiceAgreement,
    ShelterStay,
    Victim,
)
from app.schemas.reports import ComplianceCase, ComplianceReport, ComplianceSection
from app.security import Principal
from app.services import audit
from app.services.sql import as_date, days_between

CASES_SHOWN = 500  # per section, oldest first; the count is always complete


async def report(session: AsyncSession, principal: Principal, today: date) -> ComplianceReport:
    shown = ComplianceReport(
        as_of=today,
        late_individual_assessments=await _late_assessments(session, today),
        missed_monitoring_reports=await _missed_monitoring(session, today),
        medical_examinations_not_done=await _medical_not_done(session, today),
        agreements_over_term=await _agreements_over_term(session, today),
    )
    sections = (
        shown.late_individual_assessments,
        shown.missed_monitoring_reports,
        shown.medical_examinations_not_done,
        shown.agreements_over_term,
    )
    cases = {(case.record_id, case.victim_id) for section in sections for case in section.cases}
    audit.record_reads(session, principal, "compliance_case", sorted(cases))
    return shown


async def _section(
    session: AsyncSession,
    victim: Any,
    record: Any,
    due: Any,
    days_late: Any,
    *conditions: ColumnElement[bool],
) -> ComplianceSection:
    conditions = (*conditions, _in_case_work(victim))
    count = (
        await session.exec(select(func.count()).select_from(record.table).where(*conditions))
    ).one()
    rows = await session.exec(
        select(col(victim), col(record), col(due), days_late)
        .where(*conditions)
        .order_by(col(due), col(record))
        .limit(CASES_SHOWN)
    )
    cases = [ComplianceCase(victim_id=v, record_id=r, due_on=d, days_late=n) for v, r, d, n in rows]
    return ComplianceSection(count=count, cases=cases)


def _in_case_work(victim: Any) -> ColumnElement[bool]:
    """Erased persons are no one's case: nothing is owed for them any more."""
    erased = col(Victim.status) == VictimStatus.ERASED
    return ~exists().where(col(Victim.id) == col(victim), erased)  # off the few erased, not all


async def _late_assessments(session: AsyncSession, today: date) -> ComplianceSection:
    """SOP-INDIVIDUAL-20D: completed late, plus those past due and not done (counted in one
    list: the late ones by their assessment, the missing ones by their referral)."""
    late_done = await _section(
        session,
        Assessment.victim_id,
        Assessment.id,
        Assessment.due_on,
        col(Assessment.late_by_days),
        col(Assessment.kind) == AssessmentKind.INDIVIDUAL_NEEDS,
        col(Assessment.status) == AssessmentStatus.COMPLETED,
        col(Assessment.late_by_days) > 0,
    )
    done = exists().where(
        col(Assessment.referral_id) == col(Referral.id),
        col(Assessment.status) == AssessmentStatus.COMPLETED,
    )
    overdue = await _section(
        session,
        Referral.victim_id,
        Referral.id,
        Referral.individual_assessment_due_on,
        days_between(as_date(today), col(Referral.individual_assessment_due_on)),
        col(Referral.status) == ReferralStatus.IN_PROGRESS,
        col(Referral.individual_assessment_due_on) < today,
        ~done,
    )
    cases = sorted([*late_done.cases, *overdue.cases], key=lambda c: (c.due_on, str(c.record_id)))
    return ComplianceSection(count=late_done.count + overdue.count, cases=cases[:CASES_SHOWN])


async def _missed_monitoring(session: AsyncSession, today: date) -> ComplianceSection:
    """MAN-MONITORING-6M: discharged more than six months ago and no Annex 7 report."""
    reported = exists().where(col(MonitoringReport.stay_id) == col(ShelterStay.id))
    return await _section(
        session,
        ShelterStay.victim_id,
        ShelterStay.id,
        ShelterStay.monitoring_due_on,
        days_between(as_date(today), col(ShelterStay.monitoring_due_on)),
        col(ShelterStay.status) == StayStatus.DISCHARGED,
        col(ShelterStay.monitoring_due_on) < today,
        ~reported,
    )


async def _medical_not_done(session: AsyncSession, today: date) -> ComplianceSection:
    """MAN-MEDICAL-EXAM: past the due date with no completed medical examination during the
    stay (a stay that ended without one stays on the report)."""
    examined = exists().where(
        col(Assessment.victim_id) == col(ShelterStay.victim_id),
        col(Assessment.kind) == AssessmentKind.MEDICAL,
        col(Assessment.status) == AssessmentStatus.COMPLETED,
        col(Assessment.performed_on) >= col(ShelterStay.admitted_on),
        or_(
            col(ShelterStay.discharged_on).is_(None),
            col(Assessment.performed_on) <= col(ShelterStay.discharged_on),
        ),
    )
    return await _section(
        session,
        ShelterStay.victim_id,
        ShelterStay.id,
        ShelterStay.medical_exam_due_on,
        days_between(as_date(today), col(ShelterStay.medical_exam_due_on)),
        col(ShelterStay.status).in_([StayStatus.ADMITTED, StayStatus.DISCHARGED]),
        col(ShelterStay.medical_exam_due_on) < today,
        ~examined,
    )


async def _agreements_over_term(session: AsyncSession, today: date) -> ComplianceSection:
    """Still active after their end date: the term (SOP-TERM, SOP-VOT-MAX-1Y) is overrun."""
    return await _section(
        session,
        ServiceAgreement.victim_id,
        ServiceAgreement.id,
        ServiceAgreement.ends_on,
        days_between(as_date(today), col(ServiceAgreement.ends_on)),
        col(ServiceAgreement.status) == AgreementStatus.ACTIVE,
        col(ServiceAgreement.ends_on) < today,
    )
