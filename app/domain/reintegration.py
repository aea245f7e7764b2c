"""Reintegration (MAN chapter III): vocational training chosen by the person (MAN-TRAINING),
identity documents restored (MAN-IDENTITY). Pure: facts in, refusals out."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from app.domain.errors import InvalidTransition, InvalidValue, RuleViolation


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


# --- identity documents (MAN-IDENTITY) ----------------------------------------------------------


class IdentityDocumentKind(StrEnum):
    BIRTH_CERTIFICATE = "birth_certificate"
    INTERNAL_ID = "internal_id"
    SCHOOL_CERTIFICATE = "school_certificate"
    DIPLOMA = "diploma"
    PASSPORT = "passport"
    OTHER = "other"


class IdentityDocumentStatus(StrEnum):
    NEEDED = "needed"
    APPLIED = "applied"
    OBTAINED = "obtained"


_DOCUMENT_ORDER = list(IdentityDocumentStatus)


class DocumentStepRefused(InvalidTransition):
    """MAN-IDENTITY: a document's tracking only moves on (409, with the rule)."""

    rule = "MAN-IDENTITY"


def check_document_step(
    current: IdentityDocumentStatus | None,
    new: IdentityDocumentStatus,
    obtained_on: date | None,
) -> None:
    """MAN-IDENTITY: each document is tracked needed → applied for → obtained, never back; an
    obtained one names the day (``current`` is None for a new record)."""
    if current is not None and _DOCUMENT_ORDER.index(new) < _DOCUMENT_ORDER.index(current):
        raise DocumentStepRefused("identity document", current.value, f"go back to '{new}'")
    if (new is IdentityDocumentStatus.OBTAINED) != (obtained_on is not None):
        raise InvalidValue("obtained_on", "An obtained document, and only one, names the day.")
