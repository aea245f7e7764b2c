"""MAN-TRAINING, MAN-IDENTITY, MAN-MICRO-ENTERPRISE and MAN-RETURN, both sides: a training is
the person's choice, on their completed reintegration assessment, within their reintegration plan
where there is one; an identity document is tracked needed → applied for → obtained, never back;
a micro-enterprise rests on an approved candidacy and takes its four steps in order; a return is
the person's decision and travels with its documents."""

from datetime import date

import pytest

from app.domain.errors import InvalidTransition, InvalidValue, RuleViolation
from app.domain.reintegration import (
    ENTERPRISE_STEPS,
    RETURN_STEPS,
    TRAINING_STEPS,
    CandidacyDecision,
    EnterpriseStep,
    IdentityDocumentStatus,
    ReturnStatus,
    TrainingBasis,
    TrainingStatus,
    TravelDocuments,
    check_candidacy,
    check_departure,
    check_document_step,
    check_enterprise_step,
    check_return_decided,
    check_training,
    next_enterprise_step,
    trainings_done,
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
        (TrainingBasis(True, True, False, False, True), False),  # names a plan not the person's
        (TrainingBasis(True, True, True, True, True), True),
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


@pytest.mark.parametrize(
    ("current", "new", "obtained_on"),
    [(APPLIED, NEEDED, None), (OBTAINED, APPLIED, None), (OBTAINED, OBTAINED, DAY)],
)
def test_a_document_never_goes_back_nor_is_obtained_twice(
    current: IdentityDocumentStatus, new: IdentityDocumentStatus, obtained_on: date | None
) -> None:
    with pytest.raises(InvalidTransition) as refused:
        check_document_step(current, new, obtained_on)
    assert refused.value.rule == "MAN-IDENTITY"


def test_a_document_is_obtained_on_or_after_its_application() -> None:
    check_document_step(APPLIED, OBTAINED, DAY, DAY)
    with pytest.raises(InvalidValue):
        check_document_step(APPLIED, OBTAINED, DAY, date(DAY.year + 1, 1, 1))
    with pytest.raises(InvalidValue):
        check_document_step(None, NEEDED, None, DAY)  # not applied for yet


@pytest.mark.parametrize(("new", "obtained_on"), [(OBTAINED, None), (APPLIED, DAY)])
def test_only_an_obtained_document_names_its_day(
    new: IdentityDocumentStatus, obtained_on: date | None
) -> None:
    with pytest.raises(InvalidValue):
        check_document_step(NEEDED, new, obtained_on)


# --- micro-enterprises (MAN-MICRO-ENTERPRISE) -------------------------------------------------

E = EnterpriseStep


@pytest.mark.parametrize(
    ("completed", "decision", "allowed"),
    [
        (True, CandidacyDecision.APPROVED, True),
        (True, CandidacyDecision.DECLINED, False),
        (True, None, False),
        (False, CandidacyDecision.APPROVED, False),
    ],
)
def test_a_micro_enterprise_rests_on_an_approved_candidacy(
    completed: bool, decision: CandidacyDecision | None, allowed: bool
) -> None:
    if allowed:
        check_candidacy(completed, decision)
        return
    with pytest.raises(RuleViolation) as refused:
        check_candidacy(completed, decision)
    assert refused.value.rule == "MAN-MICRO-ENTERPRISE"


def _done(*steps: EnterpriseStep) -> list[tuple[EnterpriseStep, date]]:
    return [(s, date(2026, 1, 10 + i)) for i, s in enumerate(steps)]


def test_the_four_steps_follow_in_order() -> None:
    done: list[tuple[EnterpriseStep, date]] = []
    for index, step in enumerate(ENTERPRISE_STEPS):
        assert next_enterprise_step([s for s, _ in done]) is step
        check_enterprise_step(done, step, date(2026, 2, 1 + index), grant_approved=True)
        done.append((step, date(2026, 2, 1 + index)))
    assert next_enterprise_step([s for s, _ in done]) is None


@pytest.mark.parametrize(
    ("done", "step", "granted"),
    [
        (_done(), E.MANAGEMENT_TRAINING, True),  # skips the business plan
        (_done(E.BUSINESS_PLAN_TRAINING), E.BUSINESS_PLAN_TRAINING, True),  # twice
        (_done(E.BUSINESS_PLAN_TRAINING), E.IN_KIND_GRANT, True),  # one training of two
        (_done(E.BUSINESS_PLAN_TRAINING, E.MANAGEMENT_TRAINING), E.IN_KIND_GRANT, False),
        (_done(*ENTERPRISE_STEPS), E.EVALUATION, True),  # all four are done
    ],
    ids=["skipped", "twice", "grant-early", "no-approved-grant", "after-the-last"],
)
def test_a_step_out_of_order_is_refused(
    done: list[tuple[EnterpriseStep, date]], step: EnterpriseStep, granted: bool
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_enterprise_step(done, step, date(2026, 3, 1), granted)
    assert refused.value.rule == "MAN-MICRO-ENTERPRISE"


def test_a_step_is_done_on_or_after_the_one_before() -> None:
    done = _done(E.BUSINESS_PLAN_TRAINING)
    check_enterprise_step(done, E.MANAGEMENT_TRAINING, done[-1][1], False)
    with pytest.raises(InvalidValue):
        check_enterprise_step(done, E.MANAGEMENT_TRAINING, date(2026, 1, 9), False)


def test_the_equipment_follows_both_trainings() -> None:
    assert not trainings_done([E.BUSINESS_PLAN_TRAINING])
    assert trainings_done([E.BUSINESS_PLAN_TRAINING, E.MANAGEMENT_TRAINING])


# --- returns (MAN-RETURN) ---------------------------------------------------------------------


def test_a_return_is_the_persons_decision() -> None:
    check_return_decided(True)
    with pytest.raises(RuleViolation) as refused:
        check_return_decided(False)
    assert refused.value.rule == "MAN-RETURN"


@pytest.mark.parametrize("documents", [TravelDocuments.NOT_NEEDED, TravelDocuments.OBTAINED])
def test_the_person_travels_with_the_documents_needed(documents: TravelDocuments) -> None:
    check_departure(documents)
    with pytest.raises(RuleViolation) as refused:
        check_departure(TravelDocuments.NEEDED)
    assert refused.value.rule == "MAN-RETURN"


@pytest.mark.parametrize(
    ("status", "action", "expected"),
    [
        (ReturnStatus.PLANNED, "depart", ReturnStatus.TRAVELLING),
        (ReturnStatus.TRAVELLING, "arrive", ReturnStatus.ARRIVED),
        (ReturnStatus.PLANNED, "cancel", ReturnStatus.CANCELLED),
        (ReturnStatus.PLANNED, "arrive", None),
        (ReturnStatus.TRAVELLING, "cancel", None),
        (ReturnStatus.TRAVELLING, "change its plan", None),
        (ReturnStatus.ARRIVED, "depart", None),
    ],
)
def test_a_return_moves_planned_travelling_arrived(
    status: ReturnStatus, action: str, expected: ReturnStatus | None
) -> None:
    if expected is not None:
        assert advance(RETURN_STEPS, "return", status, action) is expected
        return
    with pytest.raises(InvalidTransition):
        advance(RETURN_STEPS, "return", status, action)
