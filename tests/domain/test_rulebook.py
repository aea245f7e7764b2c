"""DEFAULT_RULEBOOK holds the values of RULES.md, and nobody can change it in place."""

from collections.abc import Callable, Mapping
from dataclasses import FrozenInstanceError
from decimal import Decimal
from typing import Any

import pytest

from app.domain.rulebook import (
    DEFAULT_RULEBOOK,
    CeilingBasis,
    GrantForm,
    GrantLineRule,
    ServiceTerm,
    ShelterKind,
)

RB = DEFAULT_RULEBOOK
B = CeilingBasis


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("reflection_days", 30),  # SOP-REFLECTION
        ("individual_assessment_days", 20),  # SOP-INDIVIDUAL-20D
        ("vot_max_months", 12),  # SOP-VOT-MAX-1Y
        ("follow_up_days", 30),  # SOP-FOLLOW-UP
        ("insurance_abroad_days", 183),  # SOP-INSURANCE
        ("insurance_regain_months", 6),
        ("insurance_lump_sum_contributions", 12),
        ("rehab_plan_min_months", 1),  # MAN-REHAB-PLAN
        ("rehab_plan_max_months", 6),
        ("plan_review_days", 7),  # MAN-STAFF-MEETING
        ("children_min_age", 3),  # MAN-ELIGIBILITY
        ("children_max_age", 18),
        ("medical_exam_days", 3),  # MAN-MEDICAL-EXAM
        ("monitoring_months", 6),  # MAN-MONITORING-6M
        ("retention_months", 6),  # MAN-RETENTION-6M
        ("course_max_months", 3),  # GRANT-COURSE-3M
        ("agreement_ending_notice_days", 14),  # API.md worklist: agreements ending in 14 days
    ],
)
def test_scalar_values(name: str, value: int) -> None:
    assert getattr(RB, name) == value


def test_pocket_money_is_at_least_50_soms_a_day_as_decimal() -> None:
    assert RB.pocket_money_min_per_day == Decimal("50")
    assert isinstance(RB.pocket_money_min_per_day, Decimal)


def test_term_classes() -> None:
    assert dict(RB.term_months) == {
        ServiceTerm.SHORT: 6,
        ServiceTerm.MEDIUM: 12,
        ServiceTerm.LONG: 36,
    }


def test_shelter_capacities() -> None:
    assert dict(RB.shelter_capacity) == {ShelterKind.ADULT: 10, ShelterKind.CHILDREN: 16}


PINK, BLUE = GrantForm.PINK, GrantForm.BLUE
GRANT_LINES: list[tuple[GrantForm, str, CeilingBasis, str | None]] = [
    (PINK, "medical_examination", B.NONE, None),
    (PINK, "clothes_summer", B.FIXED, "2000"),
    (PINK, "clothes_winter", B.FIXED, "2500"),
    (PINK, "underwear", B.FIXED, "500"),
    (PINK, "food_hygiene", B.PER_DAY, "200"),
    (PINK, "travel", B.NONE, None),
    (PINK, "lawyer", B.NONE, None),
    (BLUE, "vocational_training", B.WHOLE_COURSE, "2000"),
    (BLUE, "equipment", B.FIXED, "3000"),
    (BLUE, "other", B.NONE, None),
    (BLUE, "id_documents", B.NONE, None),
    (BLUE, "lawyer", B.NONE, None),
    (BLUE, "scholarship", B.PER_MONTH, "1000"),
    (BLUE, "travel", B.PER_MONTH, "1000"),
    (BLUE, "apartment_rental", B.PER_MONTH, "1500"),
    (BLUE, "ngo_communication", B.WHOLE_PERIOD, "800"),
    (BLUE, "ngo_travel", B.WHOLE_PERIOD, "800"),
    (BLUE, "ngo_social_worker", B.FIXED, "1000"),
]


@pytest.mark.parametrize("form", list(GrantForm))
def test_each_form_has_exactly_the_lines_of_its_annex(form: GrantForm) -> None:
    assert set(RB.grant_lines) == set(GrantForm)
    assert set(RB.grant_lines[form]) == {line for f, line, _, _ in GRANT_LINES if f is form}


@pytest.mark.parametrize(
    ("form", "line", "basis", "ceiling"),
    [pytest.param(*row, id=f"{row[0]}-{row[1]}") for row in GRANT_LINES],
)
def test_grant_line_ceiling_and_basis(
    form: GrantForm, line: str, basis: CeilingBasis, ceiling: str | None
) -> None:
    rule = RB.grant_lines[form][line]
    assert rule.basis is basis
    if ceiling is None:
        assert rule.rate is None
    else:
        assert isinstance(rule.rate, Decimal)
        assert rule.rate == Decimal(ceiling)


@pytest.mark.parametrize(
    ("form", "line", "justification_required", "purpose"),
    [
        pytest.param(PINK, "lawyer", False, "criminal_proceedings", id="pink-lawyer-criminal"),
        pytest.param(BLUE, "lawyer", False, "civil_rights", id="blue-lawyer-civil-rights"),
        pytest.param(BLUE, "other", True, None, id="blue-other-needs-justification"),
        pytest.param(BLUE, "apartment_rental", True, None, id="blue-rental-needs-justification"),
    ],
)
def test_grant_line_conditions(
    form: GrantForm, line: str, justification_required: bool, purpose: str | None
) -> None:
    rule = RB.grant_lines[form][line]
    assert (rule.justification_required, rule.purpose) == (justification_required, purpose)


def test_no_other_line_needs_a_justification_or_names_a_purpose() -> None:
    special = {(PINK, "lawyer"), (BLUE, "lawyer"), (BLUE, "other"), (BLUE, "apartment_rental")}
    for form, lines in RB.grant_lines.items():
        for line, rule in lines.items():
            if (form, line) not in special:
                assert (rule.justification_required, rule.purpose) == (False, None), line


@pytest.mark.parametrize("name", ["version", "reflection_days", "term_months", "grant_lines"])
def test_the_rulebook_is_frozen(name: str) -> None:
    with pytest.raises(FrozenInstanceError):
        setattr(RB, name, 99)
    assert getattr(RB, name) != 99


def test_a_grant_line_rule_is_frozen() -> None:
    with pytest.raises(FrozenInstanceError):
        RB.grant_lines[PINK]["underwear"].rate = Decimal("5000")  # type: ignore[misc]
    assert RB.grant_lines[PINK]["underwear"].rate == Decimal("500")


MAPPINGS: list[tuple[str, Callable[[], Mapping[Any, Any]], Any]] = [
    ("term_months", lambda: RB.term_months, ServiceTerm.SHORT),
    ("shelter_capacity", lambda: RB.shelter_capacity, ShelterKind.ADULT),
    ("grant_lines", lambda: RB.grant_lines, PINK),
    ("pink_lines", lambda: RB.grant_lines[PINK], "underwear"),
    ("blue_lines", lambda: RB.grant_lines[BLUE], "equipment"),
]


@pytest.mark.parametrize(
    ("mapping", "key"), [pytest.param(get, key, id=name) for name, get, key in MAPPINGS]
)
def test_rulebook_mappings_reject_changes(
    mapping: Callable[[], Mapping[Any, Any]], key: Any
) -> None:
    before = dict(mapping())
    with pytest.raises(TypeError):
        mapping()[key] = GrantLineRule(B.NONE)  # type: ignore[index]
    with pytest.raises(TypeError):
        mapping()["new_key"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        del mapping()[key]  # type: ignore[attr-defined]
    assert dict(mapping()) == before
