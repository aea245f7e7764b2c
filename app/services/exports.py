"""The person's file (ACCESS-OWN-RECORDS): everything held on one person, as the caller's role
may read it; what the role may not read is named as withheld."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Action, can, reads_health_record
from app.models import (
    Alert,
    Assessment,
    CarePlan,
    CarePlanReview,
    CaseClosure,
    Consent,
    FollowUpContact,
    GrantLine,
    HealthRecord,
    JobReferral,
    MonitoringReport,
    Referral,
    ReintegrationGrant,
    ServiceAgreement,
    ShelterStay,
    Victim,
    Visit,
)
from app.security import Principal
from app.services import audit, counselling_sessions, grants, records
from app.services.audit import AuditAction
from app.services.counselling_sessions import SessionFile

M = TypeVar("M", bound=SQLModel)


@dataclass(frozen=True)
class PersonFile:
    """Everything held on one person (ACCESS-OWN-RECORDS)."""

    victim: Victim
    consents: Sequence[Consent]
    referrals: Sequence[Referral]
    assessments: Sequence[Assessment]
    care_plans: Sequence[CarePlan]
    care_plan_reviews: Sequence[CarePlanReview]
    sessions: Sequence[SessionFile]
    service_agreements: Sequence[ServiceAgreement]
    follow_up_contacts: Sequence[FollowUpContact]
    shelter_stays: Sequence[ShelterStay]
    monitoring_reports: Sequence[MonitoringReport]
    job_referrals: Sequence[JobReferral]
    closures: Sequence[CaseClosure]
    health_record: HealthRecord | None
    grants: Sequence[tuple[ReintegrationGrant, Sequence[GrantLine]]]
    alerts: Sequence[Alert]
    visits: Sequence[Visit]  # visits to the person at the shelter
    withheld: Sequence[str]  # the sections the caller's role may not read


async def export(session: AsyncSession, principal: Principal, victim: Victim) -> PersonFile:
    async def of_person(model: type[M]) -> Sequence[M]:
        column = col(getattr(model, "victim_id"))  # noqa: B009
        query = select(model).where(column == victim.id).order_by(col(getattr(model, "id")))  # noqa: B009
        return (await session.exec(query)).all()

    role = principal.role
    plans = await of_person(CarePlan)
    reviews_of_plans = select(CarePlanReview).where(
        col(CarePlanReview.care_plan_id).in_([p.id for p in plans])
    )
    reviews = (await session.exec(reviews_of_plans.order_by(col(CarePlanReview.id)))).all()
    audit.record(session, principal, AuditAction.EXPORT, "victim", victim.id, victim_id=victim.id)
    health_record = next(iter(await of_person(HealthRecord)), None)
    if health_record is not None and reads_health_record(role):
        records.audit_read(session, principal, health_record)
    withheld: list[str] = []

    async def if_allowed(name: str, allowed: bool, model: type[M]) -> Sequence[M]:
        if allowed:
            return await of_person(model)
        withheld.append(name)
        return ()

    sessions = await counselling_sessions.of_person(session, principal, victim.id)
    others = [(f.record.id, v) for f in sessions for v in f.victim_ids if v != victim.id]
    audit.record_reads(session, principal, counselling_sessions.RECORD_TYPE, others)
    granted = await if_allowed("grants", can(role, Action.GRANT_READ), ReintegrationGrant)
    lines = await grants.lines_by_grant(session, granted)
    reads_alerts = can(role, Action.ALERT_ACKNOWLEDGE) or reads_health_record(role)
    return PersonFile(
        victim=victim,
        consents=await of_person(Consent),
        referrals=await of_person(Referral),
        assessments=await of_person(Assessment),
        care_plans=plans,
        care_plan_reviews=reviews,
        sessions=sessions,
        service_agreements=await of_person(ServiceAgreement),
        follow_up_contacts=await of_person(FollowUpContact),
        shelter_stays=await of_person(ShelterStay),
        monitoring_reports=await of_person(MonitoringReport),
        job_referrals=await of_person(JobReferral),
        closures=await of_person(CaseClosure),
        health_record=health_record,
        grants=[(g, lines[g.id]) for g in granted],
        alerts=await if_allowed("alerts", reads_alerts, Alert),
        visits=await if_allowed("visits", can(role, Action.VISIT_READ), Visit),
        withheld=withheld,
    )
