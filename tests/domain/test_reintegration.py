"""MAN-TRAINING and MAN-IDENTITY, both sides: a training is the person's choice, on their
completed reintegration assessment, within their reintegration plan where there is one; an
identity document is tracked needed → applied for → obtained, never back."""

from datetime import date

import pytest

from app.domain.errors import InvalidTransition, InvalidValue, RuleViolation
from app.domain.reintegration import (
    TRAINING_STEPS,
    IdentityDocumentStatus,
    TrainingBasis,
    TrainingStatus,
    check_document_step,
    check_training,
)
from app.domain.states import advance


@pytest.mark.parametrize(
    ("basis", "allowed"),
    [
        (TrainingBasis(True, True, False, False), True),  # no plan yet: the assessment is enough
        (TrainingBasis(True, True, True, True), True),  # within the plan
        (TrainingBasis(False, True, False, False), False),  # not the person's choice
        (TrainingBasis(True, False, False, False), False),  # no completed assessment
        (TrainingBasis(True, True, True, False), False),  # a plan exists and is not named
    ],
)
def test_a_training(basis: TrainingBasis, allowed: bool) -> None:
    if allowed:
        check_training(basis)
        return
    with pytest.raises(RuleViolation) as refused:
        check_training(basis)
    assert refused.value.rule == "MAN-TRAINING"


def test_a_training_is_started_then_completed_or_dropped() -> None:
    planned, going = TrainingStatus.PLANNED, TrainingStatus.IN_PROGRESS
    assert advance(TRAINING_STEPS, "training", planned, "start") is going
    assert advance(TRAINING_STEPS, "training", going, "complete") is TrainingStatus.COMPLETED
    assert advance(TRAINING_STEPS, "training", planned, "drop") is TrainingStatus.DROPPED
    with pytest.raises(InvalidTransition):
        advance(TRAINING_STEPS, "training", planned, "complete")
    with pytest.raises(InvalidTransition):
        advance(TRAINING_STEPS, "training", TrainingStatus.COMPLETED, "drop")


# --- identity documents (MAN-IDENTITY) -----------------------------------------------------------

NEEDED, APPLIED, OBTAINED = (
    IdentityDocumentStatus.NEEDED,
    IdentityDocumentStatus.APPLIED,
    IdentityDocumentStatus.OBTAINED,
)
DAY = date(2026, 3, 1)


@pytest.mark.parametrize(
    ("current", "new", "obtained_on"),
    [
        (None, NEEDED, None),
        (None, OBTAINED, DAY),  # restored already when first recorded
        (NEEDED, APPLIED, None),
        (NEEDED, OBTAINED, DAY),
        (APPLIED, OBTAINED, DAY),
        (APPLIED, APPLIED, None),
    ],
)
def test_a_document_moves_on(
    current: IdentityDocumentStatus | None, new: IdentityDocumentStatus, obtained_on: date | None
) -> None:
    check_document_step(current, new, obtained_on)


@pytest.mark.parametrize(("current", "new"), [(APPLIED, NEEDED), (OBTAINED, APPLIED)])
def test_a_document_never_goes_back(
    current: IdentityDocumentStatus, new: IdentityDocumentStatus
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        check_document_step(current, new, None)
    assert refused.value.rule == "MAN-IDENTITY"


@pytest.mark.parametrize(("new", "obtained_on"), [(OBTAINED, None), (APPLIED, DAY)])
def test_only_an_obtained_document_names_its_day(
    new: IdentityDocumentStatus, obtained_on: date | None
) -> None:
    with pytest.raises(InvalidValue):
        check_document_step(NEEDED, new, obtained_on)
