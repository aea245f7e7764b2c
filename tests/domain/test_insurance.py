"""SOP-INSURANCE: abroad more than 183 days (or otherwise unpaid) → regain after 6 insured months
or a lump sum of 12 contributions; eligible for social benefits → the state budget pays."""

from datetime import date, timedelta

import pytest

from app.domain.insurance import (
    InsuranceFacts,
    InsurancePath,
    InsuranceSituation,
    insurance_situation,
)
from app.domain.rulebook import DEFAULT_RULEBOOK

DEPARTED = date(2025, 1, 10)


def facts(
    *,
    days_abroad: int | None = None,
    departed_on: date | None = None,
    returned_on: date | None = None,
    contributions_unpaid: bool | None = None,
    insured_months_since_return: int | None = None,
    eligible_for_social_benefits: bool | None = None,
) -> InsuranceFacts:
    if days_abroad is not None:
        departed_on, returned_on = DEPARTED, DEPARTED + timedelta(days=days_abroad)
    return InsuranceFacts(
        departed_on,
        returned_on,
        contributions_unpaid,
        insured_months_since_return,
        eligible_for_social_benefits,
    )


def situation(f: InsuranceFacts) -> InsuranceSituation:
    return insurance_situation(f, DEFAULT_RULEBOOK)


@pytest.mark.parametrize(
    ("f", "days", "lost"),
    [
        pytest.param(facts(days_abroad=183, contributions_unpaid=False), 183, False, id="183-days"),
        pytest.param(facts(days_abroad=100, contributions_unpaid=False), 100, False, id="100-days"),
        pytest.param(facts(contributions_unpaid=False), None, False, id="never-abroad-and-paid"),
        pytest.param(
            facts(days_abroad=184, contributions_unpaid=False, insured_months_since_return=6),
            184,
            True,
            id="lost-but-6-insured-months-since-return",
        ),
        pytest.param(
            facts(days_abroad=184, insured_months_since_return=9),
            184,
            True,
            id="lost-but-9-insured-months-since-return",
        ),
    ],
)
def test_insured(f: InsuranceFacts, days: int | None, lost: bool) -> None:
    s = situation(f)
    assert (s.path, s.days_abroad, s.status_lost) == (InsurancePath.INSURED, days, lost)
    assert (s.insured_months_needed, s.lump_sum_contributions) == (0, None)


def test_183_days_is_the_literal_limit() -> None:
    f = facts(
        departed_on=date(2026, 1, 1), returned_on=date(2026, 7, 3), contributions_unpaid=False
    )
    assert situation(f).days_abroad == 183
    assert situation(f).path is InsurancePath.INSURED
    later = facts(
        departed_on=date(2026, 1, 1), returned_on=date(2026, 7, 4), contributions_unpaid=False
    )
    assert situation(later).path is InsurancePath.REGAIN


@pytest.mark.parametrize(
    ("f", "days", "needed"),
    [
        pytest.param(facts(days_abroad=184, contributions_unpaid=False), 184, 6, id="184-days"),
        pytest.param(facts(days_abroad=184), 184, 6, id="184-days-payment-unknown"),
        pytest.param(
            facts(days_abroad=400, insured_months_since_return=0), 400, 6, id="no-insured-months"
        ),
        pytest.param(
            facts(days_abroad=184, insured_months_since_return=5), 184, 1, id="5-insured-months"
        ),
        pytest.param(
            facts(days_abroad=184, insured_months_since_return=2), 184, 4, id="2-insured-months"
        ),
        pytest.param(facts(contributions_unpaid=True), None, 6, id="unpaid-without-travel-dates"),
        pytest.param(
            facts(days_abroad=30, contributions_unpaid=True), 30, 6, id="unpaid-short-trip"
        ),
        pytest.param(
            facts(contributions_unpaid=True, insured_months_since_return=5),
            None,
            1,
            id="unpaid-5-insured-months",
        ),
    ],
)
def test_status_lost_is_regained(f: InsuranceFacts, days: int | None, needed: int) -> None:
    s = situation(f)
    assert (s.path, s.days_abroad, s.status_lost) == (InsurancePath.REGAIN, days, True)
    assert (s.insured_months_needed, s.lump_sum_contributions) == (needed, 12)


@pytest.mark.parametrize(
    "f",
    [
        pytest.param(facts(eligible_for_social_benefits=True), id="nothing-else-known"),
        pytest.param(
            facts(days_abroad=400, eligible_for_social_benefits=True), id="abroad-400-days"
        ),
        pytest.param(
            facts(contributions_unpaid=True, eligible_for_social_benefits=True), id="unpaid"
        ),
        pytest.param(
            facts(contributions_unpaid=False, eligible_for_social_benefits=True),
            id="never-abroad-and-paid",
        ),
        pytest.param(
            facts(
                days_abroad=184, insured_months_since_return=6, eligible_for_social_benefits=True
            ),
            id="already-regained",
        ),
    ],
)
def test_eligible_for_social_benefits_goes_to_the_state_budget(f: InsuranceFacts) -> None:
    s = situation(f)
    assert s.path is InsurancePath.STATE_BUDGET
    assert (s.insured_months_needed, s.lump_sum_contributions) == (None, None)
    assert "Social Assistance Directorate" in s.advice


@pytest.mark.parametrize(
    "f",
    [
        pytest.param(facts(), id="nothing-known"),
        pytest.param(facts(eligible_for_social_benefits=False), id="not-eligible-nothing-else"),
        pytest.param(facts(departed_on=DEPARTED), id="departed-not-returned"),
        pytest.param(
            facts(departed_on=DEPARTED, contributions_unpaid=False), id="departed-paid-no-return"
        ),
        pytest.param(facts(returned_on=date(2026, 1, 1)), id="returned-departure-unknown"),
        pytest.param(facts(contributions_unpaid=None), id="never-abroad-payment-unknown"),
    ],
)
def test_unknown_when_the_record_lacks_the_facts(f: InsuranceFacts) -> None:
    s = situation(f)
    assert (s.path, s.status_lost) == (InsurancePath.UNKNOWN, None)
    assert (s.insured_months_needed, s.lump_sum_contributions) == (None, None)


def test_short_stay_abroad_with_payment_unknown_is_unknown() -> None:
    s = situation(facts(days_abroad=100))
    assert (s.path, s.status_lost) == (InsurancePath.UNKNOWN, None)
