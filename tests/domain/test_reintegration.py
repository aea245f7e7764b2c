"""MAN-TRAINING, both sides: a training is the person's choice, on their completed reintegration
assessment, within their reintegration plan where there is one."""

import pytest

from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.reintegration import TRAINING_STEPS, TrainingBasis, TrainingStatus, check_training
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
