"""The rulebook: every number of RULES.md in one frozen, versioned object.

Rules take the rulebook as an argument; stored decisions record ``version``. A deployment may
load another rulebook (a revised price list, another country) without touching code.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType


class ServiceTerm(StrEnum):
    SHORT = "short"
    MEDIUM = "medium"
    LONG = "long"


class ShelterKind(StrEnum):
    ADULT = "adult"
    CHILDREN = "children"


class GrantForm(StrEnum):
    PINK = "pink"  # rehabilitation at the shelter (MAN Annex 5)
    BLUE = "blue"  # rehabilitation and reintegration (MAN Annex 6)


class CeilingBasis(StrEnum):
    NONE = "none"  # no ceiling in the form
    FIXED = "fixed"  # one amount for the line
    PER_DAY = "per_day"  # rate × days
    PER_MONTH = "per_month"  # rate × months
    WHOLE_COURSE = "whole_course"  # one amount for a course of at most N months
    WHOLE_PERIOD = "whole_period"  # one amount for the grant's whole period


@dataclass(frozen=True)
class GrantLineRule:
    basis: CeilingBasis
    rate: Decimal | None = None
    justification_required: bool = False
    purpose: str | None = None  # the only purpose allowed, where the form names one


def _frozen(mapping: Mapping[str, GrantLineRule]) -> Mapping[str, GrantLineRule]:
    return MappingProxyType(dict(mapping))


_B = CeilingBasis
PINK_LINES = _frozen(
    {
        "medical_examination": GrantLineRule(_B.NONE),
        "clothes_summer": GrantLineRule(_B.FIXED, Decimal("2000.00")),
        "clothes_winter": GrantLineRule(_B.FIXED, Decimal("2500.00")),
        "underwear": GrantLineRule(_B.FIXED, Decimal("500.00")),
        "food_hygiene": GrantLineRule(_B.PER_DAY, Decimal("200.00")),
        "travel": GrantLineRule(_B.NONE),
        "lawyer": GrantLineRule(_B.NONE, purpose="criminal_proceedings"),
    }
)
BLUE_LINES = _frozen(
    {
        "vocational_training": GrantLineRule(_B.WHOLE_COURSE, Decimal("2000.00")),
        "equipment": GrantLineRule(_B.FIXED, Decimal("3000.00")),
        "other": GrantLineRule(_B.NONE, justification_required=True),
        "id_documents": GrantLineRule(_B.NONE),
        "lawyer": GrantLineRule(_B.NONE, purpose="civil_rights"),
        "scholarship": GrantLineRule(_B.PER_MONTH, Decimal("1000.00")),
        "travel": GrantLineRule(_B.PER_MONTH, Decimal("1000.00")),
        "apartment_rental": GrantLineRule(
            _B.PER_MONTH, Decimal("1500.00"), justification_required=True
        ),
        "ngo_communication": GrantLineRule(_B.WHOLE_PERIOD, Decimal("800.00")),
        "ngo_travel": GrantLineRule(_B.WHOLE_PERIOD, Decimal("800.00")),
        "ngo_social_worker": GrantLineRule(_B.FIXED, Decimal("1000.00")),
    }
)


@dataclass(frozen=True)
class Rulebook:
    """The default values are those of RULES.md (SOP Measure 3.1 and the IOM manual)."""

    version: str
    # pathway (SOP)
    reflection_days: int = 30
    individual_assessment_days: int = 20
    term_months: Mapping[ServiceTerm, int] = field(
        default_factory=lambda: MappingProxyType(
            {ServiceTerm.SHORT: 6, ServiceTerm.MEDIUM: 12, ServiceTerm.LONG: 36}
        )
    )
    vot_max_months: int = 12
    follow_up_days: int = 30
    agreement_ending_notice_days: int = 14
    insurance_abroad_days: int = 183
    insurance_regain_months: int = 6
    insurance_lump_sum_contributions: int = 12
    rehab_plan_min_months: int = 1
    rehab_plan_max_months: int = 6
    plan_review_days: int = 7  # MAN-STAFF-MEETING: the weekly staff meeting
    # a referral left unanswered, or accepted without the initial contact, this many days is
    # escalated to the referring organisation and the coordinator (REFERRAL-ANSWER-14D,
    # REFERRAL-CONTACT-14D)
    referral_answer_days: int = 14
    referral_contact_days: int = 14
    # a de-identified dataset publishes a combination of quasi-identifiers only if this many
    # persons share it, and never fewer than the floor (DEID-K-ANONYMITY; issue 20)
    deidentified_k: int = 11
    deidentified_k_floor: int = 5
    # shelter (MAN chapter I)
    shelter_capacity: Mapping[ShelterKind, int] = field(
        default_factory=lambda: MappingProxyType({ShelterKind.ADULT: 10, ShelterKind.CHILDREN: 16})
    )
    children_min_age: int = 3
    children_max_age: int = 18
    medical_exam_days: int = 3
    monitoring_months: int = 6
    retention_months: int = 6
    pocket_money_min_per_day: Decimal = Decimal("50.00")
    complaint_meeting_days: int = 3  # MAN-COMPLAINT: the private meeting (Annex 3)
    # reintegration grants (MAN Annexes 5 and 6)
    grant_lines: Mapping[GrantForm, Mapping[str, GrantLineRule]] = field(
        default_factory=lambda: MappingProxyType(
            {GrantForm.PINK: PINK_LINES, GrantForm.BLUE: BLUE_LINES}
        )
    )
    course_max_months: int = 3
    training_ending_notice_days: int = 14  # MAN-TRAINING: its end on the worklist ahead
    return_notice_days: int = 7  # MAN-RETURN: the journey on the worklist ahead


DEFAULT_RULEBOOK = Rulebook(version="kg-2026.1")
