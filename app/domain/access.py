"""Who may do what: the permission table (role × action), case scope and field-level views.

This is the one place that answers "may this role do this?". Object-level access (which cases a
role sees) is stated here as a scope; the service layer turns the scope into a query.
"""

from collections.abc import Mapping
from enum import StrEnum
from uuid import UUID

from app.domain.casework import AssessmentKind
from app.domain.documents import DocumentKind
from app.domain.errors import ConfidentialityAgreementRequired, InvalidValue, NotPermitted
from app.domain.privacy import DataClass, findings_class, reads_class
from app.domain.roles import MACHINE_ROLES, PERSON_ROLES, STAFF_ROLES, Role
from app.domain.vocabulary import OrganisationKind

__all__ = ["MACHINE_ROLES", "PERSON_ROLES", "STAFF_ROLES", "Role"]  # re-exported: who calls


class Action(StrEnum):
    ORGANISATION_READ = "organisation:read"
    ORGANISATION_WRITE = "organisation:write"
    USER_MANAGE = "user:manage"
    CLIENT_MANAGE = "client:manage"
    VICTIM_READ = "victim:read"
    VICTIM_CREATE = "victim:create"
    VICTIM_UPDATE = "victim:update"
    VICTIM_EXPORT = "victim:export"
    HTCDS_EXPORT = "htcds:export"  # one case in the HTCDS (issue 20)
    HTCDS_EXPORT_ALL = "htcds:export-all"  # every consented case in the HTCDS: the coordinator
    CONSENT_READ = "consent:read"
    CONSENT_RECORD = "consent:record"
    CONSENT_WITHDRAW = "consent:withdraw"
    AUDIT_READ = "audit:read"
    REFERRAL_READ = "referral:read"
    REFERRAL_CREATE = "referral:create"
    REFERRAL_RESPOND = "referral:respond"  # accept, decline, initial contact, complete
    REFERRAL_CANCEL = "referral:cancel"
    ASSESSMENT_READ = "assessment:read"
    ASSESSMENT_WRITE = "assessment:write"  # and which kinds: ASSESSMENT_AUTHORS
    CARE_PLAN_READ = "care_plan:read"
    CARE_PLAN_WRITE = "care_plan:write"
    AGREEMENT_READ = "agreement:read"
    AGREEMENT_WRITE = "agreement:write"
    FOLLOW_UP_READ = "follow_up:read"
    FOLLOW_UP_WRITE = "follow_up:write"
    WORKLIST_READ = "worklist:read"
    INSURANCE_READ = "insurance:read"
    RULEBOOK_READ = "rulebook:read"
    VOCABULARY_READ = "vocabulary:read"  # the labels of the enumerations, in a language
    SHELTER_READ = "shelter:read"
    SHELTER_MANAGE = "shelter:manage"  # create shelters, set their capacity
    STAY_READ = "stay:read"
    STAY_PROPOSE = "stay:propose"  # propose, update, withdraw, discharge: the shelter's staff
    STAY_ADMIT = "stay:admit"  # MAN-ADMISSION-AGREED: the coordinator's alone
    MONITORING_REPORT = "stay:monitoring_report"
    VISIT_RECORD = "visit:record"
    VISIT_READ = "visit:read"
    HEALTH_RECORD = "health_record:read_write"  # and hiv_status only for MEDICAL: reads_hiv
    VICTIM_ERASE = "victim:erase"
    ALERT_ACKNOWLEDGE = "alert:acknowledge"
    GRANT_READ = "grant:read"
    GRANT_DRAFT = (
        "grant:draft"  # draft, edit, submit: the NGO's staff (or the coordinator with them)
    )
    GRANT_DECIDE = "grant:decide"  # approve, reject, disburse: the coordinator
    REPORT_SHELTER = "report:shelter"  # the shelter manager's monthly report (MAN 2.1.10)
    REPORT_COMPLIANCE = "report:compliance"
    REPORT_AGGREGATE = "report:aggregate"  # counts only, small cells suppressed
    REPORT_KPI = "report:kpi"  # key figures per month and organisation (issue 19)
    REPORT_DEIDENTIFIED = "report:deidentified"  # a dataset safe to publish (issue 20)
    JOB_REFERRAL_READ = "job_referral:read"  # SCME reads its own view: reads_as_scme
    JOB_REFERRAL_CREATE = "job_referral:create"  # MAN-SCME-PRIORITY, with the person's consent
    JOB_REFERRAL_REPORT = "job_referral:report"  # SCME's progress events
    WEBHOOK_MANAGE = "webhook:manage"  # the organisation's own endpoints
    OUTBOX_READ = "outbox:read"  # the coordinator all; others their organisation's deliveries
    OUTBOX_RETRY = "outbox:retry"
    SESSION_READ = "session:read"  # notes: reads_session_notes
    SESSION_WRITE = "session:write"  # MAN-SESSIONS: the psychologist and the social worker
    VICTIM_CLOSE = "victim:close"  # MAN-CASE-CLOSE: close and reopen the case
    LEGAL_CONSULTATION_READ = "legal_consultation:read"  # notes: the LEGAL data class
    LEGAL_CONSULTATION_WRITE = "legal_consultation:write"  # MAN-LEGAL-ADVICE: the counsellor
    DISCLOSURE_READ = "disclosure:read"
    DISCLOSURE_RECORD = "disclosure:record"  # MAN-LEGAL-ADVICE: with the person's consent
    INCIDENT_READ = "incident:read"  # the running organisation's staff and the coordinator
    INCIDENT_RECORD = "incident:record"  # MAN-INCIDENT: the shelter's staff
    INCIDENT_ACKNOWLEDGE = "incident:acknowledge"  # the shelter manager and the coordinator
    COMPLAINT_RECORD = "complaint:record"  # MAN-COMPLAINT: whoever the resident tells
    COMPLAINT_HANDLE = "complaint:handle"  # read, meeting, resolve: never the staff named
    CONFIDENTIALITY_RECORD = "user:confidentiality"  # MAN-STAFF-CONFIDENTIALITY (Annex 4)
    CASELOAD_TRANSFER = "user:caseload"  # CASELOAD-TRANSFER: a worker's open work moved on
    TRAINING_READ = "training:read"
    TRAINING_WRITE = "training:write"  # MAN-TRAINING: the case workers arrange it
    IDENTITY_DOCUMENT_READ = "identity_document:read"
    IDENTITY_DOCUMENT_WRITE = "identity_document:write"  # MAN-IDENTITY
    MICRO_ENTERPRISE_READ = "micro_enterprise:read"
    MICRO_ENTERPRISE_WRITE = "micro_enterprise:write"  # MAN-MICRO-ENTERPRISE
    RETURN_READ = "return:read"
    RETURN_WRITE = "return:write"  # MAN-RETURN
    REINTEGRATION_READ = "reintegration:read"  # the person's reintegration in one read
    IMPORT = "import:run"  # bring an existing caseload in from a spreadsheet (issue 17)
    DUPLICATE_READ = "duplicate:read"  # the possible duplicates of a case the caller sees
    DUPLICATE_RESOLVE = "duplicate:resolve"  # merge two records, or not the same person
    DOCUMENT_READ = "document:read"  # and which kinds: DOCUMENT_KIND_ACTIONS
    DOCUMENT_UPLOAD = "document:upload"


_A = Action
_DIRECTORY = {_A.ORGANISATION_READ, _A.RULEBOOK_READ, _A.VOCABULARY_READ}
_CASE_READ = {
    _A.VICTIM_READ,
    _A.CONSENT_READ,
    _A.REFERRAL_READ,
    _A.ASSESSMENT_READ,
    _A.CARE_PLAN_READ,
    _A.AGREEMENT_READ,
    _A.FOLLOW_UP_READ,
    _A.WORKLIST_READ,
    _A.JOB_REFERRAL_READ,
    _A.SESSION_READ,
    _A.LEGAL_CONSULTATION_READ,
    _A.DISCLOSURE_READ,
    _A.TRAINING_READ,
    _A.IDENTITY_DOCUMENT_READ,
    _A.MICRO_ENTERPRISE_READ,
    _A.RETURN_READ,
    _A.REINTEGRATION_READ,
    _A.DUPLICATE_READ,
    _A.DOCUMENT_READ,
}
_CONSENTS = {_A.CONSENT_RECORD, _A.CONSENT_WITHDRAW}
# every staff role of a receiving organisation answers a referral (API.md, "Who does what")
_STAFF = _CASE_READ | {
    _A.REFERRAL_RESPOND,
    _A.SHELTER_READ,
    _A.STAY_READ,
    _A.VISIT_RECORD,
    _A.INCIDENT_READ,
    _A.INCIDENT_RECORD,
    _A.COMPLAINT_RECORD,
    _A.DOCUMENT_UPLOAD,  # the signed papers of the person's file
}
# MAN-INCIDENT, MAN-COMPLAINT: what reaches the shelter manager and the coordinator
_OVERSIGHT = {_A.ALERT_ACKNOWLEDGE, _A.INCIDENT_ACKNOWLEDGE, _A.COMPLAINT_HANDLE}
_SHELTER_WORK = {_A.STAY_PROPOSE, _A.MONITORING_REPORT, _A.GRANT_READ, _A.GRANT_DRAFT}
_CASE_WORK = (
    _STAFF
    | _CONSENTS
    | {
        _A.VICTIM_CREATE,
        _A.VICTIM_UPDATE,
        _A.VICTIM_EXPORT,
        _A.REFERRAL_CREATE,
        _A.REFERRAL_CANCEL,
        _A.ASSESSMENT_WRITE,
        _A.CARE_PLAN_WRITE,
        _A.AGREEMENT_WRITE,
        _A.FOLLOW_UP_WRITE,
        _A.INSURANCE_READ,
        _A.JOB_REFERRAL_CREATE,
        _A.VICTIM_CLOSE,
        _A.DISCLOSURE_RECORD,
        _A.TRAINING_WRITE,
        _A.IDENTITY_DOCUMENT_WRITE,
        _A.MICRO_ENTERPRISE_WRITE,
        _A.RETURN_WRITE,
    }
    | _SHELTER_WORK
)

PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    # admin runs the directory and accounts and never sees a person's data
    Role.ADMIN: frozenset(
        _DIRECTORY
        | {_A.ORGANISATION_WRITE, _A.USER_MANAGE, _A.CLIENT_MANAGE, _A.AUDIT_READ}
        | {_A.CONFIDENTIALITY_RECORD}
    ),
    # the coordinator oversees every case and refers; staff do the case work
    Role.COORDINATOR: frozenset(
        _DIRECTORY
        | _CASE_READ
        | _CONSENTS
        | {
            _A.VICTIM_CREATE,
            _A.VICTIM_UPDATE,
            _A.VICTIM_EXPORT,
            _A.REFERRAL_CREATE,
            _A.REFERRAL_CANCEL,
            _A.INSURANCE_READ,
            _A.AUDIT_READ,
            _A.SHELTER_READ,
            _A.SHELTER_MANAGE,
            _A.STAY_READ,
            _A.STAY_ADMIT,
            _A.VISIT_READ,
            _A.VICTIM_ERASE,
            _A.GRANT_READ,
            _A.GRANT_DRAFT,  # together with the NGO's shelter manager (GRANT-FOUR-EYES)
            _A.GRANT_DECIDE,
            _A.REPORT_SHELTER,
            _A.REPORT_COMPLIANCE,
            _A.REPORT_AGGREGATE,
            _A.REPORT_KPI,
            _A.REPORT_DEIDENTIFIED,
            _A.JOB_REFERRAL_CREATE,
            _A.OUTBOX_READ,
            _A.OUTBOX_RETRY,
            _A.ASSESSMENT_WRITE,  # the status identification interview: ASSESSMENT_AUTHORS
            _A.VICTIM_CLOSE,
            _A.DISCLOSURE_RECORD,
            _A.INCIDENT_READ,
            _A.COMPLAINT_RECORD,
            _A.RETURN_WRITE,  # the mission arranges the return: documents, tickets, the meeting
            _A.IMPORT,
            _A.DUPLICATE_RESOLVE,  # every case is the coordinator's to see: theirs to merge
            _A.DOCUMENT_UPLOAD,  # the agreements and admissions the coordinator signs
            _A.CASELOAD_TRANSFER,
            _A.HTCDS_EXPORT,
            _A.HTCDS_EXPORT_ALL,
        }
        | _OVERSIGHT
    ),
    # the organisation's manager also runs its exchange with other systems
    Role.SHELTER_MANAGER: frozenset(
        _DIRECTORY
        | _CASE_WORK
        | _OVERSIGHT
        | {_A.VISIT_READ, _A.REPORT_SHELTER, _A.CONFIDENTIALITY_RECORD, _A.IMPORT}
        | {_A.CASELOAD_TRANSFER, _A.REPORT_KPI, _A.HTCDS_EXPORT}
        | {_A.WEBHOOK_MANAGE, _A.OUTBOX_READ, _A.OUTBOX_RETRY}
    ),
    Role.SOCIAL_WORKER: frozenset(_DIRECTORY | _CASE_WORK | {_A.SESSION_WRITE}),
    # the psychologist assesses, plans with the team and follows up
    Role.PSYCHOLOGIST: frozenset(
        _DIRECTORY
        | _STAFF
        | _CONSENTS
        | {
            _A.ASSESSMENT_WRITE,
            _A.CARE_PLAN_WRITE,
            _A.FOLLOW_UP_WRITE,
            _A.HEALTH_RECORD,
            _A.VICTIM_EXPORT,  # the person's file with the health record they may read
            _A.SESSION_WRITE,
        }
    ),
    # MAN II 2.0: legal counselling, and what is disclosed to law enforcement
    Role.LEGAL_COUNSELLOR: frozenset(
        _DIRECTORY
        | _STAFF
        | _CONSENTS
        | {_A.INSURANCE_READ, _A.LEGAL_CONSULTATION_WRITE, _A.DISCLOSURE_RECORD}
        | {_A.IDENTITY_DOCUMENT_WRITE}  # restoring documents and rights is legal work
    ),
    Role.MEDICAL_OFFICER: frozenset(
        _DIRECTORY | _STAFF | {_A.ASSESSMENT_WRITE, _A.HEALTH_RECORD, _A.VICTIM_EXPORT}
    ),
    # a partner NGO's system registers the cases it refers and the consents it collected,
    # and exchanges referrals with this system
    Role.PARTNER_SYSTEM: frozenset(
        _DIRECTORY
        | {_A.VICTIM_READ, _A.CONSENT_READ, _A.VICTIM_CREATE, _A.CONSENT_RECORD}
        | {_A.REFERRAL_READ, _A.REFERRAL_CREATE, _A.REFERRAL_RESPOND}
        | {_A.WEBHOOK_MANAGE, _A.OUTBOX_READ}
    ),
    # SCME reads the job referrals sent to it and reports their progress (MAN-SCME-PRIORITY)
    Role.SCME_SYSTEM: frozenset(
        {_A.RULEBOOK_READ, _A.VOCABULARY_READ, _A.JOB_REFERRAL_READ, _A.JOB_REFERRAL_REPORT}
    ),
    # aggregate reports only, never a person's data
    Role.AUDITOR: frozenset(
        _DIRECTORY | {_A.REPORT_AGGREGATE, _A.REPORT_KPI, _A.REPORT_DEIDENTIFIED}
    ),
}

# Actions done for the caller's own organisation (its case, its records, its endpoints): only
# a member of one may do them. Every role that may do one of them belongs to an organisation
# (check_membership); the route refuses a caller that does not, before anything is loaded.
FOR_AN_ORGANISATION = frozenset(
    {
        _A.VICTIM_CREATE,
        _A.REFERRAL_CREATE,
        _A.ASSESSMENT_WRITE,
        _A.CARE_PLAN_WRITE,
        _A.AGREEMENT_WRITE,
        _A.SESSION_WRITE,
        _A.JOB_REFERRAL_CREATE,
        _A.GRANT_DRAFT,
        _A.WEBHOOK_MANAGE,
        _A.OUTBOX_READ,
        _A.LEGAL_CONSULTATION_WRITE,
        _A.DISCLOSURE_RECORD,
        _A.INCIDENT_RECORD,
        _A.COMPLAINT_RECORD,
        _A.TRAINING_WRITE,
        _A.IDENTITY_DOCUMENT_WRITE,
        _A.MICRO_ENTERPRISE_WRITE,
        _A.RETURN_WRITE,
        _A.IMPORT,
        _A.DOCUMENT_UPLOAD,
    }
)
# The rule that reserves an action to the roles that have it, named in the refusal (403).
RESERVED_BY: Mapping[Action, str] = {
    _A.STAY_ADMIT: "MAN-ADMISSION-AGREED",  # reception is agreed with the coordinator
    _A.LEGAL_CONSULTATION_WRITE: "MAN-LEGAL-ADVICE",
    _A.INCIDENT_ACKNOWLEDGE: "MAN-INCIDENT",
    _A.COMPLAINT_HANDLE: "MAN-COMPLAINT",
}
# MAN-STAFF-CONFIDENTIALITY: what a staff account may do before its agreement is recorded
OPEN_BEFORE_SIGNING = frozenset(_DIRECTORY)

# Who records which kind of assessment: the profession the manuals give it to.
ASSESSMENT_AUTHORS: Mapping[AssessmentKind, frozenset[Role]] = {
    # SOP-INA: issued by a social worker of the Social Assistance Directorate
    AssessmentKind.INITIAL_NEEDS: frozenset({Role.SOCIAL_WORKER}),
    AssessmentKind.INDIVIDUAL_NEEDS: frozenset(
        {Role.SOCIAL_WORKER, Role.SHELTER_MANAGER, Role.PSYCHOLOGIST}
    ),
    AssessmentKind.RISK: frozenset({Role.SOCIAL_WORKER, Role.SHELTER_MANAGER, Role.PSYCHOLOGIST}),
    AssessmentKind.FAMILY_RISK: frozenset({Role.SOCIAL_WORKER, Role.PSYCHOLOGIST}),
    AssessmentKind.PSYCHOLOGICAL: frozenset({Role.PSYCHOLOGIST}),
    AssessmentKind.MEDICAL: frozenset({Role.MEDICAL_OFFICER}),
    AssessmentKind.REINTEGRATION: frozenset({Role.SOCIAL_WORKER, Role.SHELTER_MANAGER}),
    # MAN 3.0.4: the shelter staff on duty (social worker, psychologist)
    AssessmentKind.PRIMARY_INTERVIEW: frozenset({Role.SOCIAL_WORKER, Role.PSYCHOLOGIST}),
    # MAN 3.0.6: the NGO coordinator's status identification interview
    AssessmentKind.STATUS_IDENTIFICATION: frozenset({Role.COORDINATOR}),
    # MAN III 3.0.3: the expert group of the reintegration staff, recorded by one of them
    AssessmentKind.BUSINESS_CANDIDACY: frozenset({Role.SOCIAL_WORKER, Role.SHELTER_MANAGER}),
}


def reads_health_record(role: Role) -> bool:
    """The health record is the psychologist's and the medical officer's (API.md)."""
    return can(role, Action.HEALTH_RECORD)


def reads_hiv(role: Role) -> bool:
    """MAN-HIV: HIV status is readable (and writable) by medical staff only."""
    return reads_class(role, DataClass.HIV)


def check_hiv_recorder(role: Role, hiv_status_given: bool) -> None:
    """MAN-HIV: only those who may read HIV status record it."""
    if hiv_status_given and not reads_hiv(role):
        raise NotPermitted("MAN-HIV", "HIV status is recorded by medical staff only.")


def check_confidentiality_signed(role: Role, signed: bool, action: Action) -> None:
    """MAN-STAFF-CONFIDENTIALITY: a staff account reads and writes no case until its signed
    agreement is recorded; the directory and the rulebook stay open (machine clients, the
    coordinator, the admin and the auditor sign no Annex 4)."""
    if not works_on_cases(role, signed) and action not in OPEN_BEFORE_SIGNING:
        raise ConfidentialityAgreementRequired()


def works_on_cases(role: Role, signed: bool) -> bool:
    """MAN-STAFF-CONFIDENTIALITY: staff once their agreement is recorded; who signs none."""
    return role not in STAFF_ROLES or signed


def records_confidentiality(
    role: Role, caller_organisation: UUID | None, staff_role: Role, staff_organisation: UUID | None
) -> bool:
    """MAN-STAFF-CONFIDENTIALITY: the admin, or the shelter manager of the person's own
    organisation, records a staff member's signed agreement (Annex 4: "Shelter Manager
    Signature")."""
    if staff_role not in STAFF_ROLES:
        return False
    if role is Role.ADMIN:
        return True
    return role is Role.SHELTER_MANAGER and caller_organisation == staff_organisation


def handles_complaint(
    role: Role,
    caller_id: UUID,
    caller_organisation: UUID | None,
    complaint_organisation: UUID,
    about_user_id: UUID | None,
) -> bool:
    """MAN-COMPLAINT: the shelter manager of the organisation concerned and the coordinator,
    never the member of staff the complaint names (then, if that is the manager, only the
    coordinator)."""
    if about_user_id is not None and caller_id == about_user_id:
        return False
    if case_scope(role) is CaseScope.ALL:
        return can(role, Action.COMPLAINT_HANDLE)
    return can(role, Action.COMPLAINT_HANDLE) and caller_organisation == complaint_organisation


def reads_session_notes(role: Role) -> bool:
    """MAN-SESSIONS: session notes are psychological data, for the health professions only."""
    return reads_class(role, DataClass.PSYCHOLOGICAL)


def shelter_address_visible(role: Role, caller_organisation: UUID | None, runner: UUID) -> bool:
    """MAN-CONFIDENTIAL-LOCATION: the address only for the coordinator and the staff of the
    organisation that runs the shelter."""
    if case_scope(role) is CaseScope.ALL:
        return True
    return role in STAFF_ROLES and caller_organisation == runner


def may_author(role: Role, kind: AssessmentKind) -> bool:
    return role in ASSESSMENT_AUTHORS[kind]


def reads_findings(role: Role, kind: AssessmentKind) -> bool:
    """Field-level rule for assessment findings: by the class their kind gives them."""
    return reads_class(role, findings_class(kind))


# the kinds of document read and uploaded as the record they belong to: (read, upload)
DOCUMENT_KIND_ACTIONS: Mapping[DocumentKind, tuple[Action, Action]] = {
    DocumentKind.MEDICAL: (_A.HEALTH_RECORD, _A.HEALTH_RECORD),  # health data
    DocumentKind.FINANCIAL_AGREEMENT: (_A.GRANT_READ, _A.GRANT_DRAFT),  # the grant's
}


def reads_document(role: Role, kind: DocumentKind) -> bool:
    needs = DOCUMENT_KIND_ACTIONS.get(kind)
    return can(role, _A.DOCUMENT_READ) and (needs is None or can(role, needs[0]))


def uploads_document(role: Role, kind: DocumentKind) -> bool:
    needs = DOCUMENT_KIND_ACTIONS.get(kind)
    return can(role, _A.DOCUMENT_UPLOAD) and (needs is None or can(role, needs[1]))


def can(role: Role, action: Action) -> bool:
    """Whether ``role`` may perform ``action`` at all (object scope aside)."""
    return action in PERMISSIONS[role]


class CaseScope(StrEnum):
    ALL = "all"
    # the caller organisation's own cases, and the cases it took on by an accepted referral
    # while the person's consent to share with it holds (CONSENT-DISCLOSURE)
    ORGANISATION = "organisation"
    NONE = "none"


def case_scope(role: Role) -> CaseScope:
    """Which cases a role may see (API.md, object-level rule; CONSENT-DISCLOSURE)."""
    if role is Role.COORDINATOR:
        return CaseScope.ALL
    if role in STAFF_ROLES or role is Role.PARTNER_SYSTEM:
        return CaseScope.ORGANISATION
    return CaseScope.NONE


class VictimView(StrEnum):
    FULL = "full"
    # identity and contact, without the exploitation history: what a machine exchange needs
    EXCHANGE = "exchange"


def reads_as_scme(role: Role) -> bool:
    """MAN-SCME-PRIORITY: SCME sees the job referrals sent to it, and only what a job search
    needs; every other reader sees them through the person's case."""
    return role is Role.SCME_SYSTEM


def sees_all_deliveries(role: Role) -> bool:
    """The coordinator oversees the whole outbox; an organisation sees its own deliveries."""
    return case_scope(role) is CaseScope.ALL


def victim_view(role: Role) -> VictimView:
    """Field-level rule for the person's record: machine clients get the minimum."""
    return VictimView.EXCHANGE if role in MACHINE_ROLES else VictimView.FULL


_ORGANISATION_KINDS: Mapping[Role, frozenset[OrganisationKind] | None] = {
    Role.ADMIN: None,
    Role.COORDINATOR: frozenset({OrganisationKind.INTERNATIONAL}),
    **{
        role: frozenset(
            {OrganisationKind.NGO, OrganisationKind.STATE_AGENCY, OrganisationKind.SERVICE_PROVIDER}
        )
        for role in STAFF_ROLES
    },
    Role.PARTNER_SYSTEM: frozenset({OrganisationKind.NGO, OrganisationKind.SERVICE_PROVIDER}),
    Role.SCME_SYSTEM: frozenset({OrganisationKind.STATE_AGENCY}),
    Role.AUDITOR: frozenset(OrganisationKind),
}


def check_membership(role: Role, organisation_kind: OrganisationKind | None) -> None:
    """An account's role must fit its organisation: the coordinator belongs to the international
    organisation, staff to an NGO, agency or provider, the admin to none."""
    kinds = _ORGANISATION_KINDS[role]
    if kinds is None:
        if organisation_kind is not None:
            raise InvalidValue("organisation_id", f"The role '{role}' belongs to no organisation.")
        return
    if organisation_kind is None and role is not Role.AUDITOR:
        raise InvalidValue("organisation_id", f"The role '{role}' needs an organisation.")
    if organisation_kind is not None and organisation_kind not in kinds:
        allowed = ", ".join(sorted(kinds))
        raise InvalidValue(
            "organisation_id", f"The role '{role}' belongs to an organisation of kind {allowed}."
        )


# --- who acts on a record: the organisation that holds it ------------------------------------
# Seeing a case (by its own organisation or by a shared referral) is not owning its records:
# a plan, an agreement or a follow-up is changed only by the organisation that keeps it.


def keeps_record(caller_organisation: UUID | None, *keepers: UUID | None) -> bool:
    return caller_organisation is not None and caller_organisation in keepers


def oversees_or_keeps(role: Role, caller_organisation: UUID | None, keeper: UUID) -> bool:
    """What an organisation keeps (its alerts, incidents, visitor logs, reports) is acted on by
    that organisation, or overseen by the coordinator."""
    return case_scope(role) is CaseScope.ALL or keeps_record(caller_organisation, keeper)


def answers_referral(caller_organisation: UUID | None, receiving_organisation: UUID) -> bool:
    """Accept, decline, initial contact, completion: the receiving organisation's acts."""
    return caller_organisation == receiving_organisation


def cancels_referral(role: Role, caller_organisation: UUID | None, sender: UUID) -> bool:
    """The referring organisation withdraws its request; the coordinator may too."""
    return caller_organisation == sender or case_scope(role) is CaseScope.ALL


def closes_case(role: Role, caller_organisation: UUID | None, case_organisation: UUID) -> bool:
    """MAN-CASE-CLOSE: the organisation whose case it is closes and reopens it; the coordinator
    may too."""
    return caller_organisation == case_organisation or case_scope(role) is CaseScope.ALL


def completes_assessment(
    role: Role, kind: AssessmentKind, caller_organisation: UUID | None, author_organisation: UUID
) -> bool:
    """The profession that records the kind, in the organisation that made the assessment."""
    return may_author(role, kind) and caller_organisation == author_organisation
