"""SQLModel tables, one module per aggregate. Importing this package registers them all."""

from app.models.account import Client, User
from app.models.agreement import FollowUpContact, ServiceAgreement
from app.models.assessment import Assessment
from app.models.audit import AuditEvent
from app.models.auth import LoginFailure, RefreshToken
from app.models.care_plan import CarePlan, CarePlanReview
from app.models.case_closure import CaseClosure
from app.models.counselling_session import CounsellingSession, SessionParticipant
from app.models.exchange import JobReferral, JobReferralEvent, OutboxMessage, WebhookEndpoint
from app.models.grant import GrantLine, ReintegrationGrant
from app.models.health import Alert, HealthRecord
from app.models.idempotency import IdempotencyRecord
from app.models.organisation import Organisation
from app.models.referral import Referral
from app.models.shelter import MonitoringReport, Shelter, ShelterStay, Visit
from app.models.victim import Consent, Victim

__all__ = [
    "Alert",
    "Assessment",
    "AuditEvent",
    "CarePlan",
    "CarePlanReview",
    "CaseClosure",
    "Client",
    "Consent",
    "CounsellingSession",
    "FollowUpContact",
    "GrantLine",
    "HealthRecord",
    "IdempotencyRecord",
    "JobReferral",
    "JobReferralEvent",
    "LoginFailure",
    "MonitoringReport",
    "Organisation",
    "OutboxMessage",
    "Referral",
    "RefreshToken",
    "ReintegrationGrant",
    "ServiceAgreement",
    "SessionParticipant",
    "Shelter",
    "ShelterStay",
    "User",
    "Victim",
    "Visit",
    "WebhookEndpoint",
]
