"""The roles of the people and systems that call the API (API.md, "Roles")."""

from enum import StrEnum


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
