"""Reintegration (MAN chapter III): vocational training chosen by the person (MAN-TRAINING).
Pure: facts in, refusals out."""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from app.domain.errors import RuleViolation


class TrainingStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DROPPED = "dropped"


_T = TrainingStatus
TRAINING_STEPS: Mapping[tuple[TrainingStatus, str], TrainingStatus] = {
    (_T.PLANNED, "start"): _T.IN_PROGRESS,
    (_T.IN_PROGRESS, "complete"): _T.COMPLETED,
    (_T.PLANNED, "drop"): _T.DROPPED,
    (_T.IN_PROGRESS, "drop"): _T.DROPPED,
}
OPEN_TRAINING_STATES = frozenset({_T.PLANNED, _T.IN_PROGRESS})


@dataclass(frozen=True)
class TrainingBasis:
    """What a training rests on, as the records show it."""

    chosen_by_person: bool
    on_completed_reintegration_assessment: bool  # the person's own, completed
    person_has_reintegration_plan: bool  # an active one
    names_that_plan: bool  # the training's care_plan_id is that plan


def check_training(basis: TrainingBasis) -> None:
    """MAN-TRAINING: vocational training is voluntary and case by case — chosen by the person,
    based on a completed reintegration assessment, and meeting a need of the person's
    reintegration plan where there is one."""
    if not basis.chosen_by_person:
        raise RuleViolation("MAN-TRAINING", "A training is the person's own choice (recorded).")
    if not basis.on_completed_reintegration_assessment:
        raise RuleViolation(
            "MAN-TRAINING", "A training rests on the person's completed reintegration assessment."
        )
    if basis.person_has_reintegration_plan and not basis.names_that_plan:
        raise RuleViolation(
            "MAN-TRAINING", "A training meets a need of the person's reintegration plan: name it."
        )
