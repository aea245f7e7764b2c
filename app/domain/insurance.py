"""SOP-INSURANCE (SOP Step 8): how a returning person regains health insurance."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.rulebook import Rulebook


class InsurancePath(StrEnum):
    INSURED = "insured"  # nothing to do
    STATE_BUDGET = "state_budget"  # contributions paid by the state: apply to the Directorate
    REGAIN = "regain"  # 6 consecutive insured months, or a lump sum of 12 contributions
    UNKNOWN = "unknown"  # the record lacks the facts to say


@dataclass(frozen=True)
class InsuranceFacts:
    departed_on: date | None
    returned_on: date | None
    contributions_unpaid: bool | None
    insured_months_since_return: int | None
    eligible_for_social_benefits: bool | None


@dataclass(frozen=True)
class InsuranceSituation:
    path: InsurancePath
    days_abroad: int | None
    status_lost: bool | None
    insured_months_needed: int | None
    lump_sum_contributions: int | None
    advice: str


def insurance_situation(facts: InsuranceFacts, rulebook: Rulebook) -> InsuranceSituation:
    """SOP-INSURANCE: a person abroad more than 183 days (or otherwise unpaid) regains status
    after 6 consecutive insured months or a lump sum of 12 monthly contributions; a person
    eligible for social benefits has the contributions paid by the state budget."""
    days = _days_abroad(facts)
    lost = _status_lost(facts, days, rulebook)
    if facts.eligible_for_social_benefits:
        return InsuranceSituation(
            InsurancePath.STATE_BUDGET,
            days,
            lost,
            None,
            None,
            "Eligible for social benefits: the state budget pays the contributions. Apply to "
            "the Social Assistance Directorate for the current address.",
        )
    if lost is None:
        return InsuranceSituation(
            InsurancePath.UNKNOWN,
            days,
            None,
            None,
            None,
            "Record when the person left and returned, or whether contributions went unpaid.",
        )
    insured = facts.insured_months_since_return or 0
    needed = max(0, rulebook.insurance_regain_months - insured)
    if not lost or needed == 0:
        return InsuranceSituation(
            InsurancePath.INSURED, days, lost, 0, None, "Insured: nothing to regain."
        )
    return InsuranceSituation(
        InsurancePath.REGAIN,
        days,
        lost,
        needed,
        rulebook.insurance_lump_sum_contributions,
        f"Status lost: regained after {needed} more consecutive insured month(s), or at once "
        f"with a lump sum of {rulebook.insurance_lump_sum_contributions} monthly contributions.",
    )


def _days_abroad(facts: InsuranceFacts) -> int | None:
    if facts.departed_on is None or facts.returned_on is None:
        return None
    return max(0, (facts.returned_on - facts.departed_on).days)


def _status_lost(facts: InsuranceFacts, days: int | None, rulebook: Rulebook) -> bool | None:
    """Lost when abroad too long or unpaid; not lost only when both are known to be fine."""
    if facts.contributions_unpaid or (days is not None and days > rulebook.insurance_abroad_days):
        return True
    if facts.contributions_unpaid is None:
        return None  # payment unknown
    never_abroad = facts.departed_on is None and facts.returned_on is None
    return False if days is not None or never_abroad else None  # else: abroad for how long?
