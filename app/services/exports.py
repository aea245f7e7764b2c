"""The person's file (ACCESS-OWN-RECORDS): everything held on one person, as the caller's role
may read it; what the role may not read is named as withheld."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Action, Role, can, reads_health_record
from app.models import (
    Alert,
    Assessment,
    CarePlan,
    CarePlanReview,
    CaseClosure,
    Complaint,
    Consent,
    Disclosure,
    Document,
    FollowUpContact,
    HealthRecord,
    IdentityDocument,
    JobReferral,
    LegalConsultation,
    MicroEnterprise,
    MonitoringReport,
    Referral,
    ReintegrationGrant,
    Return,
    ServiceAgreement,
    Shelter,
    ShelterStay,
    Training,
    Victim,
    Visit,
)
from app.security import Principal
from app.services import (
    audit,
    complaints,
    counselling_sessions,
    documents,
    incidents,
    job_referrals,
    micro_enterprises,
    records,
    reintegration_grants,
)
from app.services.audit import AuditAction
from app.services.counselling_sessions import SessionFile
from app.services.incidents import IncidentFile
from app.services.job_referrals import JobReferralFile
from app.services.micro_enterprises import EnterpriseFile
from app.services.reintegration_grants import GrantFile
from app.services.scope import kept_by_caller

M = TypeVar("M", bound=SQLModel)


# where the export shows each table that holds the person's data (personal_data.PERSON_LINKS)
SECTIONS: Mapping[str, str] = {
    "victims": "victim",
    "consents": "consents",
    "referrals": "referrals",
    "assessments": "assessments",
    "care_plans": "care_plans",
    "care_plan_reviews": "care_plan_reviews",
    "counselling_sessions": "sessions",
    "session_participants": "sessions",
    "service_agreements": "service_agreements",
    "follow_up_contacts": "follow_up_contacts",
    "shelter_stays": "shelter_stays",
    "monitoring_reports": "monitoring_reports",
    "shelter_visits": "visits",
    "job_referrals": "job_referrals",
    "job_referral_events": "job_referrals",
    "case_closures": "closures",
    "health_records": "health_record",
    "reintegration_grants": "grants",
    "grant_lines": "grants",
    "grant_instalments": "grants",
    "alerts": "alerts",
    "legal_consultations": "legal_consultations",
    "disclosures": "disclosures",
    "incidents": "incidents",
    "incident_residents": "incidents",
    "complaints": "complaints",
    "trainings": "trainings",
    "identity_documents": "identity_documents",
    "documents": "documents",
    "micro_enterprises": "micro_enterprises",
    "micro_enterprise_steps": "micro_enterprises",
    "returns": "returns",
}


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
    job_referrals: Sequence[JobReferralFile]  # with their events
    closures: Sequence[CaseClosure]
    health_record: HealthRecord | None
    grants: Sequence[GrantFile]  # with their lines and instalments
    alerts: Sequence[Alert]
    visits: Sequence[Visit]  # visits to the person at the shelter
    legal_consultations: Sequence[LegalConsultation]
    # MAN-LEGAL-ADVICE: every disclosure, with the consent it rested on
    disclosures: Sequence[tuple[Disclosure, Consent]]
    incidents: Sequence[IncidentFile]
    complaints: Sequence[Complaint]  # those the caller handles (MAN-COMPLAINT)
    trainings: Sequence[Training]
    identity_documents: Sequence[IdentityDocument]
    documents: Sequence[Document]  # what is said of them, of the kinds the caller reads
    micro_enterprises: Sequence[EnterpriseFile]  # with their steps
    returns: Sequence[Return]
    withheld: Sequence[str]  # the sections the caller's role may not read


def _withheld(role: Role) -> list[str]:
    """The sections of the file the role may not read (as in their own resources)."""
    allowed = {
        "grants": can(role, Action.GRANT_READ),
        "alerts": can(role, Action.ALERT_ACKNOWLEDGE) or reads_health_record(role),
        "visits": can(role, Action.VISIT_READ),
        "incidents": can(role, Action.INCIDENT_READ),
        "complaints": can(role, Action.COMPLAINT_HANDLE),
    }
    return [section for section, may in allowed.items() if not may]


async def export(session: AsyncSession, principal: Principal, victim: Victim) -> PersonFile:
    async def of_person(model: type[M], *conditions: Any) -> Sequence[M]:
        column = col(getattr(model, "victim_id"))  # noqa: B009
        query = select(model).where(column == victim.id, *conditions)
        return (await session.exec(query.order_by(col(getattr(model, "id"))))).all()  # noqa: B009

    withheld = _withheld(principal.role)
    audit.record(session, principal, AuditAction.EXPORT, "victim", victim.id, victim_id=victim.id)
    plans = await of_person(CarePlan)
    reviews = await session.exec(
        select(CarePlanReview)
        .where(col(CarePlanReview.care_plan_id).in_([p.id for p in plans]))
        .order_by(col(CarePlanReview.id))
    )
    health_record = next(iter(await of_person(HealthRecord)), None)
    if health_record is not None and reads_health_record(principal.role):
        records.audit_read(session, principal, health_record)
    sessions = await counselling_sessions.of_person(session, principal, victim.id)
    others = [(f.record.id, v) for f in sessions for v in f.victim_ids if v != victim.id]
    audit.record_reads(session, principal, counselling_sessions.RECORD_TYPE, others)
    consents = await of_person(Consent)
    granted = [] if "grants" in withheld else await of_person(ReintegrationGrant)
    return PersonFile(
        victim=victim,
        consents=consents,
        referrals=await of_person(Referral),
        assessments=await of_person(Assessment),
        care_plans=plans,
        care_plan_reviews=reviews.all(),
        sessions=sessions,
        service_agreements=await of_person(ServiceAgreement),
        follow_up_contacts=await of_person(FollowUpContact),
        shelter_stays=await of_person(ShelterStay),
        monitoring_reports=await of_person(MonitoringReport),
        job_referrals=await job_referrals.files_of(
            session, principal, await of_person(JobReferral)
        ),
        closures=await of_person(CaseClosure),
        health_record=health_record,
        grants=await reintegration_grants.files_of(session, granted),
        # as on the caller's worklist and in its shelters' visitor logs
        alerts=[]
        if "alerts" in withheld
        else await of_person(Alert, kept_by_caller(principal, Alert.organisation_id)),
        visits=[] if "visits" in withheld else await _visits(session, principal, victim),
        legal_consultations=await of_person(LegalConsultation),
        disclosures=_with_consents(await of_person(Disclosure), consents),
        incidents=[]
        if "incidents" in withheld
        else await incidents.of_person(session, principal, victim.id),
        complaints=await complaints.of_person(session, principal, victim.id),
        trainings=await of_person(Training),
        identity_documents=await of_person(IdentityDocument),
        documents=await of_person(
            Document, col(Document.kind).in_(documents.readable_kinds(principal))
        ),
        micro_enterprises=await micro_enterprises.files_of(
            session, await of_person(MicroEnterprise)
        ),
        returns=await of_person(Return),
        withheld=withheld,
    )


def _with_consents(
    disclosures: Sequence[Disclosure], consents: Sequence[Consent]
) -> list[tuple[Disclosure, Consent]]:
    by_id = {c.id: c for c in consents}
    return [(d, by_id[d.consent_id]) for d in disclosures]


async def _visits(session: AsyncSession, principal: Principal, victim: Victim) -> Sequence[Visit]:
    """Visits to the person at shelters whose visitor log the caller reads (MAN-VISITORS)."""
    query = (
        select(Visit)
        .join(Shelter, col(Shelter.id) == col(Visit.shelter_id))
        .where(
            col(Visit.victim_id) == victim.id, kept_by_caller(principal, Shelter.organisation_id)
        )
    )
    return (await session.exec(query.order_by(col(Visit.id)))).all()
