"""What kind of personal data a value is, and what that means: which classes go when a person's
file is erased (MAN-RETENTION-6M), and which only some professions read (MAN-HIV, MAN-SESSIONS,
the health record). The columns are classified once, in ``app/models/personal_data.py``."""

from collections.abc import Mapping
from enum import StrEnum

from app.domain.roles import Role


class DataClass(StrEnum):
    IDENTIFYING = "identifying"  # names, numbers and dates that single someone out
    CONTACT = "contact"  # phone
    LOCATION = "location"  # an address: the person's, or a shelter's
    SOCIAL = "social"  # family, insurance, work: the person's social situation
    HEALTH = "health"  # the health record
    HIV = "hiv"  # HIV status (MAN-HIV)
    PSYCHOLOGICAL = "psychological"  # what the psychologist writes of sessions (MAN-SESSIONS)
    LEGAL = "legal"  # legal counselling (MAN-LEGAL-ADVICE)
    FREE_TEXT = "free_text"  # what was written about the person: reasons, findings, goals
    # personal facts kept after erasure, for the anonymous counts only (sex, birth year,
    # nationality, exploitation, the stages and outcomes of the work)
    COUNTED = "counted"
    NOT_PERSONAL = "not_personal"  # ids, states, dates of what was done, money, organisations


# erasure removes these; what stays is anonymous (MAN-RETENTION-6M)
ERASED = frozenset(DataClass) - {DataClass.COUNTED, DataClass.NOT_PERSONAL}

_HEALTH_PROFESSIONS = frozenset({Role.PSYCHOLOGIST, Role.MEDICAL_OFFICER})
# classes that only some roles read, in every answer, list and export; the rest are read by
# whoever may read the record they are on
READERS: Mapping[DataClass, frozenset[Role]] = {
    DataClass.HEALTH: _HEALTH_PROFESSIONS,
    DataClass.PSYCHOLOGICAL: _HEALTH_PROFESSIONS,
    DataClass.HIV: frozenset({Role.MEDICAL_OFFICER}),
    # MAN-LEGAL-ADVICE: what the person told the legal counsellor and decided; the others see
    # that a consultation took place
    DataClass.LEGAL: frozenset({Role.LEGAL_COUNSELLOR, Role.PSYCHOLOGIST, Role.COORDINATOR}),
}


# assessment findings are what was written of the person; of these kinds, health data (MAN-HIV,
# API.md field-level rule): everyone else sees that the assessment exists and when
FINDINGS_CLASS_BY_KIND: Mapping[str, DataClass] = {
    "psychological": DataClass.PSYCHOLOGICAL,
    "medical": DataClass.HEALTH,
}


def findings_class(kind: str) -> DataClass:
    return FINDINGS_CLASS_BY_KIND.get(kind, DataClass.FREE_TEXT)


def reads_class(role: Role, data_class: DataClass) -> bool:
    """Whether ``role`` reads values of this class on the records it sees."""
    readers = READERS.get(data_class)
    return readers is None or role in readers
