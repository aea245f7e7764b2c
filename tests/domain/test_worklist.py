"""The worklist: what is due, when it is overdue (strictly after the due date), the rule of each
kind, and when an ending agreement joins it."""

from datetime import date, timedelta
from uuid import uuid4

import pytest

from app.domain.pathway import follow_up_due
from app.domain.rulebook import DEFAULT_RULEBOOK
from app.domain.worklist import (
    RULE_OF,
    WorkItem,
    WorkKind,
    agreement_ending_horizon,
    work_item,
)

RB = DEFAULT_RULEBOOK
VICTIM, RECORD = uuid4(), uuid4()
CONTACT = date(2026, 3, 10)
DUE = date(2026, 3, 30)  # contact + 20 days
ENDS = date(2026, 7, 14)


def test_every_kind_has_its_rule() -> None:
    assert set(RULE_OF) == set(WorkKind)


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        pytest.param(CONTACT, False, id="day-of-contact"),
        pytest.param(DUE - timedelta(days=1), False, id="day-before-due"),
        pytest.param(DUE, False, id="due-today"),
        pytest.param(DUE + timedelta(days=1), True, id="due-yesterday"),
        pytest.param(DUE + timedelta(days=40), True, id="long-overdue"),
    ],
)
def test_individual_assessment_item(today: date, overdue: bool) -> None:
    item = work_item(WorkKind.INDIVIDUAL_NEEDS_ASSESSMENT, RECORD, VICTIM, DUE, today)
    assert item == WorkItem(
        WorkKind.INDIVIDUAL_NEEDS_ASSESSMENT, DUE, overdue, "SOP-INDIVIDUAL-20D", VICTIM, RECORD
    )


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        pytest.param(ENDS - timedelta(days=14), False, id="exactly-14-days-before"),
        pytest.param(ENDS - timedelta(days=1), False, id="ends-tomorrow"),
        pytest.param(ENDS, False, id="ends-today"),
        pytest.param(ENDS + timedelta(days=1), True, id="ran-out-yesterday"),
    ],
)
def test_agreement_ending_item_within_the_notice(today: date, overdue: bool) -> None:
    assert agreement_ending_horizon(today, RB) >= ENDS
    item = work_item(WorkKind.AGREEMENT_ENDING, RECORD, VICTIM, ENDS, today)
    assert item == WorkItem(WorkKind.AGREEMENT_ENDING, ENDS, overdue, "SOP-TERM", VICTIM, RECORD)


@pytest.mark.parametrize("days_before", [15, 16, 180])
def test_no_agreement_ending_item_before_the_notice(days_before: int) -> None:
    assert agreement_ending_horizon(ENDS - timedelta(days=days_before), RB) < ENDS


@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        pytest.param(date(2026, 4, 1), False, id="due-today"),
        pytest.param(date(2026, 3, 15), False, id="not-yet-due"),
        pytest.param(date(2026, 4, 2), True, id="due-yesterday"),
    ],
)
def test_follow_up_item(today: date, overdue: bool) -> None:
    due = follow_up_due(date(2026, 3, 2), RB)
    item = work_item(WorkKind.FOLLOW_UP_CONTACT, RECORD, VICTIM, due, today)
    assert item == WorkItem(
        WorkKind.FOLLOW_UP_CONTACT, date(2026, 4, 1), overdue, "SOP-FOLLOW-UP", VICTIM, RECORD
    )
