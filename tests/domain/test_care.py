"""The rules of the shelter's care work (MAN Part II) and of closing a case, each broken and
kept: plan bases, the weekly staff meeting, sessions, exit information, closure, event dates."""

from datetime import date, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest

from app.domain.care import (
    PlanPeriod,
    SessionRequest,
    check_exit_information,
    check_family_session,
    check_plan_basis,
    check_session,
    check_session_in_plan,
    plan_review_due,
)
from app.domain.casework import AssessmentKind, AssessmentStatus, CarePlanKind, SessionKind
from app.domain.closure import (
    CASE_STEPS,
    ClosureReason,
    OpenRecord,
    check_closable,
    check_in_work,
    follow_up_after_closure,
)
from app.domain.consent import ConsentFacts, ConsentPurpose
from app.domain.dates import check_event_date
from app.domain.errors import (
    CaseClosed,
    ConsentRequired,
    InvalidTransition,
    InvalidValue,
    OpenWork,
    RuleViolation,
)
from app.domain.pathway import AssessmentFacts
from app.domain.rulebook import DEFAULT_RULEBOOK
from app.domain.states import advance
from app.domain.vocabulary import VictimStatus
from app.domain.worklist import WorkKind, work_item

RB = DEFAULT_RULEBOOK
PERSON, OTHER_PERSON = uuid4(), uuid4()
SHELTER_NGO, OTHER_ORG = uuid4(), uuid4()
K, C, D = AssessmentKind, AssessmentStatus.COMPLETED, AssessmentStatus.DRAFT


def basis(
    kind: AssessmentKind,
    status: AssessmentStatus = C,
    victim: UUID = PERSON,
    organisation: UUID = SHELTER_NGO,
) -> AssessmentFacts:
    return AssessmentFacts(victim, kind, status, organisation_id=organisation)


def refused(call: Any, rule: str, kind: type = RuleViolation) -> RuleViolation:
    with pytest.raises(RuleViolation) as caught:
        call()
    assert (caught.value.rule, type(caught.value)) == (rule, kind)
    return caught.value


# --- SOP-CAREPLAN-BASIS and MAN-REHAB-BASIS ----------------------------------------------------

P = CarePlanKind
BASES = [
    # (plan kind, basis, allowed, rule when refused)
    pytest.param(P.REHABILITATION, basis(K.PSYCHOLOGICAL), True, None, id="rehab-on-interview"),
    pytest.param(
        P.REHABILITATION, basis(K.INDIVIDUAL_NEEDS), False, "MAN-REHAB-BASIS", id="rehab-on-ina"
    ),
    pytest.param(
        P.REHABILITATION,
        basis(K.PSYCHOLOGICAL, D),
        False,
        "MAN-REHAB-BASIS",
        id="rehab-on-draft",
    ),
    pytest.param(
        P.REHABILITATION,
        basis(K.PSYCHOLOGICAL, organisation=OTHER_ORG),
        False,
        "MAN-REHAB-BASIS",
        id="rehab-on-another-organisations-interview",
    ),
    pytest.param(
        P.REHABILITATION,
        basis(K.PSYCHOLOGICAL, victim=OTHER_PERSON),
        False,
        "MAN-REHAB-BASIS",
        id="rehab-on-another-persons-interview",
    ),
    pytest.param(P.REINTEGRATION, basis(K.REINTEGRATION), True, None, id="reintegration-ok"),
    pytest.param(
        P.REINTEGRATION,
        basis(K.PSYCHOLOGICAL),
        False,
        "MAN-REHAB-BASIS",
        id="reintegration-on-interview",
    ),
    pytest.param(
        P.REINTEGRATION,
        basis(K.REINTEGRATION, D),
        False,
        "MAN-REHAB-BASIS",
        id="reintegration-on-draft",
    ),
    pytest.param(P.CARE, basis(K.INDIVIDUAL_NEEDS), True, None, id="care-on-individual-needs"),
    # the SOP's plan may rest on another service's assessment: it came with the referral
    pytest.param(
        P.CARE,
        basis(K.INDIVIDUAL_NEEDS, organisation=OTHER_ORG),
        True,
        None,
        id="care-on-the-services-assessment",
    ),
    pytest.param(
        P.CARE, basis(K.PSYCHOLOGICAL), False, "SOP-CAREPLAN-BASIS", id="care-on-interview"
    ),
    pytest.param(
        P.CARE,
        basis(K.INDIVIDUAL_NEEDS, D),
        False,
        "SOP-CAREPLAN-BASIS",
        id="care-on-draft",
    ),
]


@pytest.mark.parametrize(("kind", "facts", "allowed", "rule"), BASES)
def test_each_kind_of_plan_rests_on_its_own_basis(
    kind: CarePlanKind, facts: AssessmentFacts, allowed: bool, rule: str | None
) -> None:
    if allowed:
        check_plan_basis(kind, facts, PERSON, SHELTER_NGO)
        return
    assert rule is not None
    refused(lambda: check_plan_basis(kind, facts, PERSON, SHELTER_NGO), rule)


# --- MAN-STAFF-MEETING -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("activated", "last_review", "due"),
    [
        pytest.param(date(2026, 3, 2), None, date(2026, 3, 9), id="a-week-after-activation"),
        pytest.param(date(2026, 3, 2), date(2026, 3, 10), date(2026, 3, 17), id="after-a-review"),
        pytest.param(
            date(2026, 3, 2), date(2026, 2, 20), date(2026, 3, 9), id="review-before-activation"
        ),
        pytest.param(date(2026, 12, 28), None, date(2027, 1, 4), id="across-the-year"),
    ],
)
def test_a_plan_review_is_due_a_week_after_activation_or_the_last_review(
    activated: date, last_review: date | None, due: date
) -> None:
    assert plan_review_due(activated, last_review, RB) == due


@pytest.mark.parametrize(
    ("today", "overdue"),
    [(date(2026, 3, 9), False), (date(2026, 3, 10), True)],
    ids=["due-today", "day-after"],
)
def test_the_plan_review_item_names_the_staff_meeting_rule(today: date, overdue: bool) -> None:
    plan = uuid4()
    item = work_item(WorkKind.PLAN_REVIEW, plan, PERSON, date(2026, 3, 9), today)
    assert (item.kind, item.rule, item.record_id, item.overdue) == (
        WorkKind.PLAN_REVIEW,
        "MAN-STAFF-MEETING",
        plan,
        overdue,
    )


# --- MAN-SESSIONS ------------------------------------------------------------------------------

S = SessionKind


@pytest.mark.parametrize(
    ("kind", "participants", "notes", "reads_notes", "allowed"),
    [
        pytest.param(S.INDIVIDUAL, 1, True, True, True, id="individual-with-notes"),
        pytest.param(S.INDIVIDUAL, 1, False, False, True, id="social-worker-without-notes"),
        pytest.param(S.INDIVIDUAL, 2, False, True, False, id="individual-with-two"),
        pytest.param(S.FAMILY, 1, False, True, True, id="family-with-one"),
        pytest.param(S.FAMILY, 2, False, True, False, id="family-with-two"),
        pytest.param(S.GROUP, 2, False, True, True, id="group-of-two"),
        pytest.param(S.GROUP, 1, False, True, False, id="group-of-one"),
        pytest.param(S.GROUP, 3, True, False, False, id="notes-by-who-may-not-read-them"),
    ],
)
def test_sessions(
    kind: SessionKind, participants: int, notes: bool, reads_notes: bool, allowed: bool
) -> None:
    request = SessionRequest(kind, participants, notes, reads_notes)
    if allowed:
        check_session(request)
        return
    refused(lambda: check_session(request), "MAN-SESSIONS")


FAMILY_CONSENT = ConsentFacts(ConsentPurpose.FAMILY_INVOLVEMENT, None, None)


def test_a_family_session_needs_consent_and_a_family_risk_assessment() -> None:
    refused(lambda: check_family_session([], True), "SOP-FAMILY", ConsentRequired)
    refused(lambda: check_family_session([FAMILY_CONSENT], False), "SOP-FAMILY")
    check_family_session([FAMILY_CONSENT], True)


@pytest.mark.parametrize(
    ("held_on", "plan", "allowed"),
    [
        pytest.param(date(2026, 3, 2), PlanPeriod(date(2026, 3, 2), None), True, id="first-day"),
        pytest.param(date(2026, 3, 1), PlanPeriod(date(2026, 3, 2), None), False, id="day-before"),
        pytest.param(date(2026, 3, 2), PlanPeriod(None, None), False, id="draft-plan"),
        pytest.param(
            date(2026, 4, 30),
            PlanPeriod(date(2026, 3, 2), date(2026, 4, 30)),
            True,
            id="last-day",
        ),
        pytest.param(
            date(2026, 5, 1),
            PlanPeriod(date(2026, 3, 2), date(2026, 4, 30)),
            False,
            id="after-the-end",
        ),
    ],
)
def test_a_session_of_a_plan_is_held_while_it_runs(
    held_on: date, plan: PlanPeriod, allowed: bool
) -> None:
    if allowed:
        check_session_in_plan(held_on, plan)
        return
    refused(lambda: check_session_in_plan(held_on, plan), "MAN-SESSIONS")


# --- MAN-EXIT ----------------------------------------------------------------------------------


@pytest.mark.parametrize("information", [None, "", "  \n "], ids=["none", "empty", "blank"])
def test_an_exit_records_the_information_given(information: str | None) -> None:
    refused(lambda: check_exit_information(information), "MAN-EXIT")


def test_leaflets_and_contacts_are_exit_information() -> None:
    check_exit_information("Leaflet with the hotline; the partner NGO's address.")


# --- MAN-CASE-CLOSE ----------------------------------------------------------------------------


def test_a_case_with_open_records_is_not_closed_and_the_refusal_lists_them() -> None:
    stay, plan = uuid4(), uuid4()
    with pytest.raises(OpenWork) as caught:
        check_closable(
            [OpenRecord("shelter_stay", stay, "admitted"), OpenRecord("care_plan", plan, "draft")]
        )
    assert caught.value.rule == "MAN-CASE-CLOSE"
    assert caught.value.open_records == [
        {"type": "shelter_stay", "id": str(stay), "status": "admitted"},
        {"type": "care_plan", "id": str(plan), "status": "draft"},
    ]
    check_closable([])


def test_a_case_closes_and_reopens_and_nothing_else() -> None:
    V = VictimStatus
    assert advance(CASE_STEPS, "case", V.ACTIVE, "close") is V.CLOSED
    assert advance(CASE_STEPS, "case", V.CLOSED, "reopen") is V.ACTIVE
    for state, action in [(V.CLOSED, "close"), (V.ACTIVE, "reopen"), (V.ERASED, "reopen")]:
        with pytest.raises(InvalidTransition):
            advance(CASE_STEPS, "case", state, action)


def test_a_closed_case_is_read_only() -> None:
    with pytest.raises(CaseClosed) as caught:
        check_in_work(VictimStatus.CLOSED, "update")
    assert (caught.value.rule, caught.value.state) == ("MAN-CASE-CLOSE", "closed")
    check_in_work(VictimStatus.ACTIVE, "update")


@pytest.mark.parametrize("reason", list(ClosureReason), ids=str)
def test_closure_arranges_a_follow_up_unless_the_person_died(reason: ClosureReason) -> None:
    assert follow_up_after_closure(reason) is (reason is not ClosureReason.DECEASED)


# --- the past, recorded honestly ---------------------------------------------------------------

IDENTIFIED = date(2026, 11, 2)
TODAY = date(2026, 11, 30)


@pytest.mark.parametrize(
    ("day", "identified_on", "allowed"),
    [
        pytest.param(TODAY, IDENTIFIED, True, id="today"),
        pytest.param(TODAY - timedelta(days=2), IDENTIFIED, True, id="entered-two-days-late"),
        pytest.param(IDENTIFIED, IDENTIFIED, True, id="on-the-identification-day"),
        pytest.param(IDENTIFIED - timedelta(days=1), IDENTIFIED, False, id="before-identified"),
        pytest.param(TODAY + timedelta(days=1), IDENTIFIED, False, id="tomorrow"),
        pytest.param(date(2001, 1, 1), None, True, id="identification-unknown"),
    ],
)
def test_an_event_takes_its_own_day_in_the_past(
    day: date, identified_on: date | None, allowed: bool
) -> None:
    if allowed:
        check_event_date("referred_on", day, TODAY, identified_on)
        return
    with pytest.raises(InvalidValue) as caught:
        check_event_date("referred_on", day, TODAY, identified_on)
    assert caught.value.field == "referred_on"
