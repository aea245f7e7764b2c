"""The shared vocabulary of the manuals and the contract (API.md, "Enumerations")."""

from enum import StrEnum


class OrganisationKind(StrEnum):
    INTERNATIONAL = "international"
    NGO = "ngo"
    STATE_AGENCY = "state_agency"
    SERVICE_PROVIDER = "service_provider"


class Funding(StrEnum):
    STATE_DELEGATED = "state_delegated"
    PROJECT = "project"
    MUNICIPAL = "municipal"
    PRIVATE = "private"


class LicenceTargetGroup(StrEnum):
    TRAFFICKING_VICTIMS = "trafficking_victims"
    VIOLENCE_VICTIMS = "violence_victims"


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class ExploitationType(StrEnum):
    SEXUAL = "sexual"
    LABOUR = "labour"
    DOMESTIC_SERVITUDE = "domestic_servitude"
    FORCED_BEGGING = "forced_begging"
    FORCED_CRIMINALITY = "forced_criminality"
    FORCED_MARRIAGE = "forced_marriage"
    ORGAN_REMOVAL = "organ_removal"
    OTHER = "other"


class VictimStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"
    ERASED = "erased"  # MAN-RETENTION-6M passed and the personal data removed
    MERGED = "merged"  # the same person as another record, into which it was merged
