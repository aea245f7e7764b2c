"""SQLModel tables, one module per resource. Importing this package registers them all."""

from app.models.alert import Alert
from app.models.assessment import Assessment
from app.models.audit_event import AuditChain, AuditEvent
from app.models.auth import LoginFailure, RefreshToken
from app.models.care_plan import CarePlan, CarePlanReview
from app.models.case_assignment import CaseAssignment
from app.models.case_closure import CaseClosure
from app.models.client import Client
from app.models.complaint import Complaint
from app.models.consent import Consent
from app.models.counselling_session import CounsellingSession, SessionParticipant
from app.models.disclosure import Disclosure
from app.models.document import Document
from app.models.follow_up_contact import FollowUpContact
from app.models.health_record import HealthRecord
from app.models.idempotency import IdempotencyRecord
from app.models.identity_document import IdentityDocument
from app.models.import_job import ImportJob
from app.models.incident import Incident, IncidentResident
from app.models.job_referral import JobReferral, JobReferralEvent
from app.models.legal_consultation import LegalConsultation
from app.models.micro_enterprise import MicroEnterprise, MicroEnterpriseStep
from app.models.organisation import Organisation
from app.models.outbox import OutboxMessage
from app.models.possible_duplicate import PersonMatchKey, PossibleDuplicate
from app.models.referral import Referral
from app.models.reintegration_grant import GrantInstalment, GrantLine, ReintegrationGrant
from app.models.return_home import Return
from app.models.service_agreement import ServiceAgreement
from app.models.shelter import Shelter
from app.models.shelter_stay import MonitoringReport, ShelterStay
from app.models.shelter_visit import Visit
from app.models.training import Training
from app.models.user import User
from app.models.victim import Victim
from app.models.webhook_endpoint import WebhookEndpoint

__all__ = [
    "Alert",
    "Assessment",
    "AuditChain",
    "AuditEvent",
    "CarePlan",
    "CarePlanReview",
    "CaseAssignment",
    "CaseClosure",
    "Client",
    "Complaint",
    "Consent",
    "CounsellingSession",
    "Disclosure",
    "Document",
    "FollowUpContact",
    "GrantInstalment",
    "GrantLine",
    "HealthRecord",
    "IdempotencyRecord",
    "IdentityDocument",
    "ImportJob",
    "Incident",
    "IncidentResident",
    "JobReferral",
    "JobReferralEvent",
    "LegalConsultation",
    "LoginFailure",
    "MicroEnterprise",
    "MicroEnterpriseStep",
    "MonitoringReport",
    "Organisation",
    "OutboxMessage",
    "PersonMatchKey",
    "PossibleDuplicate",
    "Referral",
    "RefreshToken",
    "ReintegrationGrant",
    "Return",
    "ServiceAgreement",
    "SessionParticipant",
    "Shelter",
    "ShelterStay",
    "Training",
    "User",
    "Victim",
    "Visit",
    "WebhookEndpoint",
]
