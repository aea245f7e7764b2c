"""Who may do what: the permission table (role × action), case scope and field-level views.

This is the one place that answers "may this role do this?". Object-level access (which cases a
role sees) is stated here as a scope; the service layer turns the scope into a query.
"""

from collections.abc import Mapping
from enum import StrEnum

from app.domain.errors import InvalidValue
from app.domain.vocabulary import OrganisationKind


class Role(StrEnum):
    ADMIN = "admin"
    COORDINATOR = "coordinator"
    SHELTER_MANAGER = "shelter_manager"
    SOCIAL_WORKER = "social_worker"
    PSYCHOLOGIST = "psychologist"
    LEGAL_COUNSELLOR = "legal_counsellor"
    MEDICAL_OFFICER = "medical_officer"
    PARTNER_SYSTEM = "partner_system"
    SCME_SYSTEM = "scme_system"
    AUDITOR = "auditor"


STAFF_ROLES = frozenset(
    {
        Role.SHELTER_MANAGER,
        Role.SOCIAL_WORKER,
        Role.PSYCHOLOGIST,
        Role.LEGAL_COUNSELLOR,
        Role.MEDICAL_OFFICER,
    }
)
MACHINE_ROLES = frozenset({Role.PARTNER_SYSTEM, Role.SCME_SYSTEM})
PERSON_ROLES = frozenset(Role) - MACHINE_ROLES


class Action(StrEnum):
    ORGANISATION_READ = "organisation:read"
    ORGANISATION_WRITE = "organisation:write"
    USER_MANAGE = "user:manage"
    CLIENT_MANAGE = "client:manage"
    VICTIM_READ = "victim:read"
    VICTIM_CREATE = "victim:create"
    VICTIM_UPDATE = "victim:update"
    VICTIM_EXPORT = "victim:export"
    CONSENT_READ = "consent:read"
    CONSENT_RECORD = "consent:record"
    CONSENT_WITHDRAW = "consent:withdraw"
    AUDIT_READ = "audit:read"


_A = Action
_DIRECTORY = {_A.ORGANISATION_READ}
_CASE_READ = {_A.VICTIM_READ, _A.CONSENT_READ}
_CASE_WORK = _CASE_READ | {
    _A.VICTIM_CREATE,
    _A.VICTIM_UPDATE,
    _A.VICTIM_EXPORT,
    _A.CONSENT_RECORD,
    _A.CONSENT_WITHDRAW,
}
# Specialists read the case and record what the person tells them about consent.
_SPECIALIST = _CASE_READ | {_A.CONSENT_RECORD, _A.CONSENT_WITHDRAW}

PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    # admin runs the directory and accounts and never sees a person's data
    Role.ADMIN: frozenset(
        {
            _A.ORGANISATION_READ,
            _A.ORGANISATION_WRITE,
            _A.USER_MANAGE,
            _A.CLIENT_MANAGE,
            _A.AUDIT_READ,
        }
    ),
    Role.COORDINATOR: frozenset(_DIRECTORY | _CASE_WORK | {_A.AUDIT_READ}),
    Role.SHELTER_MANAGER: frozenset(_DIRECTORY | _CASE_WORK),
    Role.SOCIAL_WORKER: frozenset(_DIRECTORY | _CASE_WORK),
    Role.PSYCHOLOGIST: frozenset(_DIRECTORY | _SPECIALIST),
    Role.LEGAL_COUNSELLOR: frozenset(_DIRECTORY | _SPECIALIST),
    Role.MEDICAL_OFFICER: frozenset(_DIRECTORY | _CASE_READ),
    # a partner NGO's system registers the cases it refers and the consents it collected
    Role.PARTNER_SYSTEM: frozenset(_DIRECTORY | _CASE_READ | {_A.VICTIM_CREATE, _A.CONSENT_RECORD}),
    # SCME receives job referrals only (MAN-SCME-PRIORITY); nothing here is for it
    Role.SCME_SYSTEM: frozenset(),
    # aggregate reports only, never a person's data
    Role.AUDITOR: frozenset(_DIRECTORY),
}


def can(role: Role, action: Action) -> bool:
    """Whether ``role`` may perform ``action`` at all (object scope aside)."""
    return action in PERMISSIONS[role]


class CaseScope(StrEnum):
    ALL = "all"
    ORGANISATION = "organisation"  # the cases of the caller's own organisation
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
