from datetime import datetime

from pydantic import BaseModel, Field

from app.schemas.alerts import AlertRead
from app.schemas.assessments import AssessmentRead
from app.schemas.care_plans import CarePlanRead, ReviewRead
from app.schemas.case_closures import CaseClosureRead
from app.schemas.complaints import ComplaintRead
from app.schemas.consents import ConsentRead
from app.schemas.counselling_sessions import SessionRead
from app.schemas.disclosures import DisclosureRead
from app.schemas.documents import DocumentRead
from app.schemas.follow_up_contacts import FollowUpRead
from app.schemas.health_records import HealthRecordView
from app.schemas.identity_documents import IdentityDocumentRead
from app.schemas.incidents import IncidentRead
from app.schemas.job_referrals import JobReferralRead
from app.schemas.legal_consultations import LegalConsultationRead
from app.schemas.micro_enterprises import MicroEnterpriseRead
from app.schemas.referrals import ReferralRead
from app.schemas.reintegration_grants import GrantRead
from app.schemas.returns import ReturnRead
from app.schemas.service_agreements import AgreementRead
from app.schemas.shelter_stays import MonitoringReportRead, StayRead
from app.schemas.shelter_visits import VisitRead
from app.schemas.trainings import TrainingRead
from app.schemas.victims import VictimRead


class DisclosureWithConsent(BaseModel):
    """MAN-LEGAL-ADVICE: a disclosure and the consent it rested on."""

    disclosure: DisclosureRead
    consent: ConsentRead


class VictimExport(BaseModel):
    """Everything held on one person (ACCESS-OWN-RECORDS), for the person to take away. The
    field-level rules hold here too: health findings and session notes only for the health
    professions; sections the role may not read are empty and named in ``withheld``."""

    exported_at: datetime
    victim: VictimRead
    consents: list[ConsentRead]
    referrals: list[ReferralRead]
    assessments: list[AssessmentRead]
    care_plans: list[CarePlanRead]
    care_plan_reviews: list[ReviewRead]
    sessions: list[SessionRead]
    service_agreements: list[AgreementRead]
    follow_up_contacts: list[FollowUpRead]
    shelter_stays: list[StayRead]
    monitoring_reports: list[MonitoringReportRead]
    job_referrals: list[JobReferralRead]
    grants: list[GrantRead]
    alerts: list[AlertRead]
    visits: list[VisitRead] = Field(description="Visits to the person at the shelter.")
    closures: list[CaseClosureRead] = Field(description="Closures of the case and reopenings.")
    legal_consultations: list[LegalConsultationRead] = Field(
        description="MAN-LEGAL-ADVICE: every consultation, the person's decisions in order."
    )
    disclosures: list[DisclosureWithConsent] = Field(
        description="MAN-LEGAL-ADVICE: everything disclosed about the person, to whom and when, "
        "with the consent it rested on."
    )
    incidents: list[IncidentRead] = Field(description="Incidents at a shelter that name them.")
    complaints: list[ComplaintRead] = Field(
        description="MAN-COMPLAINT: for the shelter manager and the coordinator only."
    )
    trainings: list[TrainingRead] = Field(description="MAN-TRAINING: the courses they chose.")
    identity_documents: list[IdentityDocumentRead] = Field(
        description="MAN-IDENTITY: the documents restored for them."
    )
    documents: list[DocumentRead] = Field(
        description="DOC-LIMITS: the signed papers of their file, of the kinds the caller reads "
        "(each file is downloaded from its /content)."
    )
    micro_enterprises: list[MicroEnterpriseRead] = Field(
        description="MAN-MICRO-ENTERPRISE: their businesses, with the steps done."
    )
    returns: list[ReturnRead] = Field(description="MAN-RETURN: the journeys home they decided on.")
    withheld: list[str] = Field(description="Sections the caller's role may not read.")
    health_record: HealthRecordView | None = Field(
        description="For the psychologist and the medical officer (HIV status: medical only)."
    )
    health_record_withheld: bool
