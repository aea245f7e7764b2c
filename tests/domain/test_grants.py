"""The reintegration grant rules of RULES.md (MAN Annexes 5 and 6): every ceiling at its boundary
on both sides, how days and months are counted, the line conditions, the total, the four-eyes
rule and the grant's state machine."""

import calendar
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from types import MappingProxyType
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import DomainError, InvalidTransition, InvalidValue, RuleViolation
from app.domain.grants import (
    GRANT_STEPS,
    CheckedGrant,
    CountedGrant,
    GrantStatus,
    LawyerPurpose,
    Line,
    PaidFor,
    TrainingTerm,
    agreement_number,
    check_four_eyes,
    check_grant,
    check_pays_something,
    check_period_ahead,
    check_person_ceilings,
    check_pink_at_shelter,
    check_what_lines_pay_for,
    commitments,
    course_months,
    grant_total,
    next_instalment,
    period_days,
    period_months,
)
from app.domain.rulebook import (
    BLUE_LINES,
    DEFAULT_RULEBOOK,
    PINK_LINES,
    CeilingBasis,
    GrantForm,
    GrantLineRule,
    Rulebook,
)
from app.domain.states import advance

RB = DEFAULT_RULEBOOK
PINK, BLUE = GrantForm.PINK, GrantForm.BLUE
CENT = Decimal("0.01")
JUSTIFICATION = "No family to return to; the landlord is known to the NGO."
CRIMINAL, CIVIL = "criminal_proceedings", "civil_rights"

# A harmless first line of each form, so that a refused line sits at index 1.
HARMLESS = {
    PINK: Line("medical_examination", Decimal("100.00")),
    BLUE: Line("id_documents", Decimal("100.00")),
}
# A second, different one: each line of a form appears once.
HARMLESS_TOO = {
    PINK: Line("travel", Decimal("100.00")),
    BLUE: Line("ngo_social_worker", Decimal("100.00")),
}

START = date(2026, 1, 1)
END_30_DAYS = date(2026, 1, 30)  # 30 days, one calendar month
END_3_MONTHS = date(2026, 3, 31)  # 90 days, three calendar months
SIX_MONTHS = (date(2026, 1, 15), date(2026, 7, 14))  # six months as SOP-MONTHS counts them


def assert_refused(refusal: pytest.ExceptionInfo[Any], rule: str, kind: type) -> None:
    """The refusal names the rule, and is exactly the expected exception type."""
    assert refusal.value.rule == rule
    assert type(refusal.value) is kind


def assert_invalid(refusal: pytest.ExceptionInfo[Any], field: str) -> None:
    """A count or date that cannot be: exactly InvalidValue, naming the field."""
    assert type(refusal.value) is InvalidValue
    assert refusal.value.field == field


def check(
    form: GrantForm, *lines: Line, start: date = START, end: date = END_3_MONTHS
) -> CheckedGrant:
    return check_grant(form, start, end, list(lines), RB)


def money(text: str) -> Decimal:
    return Decimal(text)


# --- the issue's boundaries ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "line", "end", "ceiling"),
    [
        pytest.param(
            PINK, Line("clothes_summer", money("2000.00")), END_3_MONTHS, "2000.00", id="summer"
        ),
        pytest.param(
            PINK,
            Line("food_hygiene", money("6000.00"), days=30),
            END_30_DAYS,
            "6000.00",
            id="food-30-days-in-a-30-day-period",
        ),
        pytest.param(
            PINK,
            Line("food_hygiene", money("6000.00"), days=30),
            END_3_MONTHS,
            "6000.00",
            id="food-30-days-in-a-90-day-period",
        ),
        pytest.param(
            BLUE,
            Line("scholarship", money("3000.00"), months=3),
            END_3_MONTHS,
            "3000.00",
            id="scholarship-3-months",
        ),
    ],
)
def test_the_issues_boundaries_are_accepted_at_the_ceiling(
    form: GrantForm, line: Line, end: date, ceiling: str
) -> None:
    checked = check(form, HARMLESS[form], line, end=end)
    assert checked.lines[1].line == line
    assert checked.lines[1].ceiling == money(ceiling)
    assert str(checked.lines[1].ceiling) == ceiling  # two places, quantized
    assert checked.total == money(ceiling) + money("100.00")


@pytest.mark.parametrize(
    ("form", "line", "end", "ceiling"),
    [
        pytest.param(
            PINK, Line("clothes_summer", money("2000.01")), END_3_MONTHS, "2000.00", id="summer"
        ),
        pytest.param(
            PINK,
            Line("food_hygiene", money("6000.01"), days=30),
            END_30_DAYS,
            "6000.00",
            id="food-30-days-in-a-30-day-period",
        ),
        pytest.param(
            PINK,
            Line("food_hygiene", money("6000.01"), days=30),
            END_3_MONTHS,
            "6000.00",
            id="food-30-days-in-a-90-day-period",
        ),
        pytest.param(
            BLUE,
            Line("scholarship", money("3000.01"), months=3),
            END_3_MONTHS,
            "3000.00",
            id="scholarship-3-months",
        ),
    ],
)
def test_the_issues_boundaries_are_refused_a_cent_above(
    form: GrantForm, line: Line, end: date, ceiling: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check(form, HARMLESS[form], line, end=end)
    assert_refused(refused, "GRANT-CEILING", RuleViolation)
    facts = refused.value.facts
    assert facts == {"line": 1, "ceiling": money(ceiling), "amount": line.amount}
    assert isinstance(facts["ceiling"], Decimal)
    assert isinstance(facts["amount"], Decimal)
    assert str(facts["ceiling"]) == ceiling


# --- every ceiling of both forms at its boundary ---------------------------------------------

# (form, category, days, months, period, ceiling) — the numbers of RULES.md, written out here.
PERIOD_30 = (START, END_30_DAYS)
PERIOD_1_DAY = (START, START)
PERIOD_YEAR = (START, date(2026, 12, 31))
CEILINGS: list[tuple[GrantForm, str, int | None, int | None, tuple[date, date], str]] = [
    (PINK, "clothes_summer", None, None, PERIOD_30, "2000.00"),
    (PINK, "clothes_winter", None, None, PERIOD_30, "2500.00"),
    (PINK, "underwear", None, None, PERIOD_30, "500.00"),
    (PINK, "food_hygiene", 1, None, PERIOD_30, "200.00"),
    (PINK, "food_hygiene", 30, None, PERIOD_30, "6000.00"),
    (PINK, "food_hygiene", 1, None, PERIOD_1_DAY, "200.00"),
    (PINK, "food_hygiene", 365, None, PERIOD_YEAR, "73000.00"),
    (BLUE, "vocational_training", None, 1, PERIOD_30, "2000.00"),
    (BLUE, "vocational_training", None, 2, PERIOD_30, "2000.00"),
    (BLUE, "vocational_training", None, 3, PERIOD_30, "2000.00"),
    (BLUE, "vocational_training", None, 3, PERIOD_YEAR, "2000.00"),
    (BLUE, "equipment", None, None, PERIOD_30, "3000.00"),
    (BLUE, "scholarship", None, 1, SIX_MONTHS, "1000.00"),
    (BLUE, "scholarship", None, 6, SIX_MONTHS, "6000.00"),
    (BLUE, "travel", None, 1, SIX_MONTHS, "1000.00"),
    (BLUE, "travel", None, 6, SIX_MONTHS, "6000.00"),
    (BLUE, "apartment_rental", None, 1, SIX_MONTHS, "1500.00"),
    (BLUE, "apartment_rental", None, 6, SIX_MONTHS, "9000.00"),
    (BLUE, "ngo_communication", None, None, PERIOD_1_DAY, "800.00"),
    (BLUE, "ngo_communication", None, None, PERIOD_YEAR, "800.00"),
    (BLUE, "ngo_travel", None, None, PERIOD_1_DAY, "800.00"),
    (BLUE, "ngo_travel", None, None, PERIOD_YEAR, "800.00"),
    (BLUE, "ngo_social_worker", None, None, PERIOD_30, "1000.00"),
]
CEILING_PARAMS = [
    pytest.param(
        *row,
        id=f"{row[0]}-{row[1]}"
        + (f"-{row[2]}d" if row[2] else "")
        + (f"-{row[3]}m" if row[3] else "")
        + f"-{row[4][0]}..{row[4][1]}",
    )
    for row in CEILINGS
]
NO_CEILING = [
    (PINK, Line("medical_examination", money("1000000.00"))),
    (PINK, Line("travel", money("1000000.00"))),
    (PINK, Line("lawyer", money("1000000.00"), purpose=CRIMINAL)),
    (BLUE, Line("other", money("1000000.00"), justification=JUSTIFICATION)),
    (BLUE, Line("id_documents", money("1000000.00"))),
    (BLUE, Line("lawyer", money("1000000.00"), purpose=CIVIL)),
]


def _line(
    form: GrantForm, category: str, amount: Decimal, days: int | None, months: int | None
) -> Line:
    """A line meeting every condition of its form but the amount."""
    rule = RB.grant_lines[form][category]
    justification = JUSTIFICATION if rule.justification_required else None
    return Line(category, amount, days=days, months=months, justification=justification)


def test_the_tables_here_cover_every_line_of_both_forms() -> None:
    covered = {(form, category) for form, category, *_ in CEILINGS}
    covered |= {(form, line.category) for form, line in NO_CEILING}
    assert covered == {(form, category) for form in GrantForm for category in RB.grant_lines[form]}


@pytest.mark.parametrize(
    ("form", "category", "days", "months", "period", "ceiling"), CEILING_PARAMS
)
def test_every_ceiling_is_accepted_at_the_cap(
    form: GrantForm,
    category: str,
    days: int | None,
    months: int | None,
    period: tuple[date, date],
    ceiling: str,
) -> None:
    line = _line(form, category, money(ceiling), days, months)
    checked = check(form, line, start=period[0], end=period[1])
    assert checked.lines[0].ceiling == money(ceiling)
    assert checked.total == money(ceiling)


@pytest.mark.parametrize(
    ("form", "category", "days", "months", "period", "ceiling"), CEILING_PARAMS
)
def test_every_ceiling_is_refused_a_cent_above_the_cap(
    form: GrantForm,
    category: str,
    days: int | None,
    months: int | None,
    period: tuple[date, date],
    ceiling: str,
) -> None:
    line = _line(form, category, money(ceiling) + CENT, days, months)
    with pytest.raises(RuleViolation) as refused:
        check(form, HARMLESS[form], line, start=period[0], end=period[1])
    assert_refused(refused, "GRANT-CEILING", RuleViolation)
    assert refused.value.facts == {"line": 1, "ceiling": money(ceiling), "amount": line.amount}


@pytest.mark.parametrize(
    ("form", "line"),
    [pytest.param(form, line, id=f"{form}-{line.category}") for form, line in NO_CEILING],
)
def test_lines_without_a_ceiling_accept_large_amounts(form: GrantForm, line: Line) -> None:
    checked = check(form, line)
    assert checked.lines[0].ceiling is None
    assert checked.total == money("1000000.00")


def test_a_ceiling_is_read_from_the_rulebook() -> None:
    pink = dict(PINK_LINES)
    pink["clothes_summer"] = GrantLineRule(CeilingBasis.FIXED, money("2200.00"))
    rulebook = Rulebook(
        version="test",
        grant_lines=MappingProxyType({PINK: MappingProxyType(pink), BLUE: BLUE_LINES}),
    )
    line = Line("clothes_summer", money("2200.00"))
    checked = check_grant(PINK, START, END_30_DAYS, [line], rulebook)
    assert checked.lines[0].ceiling == money("2200.00")
    with pytest.raises(RuleViolation) as refused:
        check_grant(PINK, START, END_30_DAYS, [Line("clothes_summer", money("2200.01"))], rulebook)
    assert_refused(refused, "GRANT-CEILING", RuleViolation)


@pytest.mark.parametrize(
    ("form", "lines", "end"),
    [
        pytest.param(
            PINK,
            (Line("clothes_summer", money("2000.00")), Line("clothes_summer", money("0.01"))),
            END_30_DAYS,
            id="two-clothes_summer-lines",
        ),
        pytest.param(
            PINK,
            (
                Line("food_hygiene", money("6000.00"), days=30),
                Line("food_hygiene", money("6000.00"), days=30),
            ),
            END_30_DAYS,
            id="food-for-60-days-in-a-30-day-period",
        ),
        pytest.param(
            BLUE,
            (Line("ngo_travel", money("800.00")), Line("ngo_travel", money("800.00"))),
            END_3_MONTHS,
            id="ngo_travel-twice-for-the-whole-period",
        ),
        pytest.param(
            BLUE,
            (
                Line("scholarship", money("3000.00"), months=3),
                Line("scholarship", money("3000.00"), months=3),
            ),
            END_3_MONTHS,
            id="scholarship-for-6-months-in-a-3-month-period",
        ),
    ],
)
def test_a_repeated_category_does_not_multiply_its_ceiling(
    form: GrantForm, lines: tuple[Line, ...], end: date
) -> None:
    with pytest.raises((RuleViolation, InvalidValue)):
        check(form, *lines, end=end)


# --- GRANT-LINE-FORM -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "line"),
    [
        pytest.param(PINK, Line("scholarship", money("100.00"), months=1), id="pink-scholarship"),
        pytest.param(
            PINK, Line("vocational_training", money("100.00"), months=1), id="pink-vocational"
        ),
        pytest.param(PINK, Line("equipment", money("100.00")), id="pink-equipment"),
        pytest.param(
            PINK, Line("other", money("100.00"), justification=JUSTIFICATION), id="pink-other"
        ),
        pytest.param(PINK, Line("ngo_travel", money("100.00")), id="pink-ngo_travel"),
        pytest.param(PINK, Line("id_documents", money("100.00")), id="pink-id_documents"),
        pytest.param(BLUE, Line("clothes_summer", money("100.00")), id="blue-clothes_summer"),
        pytest.param(BLUE, Line("underwear", money("100.00")), id="blue-underwear"),
        pytest.param(BLUE, Line("food_hygiene", money("100.00"), days=1), id="blue-food_hygiene"),
        pytest.param(BLUE, Line("medical_examination", money("100.00")), id="blue-medical"),
        pytest.param(PINK, Line("bicycle", money("100.00")), id="pink-unknown"),
        pytest.param(BLUE, Line("bicycle", money("100.00")), id="blue-unknown"),
        pytest.param(BLUE, Line("", money("100.00")), id="blue-empty-category"),
    ],
)
def test_a_line_its_form_does_not_have_is_refused(form: GrantForm, line: Line) -> None:
    with pytest.raises(RuleViolation) as refused:
        check(form, HARMLESS[form], HARMLESS_TOO[form], line)
    assert_refused(refused, "GRANT-LINE-FORM", RuleViolation)
    assert refused.value.facts == {"line": 2}


# --- GRANT-JUSTIFICATION ---------------------------------------------------------------------


@pytest.mark.parametrize("justification", [None, "", "  ", "\t\n"], ids=repr)
@pytest.mark.parametrize(
    "category_months",
    [("other", None), ("apartment_rental", 1)],
    ids=["other", "apartment_rental"],
)
def test_a_line_needing_a_justification_without_one_is_refused(
    category_months: tuple[str, int | None], justification: str | None
) -> None:
    category, months = category_months
    line = Line(category, money("100.00"), months=months, justification=justification)
    with pytest.raises(RuleViolation) as refused:
        check(BLUE, HARMLESS[BLUE], line)
    assert_refused(refused, "GRANT-JUSTIFICATION", RuleViolation)
    assert refused.value.facts == {"line": 1}


@pytest.mark.parametrize(
    "category_months",
    [("other", None), ("apartment_rental", 1)],
    ids=["other", "apartment_rental"],
)
def test_a_line_needing_a_justification_with_one_is_accepted(
    category_months: tuple[str, int | None],
) -> None:
    category, months = category_months
    line = Line(category, money("100.00"), months=months, justification=JUSTIFICATION)
    assert check(BLUE, line).lines[0].line.justification == JUSTIFICATION


# --- GRANT-PURPOSE ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("form", "purpose", "allowed"),
    [
        pytest.param(PINK, CRIMINAL, True, id="pink-criminal"),
        pytest.param(PINK, LawyerPurpose.CRIMINAL_PROCEEDINGS, True, id="pink-criminal-enum"),
        pytest.param(PINK, CIVIL, False, id="pink-civil-refused"),
        pytest.param(PINK, None, False, id="pink-none-refused"),
        pytest.param(BLUE, CIVIL, True, id="blue-civil"),
        pytest.param(BLUE, LawyerPurpose.CIVIL_RIGHTS, True, id="blue-civil-enum"),
        pytest.param(BLUE, CRIMINAL, False, id="blue-criminal-refused"),
        pytest.param(BLUE, None, False, id="blue-none-refused"),
        pytest.param(BLUE, "other", False, id="blue-unknown-refused"),
    ],
)
def test_lawyer_purpose(form: GrantForm, purpose: str | None, allowed: bool) -> None:
    line = Line("lawyer", money("5000.00"), purpose=purpose)
    if allowed:
        assert check(form, line).lines[0].ceiling is None
        return
    with pytest.raises(RuleViolation) as refused:
        check(form, HARMLESS[form], line)
    assert_refused(refused, "GRANT-PURPOSE", RuleViolation)
    wanted = CRIMINAL if form is PINK else CIVIL
    assert refused.value.facts == {"line": 1, "purpose": wanted}


def test_the_lawyer_purposes_are_those_of_the_rulebook() -> None:
    assert RB.grant_lines[PINK]["lawyer"].purpose == LawyerPurpose.CRIMINAL_PROCEEDINGS
    assert RB.grant_lines[BLUE]["lawyer"].purpose == LawyerPurpose.CIVIL_RIGHTS
    assert {p.value for p in LawyerPurpose} == {CRIMINAL, CIVIL}


# --- GRANT-COURSE-3M -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("months", "allowed"),
    [
        pytest.param(1, True, id="1"),
        pytest.param(3, True, id="3"),
        pytest.param(4, False, id="4-refused"),
        pytest.param(12, False, id="12-refused"),
        pytest.param(0, False, id="0-refused"),
        pytest.param(-1, False, id="negative-refused"),
    ],
)
def test_a_vocational_course_lasts_at_most_three_months(months: int, allowed: bool) -> None:
    line = Line("vocational_training", money("2000.00"), months=months)
    if allowed:
        assert check(BLUE, line, end=PERIOD_YEAR[1]).lines[0].ceiling == money("2000.00")
        return
    with pytest.raises(RuleViolation) as refused:
        check(BLUE, HARMLESS[BLUE], line, end=PERIOD_YEAR[1])
    assert_refused(refused, "GRANT-COURSE-3M", RuleViolation)
    assert refused.value.facts == {"line": 1, "months": months}


def test_the_course_length_is_read_from_the_rulebook() -> None:
    rulebook = Rulebook(version="test", course_max_months=4)
    line = Line("vocational_training", money("2000.00"), months=4)
    assert check_grant(BLUE, START, PERIOD_YEAR[1], [line], rulebook).lines[0].line == line


# --- how days and months are counted ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "days"),
    [
        pytest.param(date(2026, 1, 1), date(2026, 1, 30), 30, id="jan-1-to-30"),
        pytest.param(date(2026, 1, 1), date(2026, 1, 1), 1, id="one-day"),
        pytest.param(date(2026, 2, 1), date(2026, 2, 28), 28, id="feb-2026"),
        pytest.param(date(2028, 2, 1), date(2028, 2, 29), 29, id="feb-2028-leap"),
        pytest.param(date(2028, 2, 28), date(2028, 3, 1), 3, id="over-29-feb-2028"),
        pytest.param(date(2025, 12, 31), date(2026, 1, 1), 2, id="dec-to-jan"),
        pytest.param(date(2026, 1, 1), date(2026, 12, 31), 365, id="year-2026"),
        pytest.param(date(2028, 1, 1), date(2028, 12, 31), 366, id="year-2028-leap"),
    ],
)
def test_period_days_counts_both_ends(start: date, end: date, days: int) -> None:
    assert period_days(start, end) == days


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        pytest.param(date(2026, 1, 31), date(2026, 2, 1), 1, id="jan-31-to-feb-1"),
        pytest.param(date(2026, 1, 1), date(2026, 1, 1), 1, id="one-day"),
        pytest.param(date(2026, 1, 1), date(2026, 1, 31), 1, id="all-january"),
        pytest.param(date(2028, 2, 1), date(2028, 2, 29), 1, id="feb-2028-leap"),
        pytest.param(date(2028, 2, 29), date(2028, 3, 1), 1, id="29-feb-to-1-mar"),
        pytest.param(date(2025, 12, 31), date(2026, 1, 1), 1, id="dec-to-jan"),
        pytest.param(date(2025, 11, 15), date(2026, 2, 10), 3, id="nov-to-feb"),
        pytest.param(date(2026, 1, 15), date(2026, 6, 14), 5, id="five-months-to-the-day"),
        pytest.param(date(2026, 1, 15), date(2026, 6, 15), 6, id="and-a-day-more"),
        pytest.param(date(2026, 1, 31), date(2026, 2, 27), 1, id="month-end-start-clamps"),
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), 2, id="past-the-clamped-month"),
        pytest.param(date(2026, 1, 1), date(2026, 12, 31), 12, id="year-2026"),
        pytest.param(date(2026, 1, 1), date(2027, 1, 1), 13, id="year-and-a-day"),
    ],
)
def test_period_months_counts_months_as_sop_months(start: date, end: date, months: int) -> None:
    """SOP-MONTHS, rounded up: a two-day period across a month end is one month, not two."""
    assert period_months(start, end) == months


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
    st.integers(min_value=0, max_value=800),
)
@settings(max_examples=200, deadline=None)
def test_period_counts_match_the_days_listed(start: date, length: int) -> None:
    end = start + timedelta(days=length)
    every_day = [start + timedelta(days=n) for n in range(length + 1)]
    assert period_days(start, end) == len(every_day)
    assert period_months(start, end) == months_touched(start, end)


@pytest.mark.parametrize(
    ("days", "allowed"),
    [
        pytest.param(1, True, id="1"),
        pytest.param(30, True, id="30"),
        pytest.param(31, False, id="31-refused"),
        pytest.param(0, False, id="0-refused"),
        pytest.param(-1, False, id="negative-refused"),
    ],
)
def test_per_day_days_run_from_one_to_the_days_of_the_period(days: int, allowed: bool) -> None:
    line = Line("food_hygiene", money("200.00"), days=days)
    if allowed:
        assert check(PINK, line, end=END_30_DAYS).lines[0].ceiling == money("200.00") * days
        return
    with pytest.raises(InvalidValue) as refused:
        check(PINK, line, end=END_30_DAYS)
    assert_invalid(refused, "lines")


@pytest.mark.parametrize(
    ("months", "allowed"),
    [
        pytest.param(1, True, id="1"),
        pytest.param(2, False, id="2-refused"),
        pytest.param(0, False, id="0-refused"),
    ],
)
@pytest.mark.parametrize("category", ["scholarship", "travel", "apartment_rental"])
def test_per_month_months_run_from_one_to_the_months_of_the_period(
    category: str, months: int, allowed: bool
) -> None:
    # 2026-01-31 to 2026-02-01: two days across a month end, one month (SOP-MONTHS): a
    # per-month line cannot ask for two (the 3,000 of rent against "1,500 per month")
    line = _line(BLUE, category, money("1000.00"), None, months)
    start, end = date(2026, 1, 31), date(2026, 2, 1)
    if allowed:
        assert check(BLUE, line, start=start, end=end).lines[0].line.months == months
        return
    with pytest.raises(InvalidValue) as refused:
        check(BLUE, line, start=start, end=end)
    assert_invalid(refused, "lines")


@pytest.mark.parametrize(
    ("form", "line"),
    [
        pytest.param(PINK, Line("clothes_summer", money("1.00"), days=1), id="fixed-with-days"),
        pytest.param(PINK, Line("underwear", money("1.00"), months=1), id="fixed-with-months"),
        pytest.param(BLUE, Line("equipment", money("1.00"), months=1), id="blue-fixed-months"),
        pytest.param(
            BLUE, Line("ngo_social_worker", money("1.00"), days=1), id="blue-fixed-with-days"
        ),
        pytest.param(BLUE, Line("ngo_travel", money("1.00"), months=1), id="period-with-months"),
        pytest.param(BLUE, Line("ngo_communication", money("1.00"), days=1), id="period-with-days"),
        pytest.param(PINK, Line("medical_examination", money("1.00"), days=1), id="none-days"),
        pytest.param(PINK, Line("food_hygiene", money("1.00")), id="per-day-without-days"),
        pytest.param(
            PINK, Line("food_hygiene", money("1.00"), months=1), id="per-day-with-months-only"
        ),
        pytest.param(
            PINK, Line("food_hygiene", money("1.00"), days=1, months=1), id="per-day-with-both"
        ),
        pytest.param(BLUE, Line("scholarship", money("1.00")), id="per-month-without-months"),
        pytest.param(
            BLUE, Line("scholarship", money("1.00"), days=1), id="per-month-with-days-only"
        ),
        pytest.param(
            BLUE, Line("travel", money("1.00"), days=1, months=1), id="per-month-with-both"
        ),
        pytest.param(BLUE, Line("vocational_training", money("1.00")), id="course-no-months"),
        pytest.param(
            BLUE,
            Line("vocational_training", money("1.00"), days=30, months=1),
            id="course-with-days",
        ),
    ],
)
def test_a_line_states_exactly_the_count_its_ceiling_needs(form: GrantForm, line: Line) -> None:
    with pytest.raises(InvalidValue) as refused:
        check(form, line)
    assert_invalid(refused, "lines")


def test_a_one_day_period_allows_one_day() -> None:
    one_day = Line("food_hygiene", money("200.00"), days=1)
    assert check(PINK, one_day, start=START, end=START).total == money("200.00")
    with pytest.raises(InvalidValue) as refused:
        check(PINK, Line("food_hygiene", money("200.00"), days=2), start=START, end=START)
    assert_invalid(refused, "lines")


@pytest.mark.parametrize(
    "lines",
    [
        pytest.param((), id="no-lines"),
        pytest.param((Line("clothes_summer", money("100.00")),), id="a-valid-line"),
    ],
)
def test_a_period_ending_before_it_starts_is_refused(lines: tuple[Line, ...]) -> None:
    with pytest.raises(InvalidValue) as refused:
        check(PINK, *lines, start=date(2026, 2, 1), end=date(2026, 1, 31))
    assert_invalid(refused, "period_end")


# --- the total -------------------------------------------------------------------------------


def test_the_total_is_the_sum_of_the_lines() -> None:
    checked = check(
        BLUE,
        Line("equipment", money("2999.99")),
        Line("scholarship", money("1500.50"), months=2),
        Line("ngo_travel", money("0.01")),
        Line("other", money("12.34"), justification=JUSTIFICATION),
    )
    assert checked.total == money("4512.84")
    assert str(checked.total) == "4512.84"


@pytest.mark.parametrize(
    ("amounts", "total"),
    [
        pytest.param((), "0.00", id="no-lines"),
        pytest.param(("1000", "0.5"), "1000.50", id="padded-to-cents"),
        pytest.param(("0.10", "0.20"), "0.30", id="no-float-error"),
        pytest.param(("2000.00",), "2000.00", id="one-line"),
    ],
)
def test_the_total_is_quantized_to_cents(amounts: tuple[str, ...], total: str) -> None:
    categories = ("travel", "medical_examination", "lawyer")
    lines = [
        Line(category, money(amount), purpose=CRIMINAL if category == "lawyer" else None)
        for category, amount in zip(categories, amounts, strict=False)
    ]
    assert str(grant_total(lines)) == total
    assert str(check_grant(PINK, START, END_30_DAYS, lines, RB).total) == total


# --- GRANT-FOUR-EYES -------------------------------------------------------------------------

AUTHOR, COORDINATOR, CO_AUTHOR = uuid4(), uuid4(), uuid4()
NGO, INTERNATIONAL = uuid4(), uuid4()


@pytest.mark.parametrize(
    ("approver", "approver_org"),
    [
        pytest.param(AUTHOR, INTERNATIONAL, id="the-author-from-another-organisation"),
        pytest.param(COORDINATOR, NGO, id="another-person-of-the-authors-organisation"),
        pytest.param(AUTHOR, NGO, id="the-author-themself"),
        pytest.param(CO_AUTHOR, INTERNATIONAL, id="the-coordinator-who-drafted-it-with-them"),
    ],
)
def test_four_eyes_refuses_the_author_and_the_authors_organisation(
    approver: Any, approver_org: Any
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_four_eyes(approver, {AUTHOR, CO_AUTHOR}, approver_org, NGO)
    assert_refused(refused, "GRANT-FOUR-EYES", RuleViolation)


@pytest.mark.parametrize(
    "approver_org", [INTERNATIONAL, None], ids=["another-organisation", "no-organisation"]
)
def test_four_eyes_passes_another_person_of_another_organisation(approver_org: Any) -> None:
    assert check_four_eyes(COORDINATOR, {AUTHOR, CO_AUTHOR}, approver_org, NGO) is None


# --- the grant's state machine ---------------------------------------------------------------

_G = GrantStatus
DOCUMENTED_STEPS = {
    (_G.DRAFT, "edit"): _G.DRAFT,
    (_G.DRAFT, "submit"): _G.SUBMITTED,
    (_G.SUBMITTED, "approve"): _G.APPROVED,
    (_G.SUBMITTED, "reject"): _G.REJECTED,
    (_G.APPROVED, "disburse"): _G.DISBURSED,
}


def test_grant_transition_table_is_exactly_the_documented_one() -> None:
    assert dict(GRANT_STEPS) == DOCUMENTED_STEPS


def test_grant_states_are_those_of_the_api() -> None:
    assert [s.value for s in GrantStatus] == [
        "draft",
        "submitted",
        "approved",
        "rejected",
        "disbursed",
    ]


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        pytest.param(state, action, after, id=f"{state}-{action}")
        for (state, action), after in DOCUMENTED_STEPS.items()
    ],
)
def test_allowed_grant_step(state: GrantStatus, action: str, after: GrantStatus) -> None:
    assert advance(GRANT_STEPS, "grant", state, action) is after


@pytest.mark.parametrize(
    ("state", "action"),
    [
        pytest.param(_G.APPROVED, "approve", id="approve-twice"),
        pytest.param(_G.REJECTED, "approve", id="approve-a-rejected-grant"),
        pytest.param(_G.DRAFT, "approve", id="approve-a-draft"),
        pytest.param(_G.APPROVED, "edit", id="edit-an-approved-grant"),
        pytest.param(_G.DISBURSED, "edit", id="edit-a-disbursed-grant"),
        pytest.param(_G.SUBMITTED, "disburse", id="disburse-a-submitted-grant"),
        pytest.param(_G.REJECTED, "disburse", id="disburse-a-rejected-grant"),
        pytest.param(_G.DRAFT, "disburse", id="disburse-a-draft"),
        pytest.param(_G.DISBURSED, "disburse", id="disburse-twice"),
        pytest.param(_G.APPROVED, "reject", id="reject-an-approved-grant"),
        pytest.param(_G.REJECTED, "reject", id="reject-twice"),
        pytest.param(_G.SUBMITTED, "submit", id="submit-twice"),
        pytest.param(_G.APPROVED, "submit", id="submit-an-approved-grant"),
    ],
)
def test_forbidden_grant_step(state: GrantStatus, action: str) -> None:
    with pytest.raises(InvalidTransition) as refused:
        advance(GRANT_STEPS, "grant", state, action)
    assert (refused.value.entity, refused.value.state, refused.value.action) == (
        "grant",
        state.value,
        action,
    )


# --- properties ------------------------------------------------------------------------------

NO_CAP = Decimal("1000000.00")  # the amount range drawn for a line without a ceiling
PROPERTIES = settings(max_examples=200, deadline=None)


def expected_ceiling(rule: GrantLineRule, days: int | None, months: int | None) -> Decimal | None:
    """The ceiling as RULES.md counts it, written independently of app.domain.grants."""
    if rule.basis is CeilingBasis.NONE or rule.rate is None:
        return None
    if rule.basis is CeilingBasis.PER_DAY:
        assert days is not None
        return rule.rate * days
    if rule.basis is CeilingBasis.PER_MONTH:
        assert months is not None
        return rule.rate * months
    return rule.rate  # fixed, whole course, whole period: one cap


def days_in(start: date, end: date) -> int:
    return (end - start).days + 1


def months_touched(start: date, end: date) -> int:
    """SOP-MONTHS written out again: the fewest months N whose period from ``start`` (to the
    day before the same calendar day N months later, a month-end clamped) reaches ``end``."""
    months = 1
    while True:
        years, month_index = divmod(start.month - 1 + months, 12)
        year, month = start.year + years, month_index + 1
        day = min(start.day, calendar.monthrange(year, month)[1])
        if end <= date(year, month, day) - timedelta(days=1):
            return months
        months += 1


@st.composite
def periods(draw: st.DrawFn) -> tuple[date, date]:
    start = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
    return start, start + timedelta(days=draw(st.integers(min_value=0, max_value=400)))


@st.composite
def valid_line(
    draw: st.DrawFn, form: GrantForm, start: date, end: date, within: bool
) -> tuple[Line, Decimal | None]:
    """A line that meets every rule of its form; its amount is within the ceiling, or (when not
    ``within``) anywhere from 0 to twice the ceiling, the cent either side of it included."""
    category = draw(st.sampled_from(sorted(RB.grant_lines[form])))
    rule = RB.grant_lines[form][category]
    days = months = None
    if rule.basis is CeilingBasis.PER_DAY:
        days = draw(st.integers(min_value=1, max_value=days_in(start, end)))
    elif rule.basis is CeilingBasis.PER_MONTH:
        months = draw(st.integers(min_value=1, max_value=months_touched(start, end)))
    elif rule.basis is CeilingBasis.WHOLE_COURSE:
        months = draw(st.integers(min_value=1, max_value=RB.course_max_months))
    ceiling = expected_ceiling(rule, days, months)
    cap = NO_CAP if ceiling is None else ceiling
    if within:
        amount = draw(st.decimals(min_value=0, max_value=cap, places=2))
    else:
        amount = draw(
            st.one_of(
                st.decimals(min_value=0, max_value=cap * 2, places=2),
                st.sampled_from([cap - CENT, cap, cap + CENT]),
            )
        )
    line = Line(
        category,
        amount,
        days=days,
        months=months,
        purpose=rule.purpose,
        justification=JUSTIFICATION if rule.justification_required else None,
    )
    return line, ceiling


@st.composite
def grants(
    draw: st.DrawFn, within: bool
) -> tuple[GrantForm, date, date, list[tuple[Line, Decimal | None]]]:
    form = draw(st.sampled_from(list(GrantForm)))
    start, end = draw(periods())
    lines = draw(
        st.lists(
            valid_line(form, start, end, within),
            max_size=8,
            unique_by=lambda drawn: drawn[0].category,  # each line of the form once
        )
    )
    return form, start, end, lines


@given(grants(within=True))
@PROPERTIES
def test_the_total_always_equals_the_sum_of_the_lines(
    grant: tuple[GrantForm, date, date, list[tuple[Line, Decimal | None]]],
) -> None:
    form, start, end, drawn = grant
    lines = [line for line, _ in drawn]
    checked = check_grant(form, start, end, lines, RB)
    assert checked.total == sum((line.amount for line in lines), Decimal("0"))
    assert checked.total == sum((item.line.amount for item in checked.lines), Decimal("0"))
    assert checked.total.as_tuple().exponent == -2
    assert [item.line for item in checked.lines] == lines
    assert [item.ceiling for item in checked.lines] == [ceiling for _, ceiling in drawn]


@given(grants(within=False))
@PROPERTIES
def test_a_grant_is_refused_exactly_when_a_line_is_above_its_ceiling(
    grant: tuple[GrantForm, date, date, list[tuple[Line, Decimal | None]]],
) -> None:
    form, start, end, drawn = grant
    lines = [line for line, _ in drawn]
    over = [
        (index, line, ceiling)
        for index, (line, ceiling) in enumerate(drawn)
        if ceiling is not None and line.amount > ceiling
    ]
    try:
        checked = check_grant(form, start, end, lines, RB)
    except RuleViolation as refused:
        assert over, f"refused a grant within every ceiling: {refused.rule} {refused.facts}"
        index, line, ceiling = over[0]
        assert refused.rule == "GRANT-CEILING"
        assert refused.facts == {"line": index, "ceiling": ceiling, "amount": line.amount}
    else:
        assert over == []
        for item, (_, ceiling) in zip(checked.lines, drawn, strict=True):
            assert item.ceiling == ceiling
            if ceiling is not None:
                assert item.line.amount <= ceiling


@st.composite
def any_line(draw: st.DrawFn, form: GrantForm, start: date, end: date) -> Line:
    """A line of the form with any amount (the cent either side of its ceiling included); one
    time in two, one more field is spoiled: a stranger's category, days or months out of range
    or where none belong, the other purpose, a blank justification."""
    line, _ = draw(valid_line(form, start, end, within=False))
    counts = st.one_of(st.none(), st.integers(min_value=-1, max_value=40))
    other_form = BLUE if form is PINK else PINK
    strangers = [*sorted(set(RB.grant_lines[other_form]) - set(RB.grant_lines[form])), "bicycle"]
    spoil = draw(st.sampled_from(["", "", "", "", "category", "days", "months", "purpose", "why"]))
    if spoil == "category":
        return replace(line, category=draw(st.sampled_from(strangers)))
    if spoil == "days":
        return replace(line, days=draw(counts))
    if spoil == "months":
        return replace(line, months=draw(counts))
    if spoil == "purpose":
        return replace(line, purpose=draw(st.sampled_from([None, CRIMINAL, CIVIL])))
    if spoil == "why":
        return replace(line, justification=draw(st.sampled_from([None, "", "  "])))
    return line


@st.composite
def any_grant(draw: st.DrawFn) -> tuple[GrantForm, date, date, list[Line]]:
    form = draw(st.sampled_from(list(GrantForm)))
    start, end = draw(periods())
    lines = st.lists(any_line(form, start, end), max_size=5, unique_by=lambda line: line.category)
    return form, start, end, draw(lines)


@given(any_grant())
@PROPERTIES
def test_any_grant_accepted_keeps_every_line_within_its_ceiling(
    grant: tuple[GrantForm, date, date, list[Line]],
) -> None:
    form, start, end, lines = grant
    try:
        checked = check_grant(form, start, end, lines, RB)
    except DomainError:
        return  # refused for one rule or another: nothing to check
    assert [item.line for item in checked.lines] == lines
    for item in checked.lines:
        rule = RB.grant_lines[form][item.line.category]
        ceiling = expected_ceiling(rule, item.line.days, item.line.months)
        assert item.ceiling == ceiling
        if ceiling is not None:
            assert item.line.amount <= ceiling
    assert checked.total == sum((line.amount for line in lines), Decimal("0"))


# --- counting across agreements -------------------------------------------------------------


def _counted(start: date, end: date, **amounts: str) -> CountedGrant:
    return CountedGrant(uuid4(), start, end, {k: money(v) for k, v in amounts.items()})


JAN = (date(2026, 1, 1), date(2026, 1, 31))


@pytest.mark.parametrize(
    ("form", "line", "others", "allowed"),
    [
        # a single cap is the person's: 2,000 of summer clothes across grants
        (PINK, Line("clothes_summer", money("1000.00")), [("clothes_summer", "1000.00")], True),
        (PINK, Line("clothes_summer", money("1000.01")), [("clothes_summer", "1000.00")], False),
        (
            BLUE,
            Line("vocational_training", money("1.00"), months=1),
            [("vocational_training", "2000.00")],
            False,
        ),
        # other lines, or lines without a ceiling, do not count against it
        (PINK, Line("clothes_summer", money("2000.00")), [("underwear", "500.00")], True),
        (
            PINK,
            Line("medical_examination", money("9000.00")),
            [("medical_examination", "9000.00")],
            True,
        ),
        # a rate: the same January twice is still 31 days of food and hygiene
        (
            PINK,
            Line("food_hygiene", money("200.00"), days=1),
            [("food_hygiene", "6200.00")],
            False,
        ),
    ],
)
def test_a_ceiling_counts_the_persons_overlapping_grants(
    form: GrantForm, line: Line, others: list[tuple[str, str]], allowed: bool
) -> None:
    counted = [_counted(*JAN, **{category: amount}) for category, amount in others]
    if allowed:
        check_person_ceilings(form, *JAN, [line], counted, RB)
        return
    with pytest.raises(RuleViolation) as refused:
        check_person_ceilings(form, *JAN, [line], counted, RB)
    assert_refused(refused, "GRANT-CEILING", RuleViolation)
    assert refused.value.facts["other_grant"] == str(counted[0].grant_id)


def test_a_grant_of_another_time_does_not_count() -> None:
    february = _counted(date(2026, 2, 1), date(2026, 2, 28), clothes_summer="2000.00")
    check_person_ceilings(PINK, *JAN, [Line("clothes_summer", money("2000.00"))], [february], RB)


@pytest.mark.parametrize(
    ("stays", "allowed"),
    [
        ([(date(2025, 12, 1), None)], True),
        ([(date(2026, 1, 1), date(2026, 1, 31))], True),  # to the discharge day
        ([(date(2026, 1, 2), None)], False),  # admitted after the period began
        ([(date(2025, 12, 1), date(2026, 1, 30))], False),  # discharged before it ended
        ([], False),  # never in a shelter
    ],
)
def test_a_pink_grant_lies_within_a_stay(
    stays: list[tuple[date, date | None]], allowed: bool
) -> None:
    check_pink_at_shelter(BLUE, *JAN, [])  # the blue form is not tied to a shelter
    if allowed:
        check_pink_at_shelter(PINK, *JAN, stays)
        return
    with pytest.raises(RuleViolation) as refused:
        check_pink_at_shelter(PINK, *JAN, stays)
    assert_refused(refused, "GRANT-PINK-SHELTER", RuleViolation)


# --- the agreement's number and its instalments ----------------------------------------------


def test_an_agreement_is_numbered_per_ngo_and_year() -> None:
    ngo = UUID("3f9a1c00-0000-4000-8000-000000000000")
    assert agreement_number(BLUE, "Safe House NGO (demo)", ngo, 2026, 7) == "S-SHND3F9A-2026-7"
    assert agreement_number(PINK, "Safe House NGO (demo)", ngo, 2026, 7) == "SHND3F9A-2026-7"
    assert agreement_number(BLUE, "—", ngo, 2026, 1) == "S-NGO3F9A-2026-1"
    other = UUID("7c2e0000-0000-4000-8000-000000000000")  # the same initials, another NGO
    assert agreement_number(BLUE, "Sunrise Hope", other, 2026, 1) != agreement_number(
        BLUE, "Safe Home", ngo, 2026, 1
    )


@pytest.mark.parametrize(
    ("paid", "amount", "expected"),
    [
        ("0.00", "400.00", ("400.00", False)),
        ("400.00", "600.00", ("600.00", True)),  # the rest: paid in full
        ("400.00", None, ("600.00", True)),  # no amount: the rest
        ("0.00", None, ("1000.00", True)),  # one instalment, as before
    ],
)
def test_instalments_add_up_to_the_approved_total(
    paid: str, amount: str | None, expected: tuple[str, bool]
) -> None:
    got = next_instalment(money("1000.00"), money(paid), money(amount) if amount else None)
    assert got == (money(expected[0]), expected[1])


@pytest.mark.parametrize(
    ("paid", "amount"),
    [("400.00", "600.01"), ("1000.00", "0.01"), ("0.00", "0.00"), ("0.00", "-5.00")],
)
def test_an_instalment_never_passes_the_total(paid: str, amount: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        next_instalment(money("1000.00"), money(paid), money(amount))
    assert_invalid(refused, "amount")


# --- what the blue lines pay for ----------------------------------------------------------------

COURSE_ID, DOCUMENT_ID, READY_ID, UNTRAINED_ID = uuid4(), uuid4(), uuid4(), uuid4()
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


def paid_for(attended: bool = True, starts: date = Q1[0], ends: date = Q1[1]) -> PaidFor:
    return PaidFor(
        trainings={COURSE_ID: TrainingTerm(attended, starts, ends)},
        documents=frozenset({DOCUMENT_ID}),
        enterprises={READY_ID: True, UNTRAINED_ID: False},
    )


@pytest.mark.parametrize(
    ("line", "attended", "rule"),
    [
        (Line("vocational_training", money("1.00"), months=3, training_id=COURSE_ID), False, None),
        (Line("vocational_training", money("1.00"), months=3), True, "MAN-TRAINING"),
        (Line("scholarship", money("1.00"), months=1, training_id=COURSE_ID), True, None),
        (
            Line("scholarship", money("1.00"), months=1, training_id=COURSE_ID),
            False,
            "MAN-TRAINING",
        ),
        (Line("scholarship", money("1.00"), months=1, training_id=uuid4()), True, "MAN-TRAINING"),
        (Line("id_documents", money("1.00"), identity_document_id=DOCUMENT_ID), True, None),
        (Line("id_documents", money("1.00")), True, "MAN-IDENTITY"),
        (Line("equipment", money("1.00"), micro_enterprise_id=READY_ID), True, None),
        (Line("equipment", money("1.00")), True, "MAN-MICRO-ENTERPRISE"),
        (
            Line("equipment", money("1.00"), micro_enterprise_id=uuid4()),
            True,
            "MAN-MICRO-ENTERPRISE",
        ),
        (
            Line("equipment", money("1.00"), micro_enterprise_id=UNTRAINED_ID),
            True,
            "MAN-MICRO-ENTERPRISE",
        ),
    ],
)
def test_a_blue_line_pays_for_the_persons_training_document_or_enterprise(
    line: Line, attended: bool, rule: str | None
) -> None:
    if rule is None:
        check_what_lines_pay_for(*Q1, [line], paid_for(attended))
        return
    with pytest.raises(RuleViolation) as refused:
        check_what_lines_pay_for(*Q1, [line], paid_for(attended))
    assert_refused(refused, rule, RuleViolation)


def test_a_scholarship_beyond_the_trainings_dates_is_refused() -> None:
    line = Line("scholarship", money("1.00"), months=1, training_id=COURSE_ID)
    with pytest.raises(RuleViolation):
        check_what_lines_pay_for(*Q1, [line], paid_for(True, date(2026, 1, 1), date(2026, 2, 28)))


def test_other_lines_name_nothing_they_pay_for() -> None:
    for line in (
        Line("equipment", money("1.00"), micro_enterprise_id=READY_ID, training_id=COURSE_ID),
        Line("other", money("1.00"), identity_document_id=DOCUMENT_ID),
        Line("travel", money("1.00"), months=1, micro_enterprise_id=READY_ID),
    ):
        with pytest.raises(InvalidValue):
            check_what_lines_pay_for(*Q1, [line], paid_for())


# --- what the person's grants commit, line by line (the reintegration read) -------------------


def test_commitments_count_overlapping_grants_together_and_periods_apart_each_once() -> None:
    jan = CountedGrant(uuid4(), date(2026, 1, 1), date(2026, 1, 31), {"travel": money("600.00")})
    jan_feb = CountedGrant(
        uuid4(), date(2026, 1, 15), date(2026, 2, 28), {"travel": money("900.00")}
    )
    june = CountedGrant(
        uuid4(),
        date(2026, 6, 1),
        date(2026, 6, 30),
        {"travel": money("100.00"), "other": money("5.00")},
    )
    found = commitments([(BLUE, jan_feb), (BLUE, june), (BLUE, jan)], DEFAULT_RULEBOOK)
    by_line = [
        (c.category, c.start, c.end, c.committed, c.ceiling, set(c.grant_ids)) for c in found
    ]
    assert by_line == [
        ("other", date(2026, 6, 1), date(2026, 6, 30), money("5.00"), None, {june.grant_id}),
        # 1,000 a month: January and February together, once each
        (
            "travel",
            date(2026, 1, 1),
            date(2026, 2, 28),
            money("1500.00"),
            money("2000.00"),
            {jan.grant_id, jan_feb.grant_id},
        ),
        (
            "travel",
            date(2026, 6, 1),
            date(2026, 6, 30),
            money("100.00"),
            money("1000.00"),
            {june.grant_id},
        ),
    ]


@pytest.mark.parametrize(
    ("starts", "ends", "months"),
    [
        (date(2026, 1, 1), date(2026, 3, 31), 3),
        (date(2026, 1, 15), date(2026, 4, 14), 3),  # three months across four calendar months
        (date(2026, 1, 15), date(2026, 4, 15), 4),
        (date(2026, 1, 1), date(2026, 1, 1), 1),
        (date(2025, 11, 20), date(2026, 2, 19), 3),
    ],
)
def test_a_course_lasts_its_months_both_days_included(
    starts: date, ends: date, months: int
) -> None:
    assert course_months(starts, ends) == months


def test_a_course_line_states_the_length_of_the_course_it_names() -> None:
    """Regression: a twelve-month training was paid as a course of three months."""
    year_long = paid_for(True, date(2026, 1, 1), date(2026, 12, 31))
    line = Line("vocational_training", money("2000.00"), months=3, training_id=COURSE_ID)
    with pytest.raises(InvalidValue) as refused:
        check_what_lines_pay_for(*Q1, [line], year_long)
    assert_invalid(refused, "lines")
    longer = Line("vocational_training", money("2000.00"), months=12, training_id=COURSE_ID)
    check_what_lines_pay_for(*Q1, [longer], year_long)  # and GRANT-COURSE-3M refuses it


def test_the_whole_course_is_capped_once_whenever_its_grants_are() -> None:
    """Regression: one course was paid 2,000 in January and 2,000 again in March."""
    january = CountedGrant(
        uuid4(),
        date(2026, 1, 1),
        date(2026, 1, 31),
        {"vocational_training": money("2000.00")},
        {COURSE_ID: money("2000.00")},
    )
    again = Line("vocational_training", money("1.00"), months=3, training_id=COURSE_ID)
    with pytest.raises(RuleViolation) as refused:
        check_person_ceilings(BLUE, date(2026, 3, 1), date(2026, 3, 31), [again], [january], RB)
    assert refused.value.facts["committed"] == money("2000.00")
    another = Line("vocational_training", money("2000.00"), months=3, training_id=uuid4())
    check_person_ceilings(BLUE, date(2026, 1, 1), date(2026, 1, 31), [another], [january], RB)


def test_a_grant_submitted_pays_something() -> None:
    check_pays_something(money("0.01"))
    with pytest.raises(InvalidValue) as refused:
        check_pays_something(money("0.00"))
    assert_invalid(refused, "lines")


def test_a_grant_is_made_for_the_year_ahead() -> None:
    today = date(2026, 12, 3)
    check_period_ahead(date(2027, 12, 3), today)
    with pytest.raises(InvalidValue) as refused:
        check_period_ahead(date(2027, 12, 4), today)
    assert_invalid(refused, "period_end")
