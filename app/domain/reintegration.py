"""Reintegration (MAN chapter III): vocational training chosen by the person (MAN-TRAINING),
identity documents restored (MAN-IDENTITY), micro-enterprises in four steps
(MAN-MICRO-ENTERPRISE), the way home (MAN-RETURN). Pure: facts in, refusals out."""

from collections.abc import Mapping, Sequence
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
    names_a_plan: bool = False  # the training names a care plan at all


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
    if (basis.person_has_reintegration_plan or basis.names_a_plan) and not basis.names_that_plan:
        raise RuleViolation(
            "MAN-TRAINING",
            "A training meets a need of the person's active reintegration plan: name it.",
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
    applied_on: date | None = None,
) -> None:
    """MAN-IDENTITY: each document is tracked needed → applied for → obtained, never back, and
    obtained once; an obtained one names the day, on or after the application (``current`` is
    None for a new record)."""
    obtained = IdentityDocumentStatus.OBTAINED
    if current is not None and (
        _DOCUMENT_ORDER.index(new) < _DOCUMENT_ORDER.index(current) or current is new is obtained
    ):
        raise DocumentStepRefused("identity document", current.value, f"go to '{new}'")
    if (new is obtained) != (obtained_on is not None):
        raise InvalidValue("obtained_on", "An obtained document, and only one, names the day.")
    if new is IdentityDocumentStatus.NEEDED and applied_on is not None:
        raise InvalidValue("applied_on", "A document still needed is not applied for yet.")
    if applied_on is not None and obtained_on is not None and obtained_on < applied_on:
        raise InvalidValue("obtained_on", "A document is obtained on or after it was applied for.")


# --- micro-enterprises (MAN-MICRO-ENTERPRISE) ---------------------------------------------------


class CandidacyDecision(StrEnum):
    """The expert group's decision on a candidate for a micro-enterprise (MAN III 3.0.3)."""

    APPROVED = "approved"
    DECLINED = "declined"


class EnterpriseStep(StrEnum):
    """The standard four-step model (MAN III 3.0.4), in its order."""

    BUSINESS_PLAN_TRAINING = "business_plan_training"
    MANAGEMENT_TRAINING = "management_training"
    IN_KIND_GRANT = "in_kind_grant"
    EVALUATION = "evaluation"


ENTERPRISE_STEPS: tuple[EnterpriseStep, ...] = tuple(EnterpriseStep)
_TRAININGS = ENTERPRISE_STEPS[:2]


class EnterpriseStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    EVALUATED = "evaluated"  # the four steps are done


def check_candidacy(on_completed_candidacy: bool, decision: CandidacyDecision | None) -> None:
    """MAN-MICRO-ENTERPRISE: a micro-enterprise follows the expert group's completed
    ``business_candidacy`` assessment of the person, with an approved decision."""
    if not on_completed_candidacy:
        raise RuleViolation(
            "MAN-MICRO-ENTERPRISE",
            "A micro-enterprise rests on the person's completed business candidacy assessment.",
        )
    if decision is not CandidacyDecision.APPROVED:
        raise RuleViolation(
            "MAN-MICRO-ENTERPRISE", "The expert group did not approve the person's candidacy."
        )


def next_enterprise_step(done: Sequence[EnterpriseStep]) -> EnterpriseStep | None:
    """The step that comes next, after the ones ``done`` (in order); None once all four are."""
    return ENTERPRISE_STEPS[len(done)] if len(done) < len(ENTERPRISE_STEPS) else None


def trainings_done(done: Sequence[EnterpriseStep]) -> bool:
    """Both trainings are done: the in-kind grant (the blue ``equipment`` line) may follow."""
    return all(step in done for step in _TRAININGS)


def check_enterprise_step(
    done: Sequence[tuple[EnterpriseStep, date]],
    step: EnterpriseStep,
    done_on: date,
    grant_approved: bool,
) -> None:
    """MAN-MICRO-ENTERPRISE: the four steps are recorded in order, each on or after the day of
    the one before; the in-kind grant step follows an approved grant whose ``equipment`` line
    names the micro-enterprise."""
    expected = next_enterprise_step([s for s, _ in done])
    if expected is None:
        raise RuleViolation("MAN-MICRO-ENTERPRISE", "All four steps are recorded already.")
    if step is not expected:
        raise RuleViolation(
            "MAN-MICRO-ENTERPRISE", f"The steps follow in order: the next one is '{expected}'."
        )
    if done and done_on < done[-1][1]:
        raise InvalidValue("done_on", "A step is done on or after the day of the one before.")
    if step is EnterpriseStep.IN_KIND_GRANT and not grant_approved:
        raise RuleViolation(
            "MAN-MICRO-ENTERPRISE",
            "The in-kind grant step follows an approved grant whose equipment line names this "
            "micro-enterprise.",
        )


# --- the way home (MAN-RETURN) ------------------------------------------------------------------


class ReturnKind(StrEnum):
    RETURN_HOME = "return_home"
    FAMILY_REUNIFICATION = "family_reunification"


class TravelDocuments(StrEnum):
    NOT_NEEDED = "not_needed"
    NEEDED = "needed"
    OBTAINED = "obtained"


class ReturnStatus(StrEnum):
    PLANNED = "planned"
    TRAVELLING = "travelling"
    ARRIVED = "arrived"
    CANCELLED = "cancelled"


_R = ReturnStatus
RETURN_STEPS: Mapping[tuple[ReturnStatus, str], ReturnStatus] = {
    (_R.PLANNED, "depart"): _R.TRAVELLING,
    (_R.TRAVELLING, "arrive"): _R.ARRIVED,
    (_R.PLANNED, "cancel"): _R.CANCELLED,
    (_R.PLANNED, "change its plan"): _R.PLANNED,  # documents, day, escort: until the person leaves
}
OPEN_RETURN_STATES = frozenset({_R.PLANNED, _R.TRAVELLING})


def check_return_decided(decided_by_person: bool) -> None:
    """MAN-RETURN: a return home or a reunification is planned with the person's decision."""
    if not decided_by_person:
        raise RuleViolation("MAN-RETURN", "A return is the person's own decision (recorded).")


def check_departure(travel_documents: TravelDocuments) -> None:
    """MAN-RETURN: the person travels with the documents the journey needs."""
    if travel_documents is TravelDocuments.NEEDED:
        raise RuleViolation(
            "MAN-RETURN", "The travel documents are needed and not obtained yet: record them first."
        )
