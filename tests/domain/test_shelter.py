"""The shelter rules of RULES.md (MAN chapter I), each at its boundary on both sides, the stay
state machine and the shelter work items."""

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any
from uuid import UUID, uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain import access
from app.domain.access import Action, Role
from app.domain.errors import InvalidTransition, RuleViolation
from app.domain.rulebook import DEFAULT_RULEBOOK, Rulebook, ShelterKind
from app.domain.shelter import (
    OPEN_STAY_STATES,
    STAY_STEPS,
    AlreadyInShelter,
    OwedReport,
    Resident,
    ShelterFull,
    StayStatus,
    VisitFacts,
    VisitorKind,
    check_admission_documents,
    check_capacity_setting,
    check_eligibility,
    check_erasable,
    check_free_place,
    check_monitoring_due,
    check_one_stay,
    check_pocket_money,
    check_primary_interview,
    check_visit,
    medical_exam_due,
    monitoring_due,
    psychiatric_alert_needed,
)
from app.domain.states import advance
from app.domain.vocabulary import OrganisationKind, Sex
from app.domain.worklist import WorkItem, WorkKind, work_item

RB = DEFAULT_RULEBOOK
ADULT, CHILDREN = ShelterKind.ADULT, ShelterKind.CHILDREN
BORN = date(2008, 5, 10)  # 18th birthday 2026-05-10
RUNNER, OTHER_ORG = uuid4(), uuid4()
STAY, VICTIM = uuid4(), uuid4()
JUSTIFICATION = "Trafficked with her mother; no place in the children's centre."


def assert_refused(refusal: pytest.ExceptionInfo[Any], rule: str, kind: type) -> None:
    """The refusal names the rule, and is exactly the expected exception type."""
    assert refusal.value.rule == rule
    assert type(refusal.value) is kind


def birthday(years: int, born: date = BORN) -> date:
    """The day ``born`` turns ``years`` (BORN is not 29 February)."""
    return born.replace(year=born.year + years)


def resident(sex: Sex = Sex.FEMALE, justification: str | None = None) -> Resident:
    return Resident(sex=sex, birth_date=BORN, exceptional_justification=justification)


# --- MAN-CAPACITY ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "capacity", "allowed", "most"),
    [
        pytest.param(ADULT, 10, True, 10, id="adult-10"),
        pytest.param(ADULT, 11, False, 10, id="adult-11-refused"),
        pytest.param(ADULT, 1, True, 10, id="adult-1"),
        pytest.param(ADULT, 0, False, 10, id="adult-0-refused"),
        pytest.param(ADULT, -1, False, 10, id="adult-negative-refused"),
        pytest.param(CHILDREN, 16, True, 16, id="children-16"),
        pytest.param(CHILDREN, 17, False, 16, id="children-17-refused"),
        pytest.param(CHILDREN, 11, True, 16, id="children-11-above-adult-limit"),
        pytest.param(CHILDREN, 1, True, 16, id="children-1"),
        pytest.param(CHILDREN, 0, False, 16, id="children-0-refused"),
    ],
)
def test_capacity_setting(kind: ShelterKind, capacity: int, allowed: bool, most: int) -> None:
    if allowed:
        check_capacity_setting(kind, capacity, RB)
        return
    with pytest.raises(RuleViolation) as refused:
        check_capacity_setting(kind, capacity, RB)
    assert_refused(refused, "MAN-CAPACITY", RuleViolation)
    assert refused.value.facts == {"capacity": capacity, "max_capacity": most}


@pytest.mark.parametrize(
    ("capacity", "allowed"),
    [
        pytest.param(12, True, id="12-allowed"),
        pytest.param(13, False, id="13-refused"),
    ],
)
def test_capacity_setting_reads_the_rulebook(capacity: int, allowed: bool) -> None:
    rulebook = Rulebook(version="test", shelter_capacity={ADULT: 12, CHILDREN: 16})
    if allowed:
        check_capacity_setting(ADULT, capacity, rulebook)
        return
    with pytest.raises(RuleViolation) as refused:
        check_capacity_setting(ADULT, capacity, rulebook)
    assert_refused(refused, "MAN-CAPACITY", RuleViolation)


@pytest.mark.parametrize(
    ("admitted", "capacity", "allowed"),
    [
        pytest.param(9, 10, True, id="adult-last-place"),
        pytest.param(10, 10, False, id="adult-full"),
        pytest.param(11, 10, False, id="adult-over-full"),
        pytest.param(15, 16, True, id="children-last-place"),
        pytest.param(16, 16, False, id="children-full"),
        pytest.param(0, 1, True, id="one-place-empty"),
        pytest.param(1, 1, False, id="one-place-taken"),
    ],
)
def test_free_place(admitted: int, capacity: int, allowed: bool) -> None:
    if allowed:
        check_free_place(admitted, capacity)
        return
    with pytest.raises(ShelterFull) as refused:
        check_free_place(admitted, capacity)
    assert_refused(refused, "MAN-CAPACITY", ShelterFull)


@given(capacity=st.integers(min_value=1, max_value=16), admitted=st.integers(0, 40))
def test_free_place_refuses_exactly_when_every_place_is_taken(capacity: int, admitted: int) -> None:
    try:
        check_free_place(admitted, capacity)
    except ShelterFull as full:
        assert full.rule == "MAN-CAPACITY"
        assert admitted >= capacity
    else:
        assert admitted < capacity


# --- MAN-ONE-STAY ----------------------------------------------------------------------------


def test_no_open_stay_allows_another() -> None:
    check_one_stay(0)


@pytest.mark.parametrize("open_stays", [1, 2], ids=["one-open", "two-open"])
def test_an_open_stay_refuses_another(open_stays: int) -> None:
    with pytest.raises(AlreadyInShelter) as refused:
        check_one_stay(open_stays)
    assert_refused(refused, "MAN-ONE-STAY", AlreadyInShelter)


# --- MAN-ELIGIBILITY -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "on", "allowed", "facts"),
    [
        pytest.param(resident(), birthday(18), True, None, id="woman-18th-birthday"),
        pytest.param(resident(), birthday(30), True, None, id="woman-30"),
        pytest.param(
            resident(),
            birthday(18) - timedelta(days=1),
            False,
            {"age": 17},
            id="girl-day-before-18-no-justification",
        ),
        pytest.param(
            resident(justification=JUSTIFICATION),
            birthday(18) - timedelta(days=1),
            True,
            None,
            id="girl-day-before-18-justified",
        ),
        pytest.param(
            resident(justification=" \t\n "),
            birthday(18) - timedelta(days=1),
            False,
            {"age": 17},
            id="girl-day-before-18-whitespace-justification",
        ),
        pytest.param(
            resident(justification=""),
            birthday(18) - timedelta(days=1),
            False,
            {"age": 17},
            id="girl-day-before-18-empty-justification",
        ),
        pytest.param(resident(Sex.MALE), birthday(30), False, {}, id="man-30"),
        pytest.param(resident(Sex.MALE), birthday(18), False, {}, id="man-18th-birthday"),
        pytest.param(
            resident(Sex.MALE, JUSTIFICATION), birthday(30), False, {}, id="man-30-justified"
        ),
        pytest.param(resident(Sex.OTHER), birthday(25), False, {}, id="other-adult"),
        pytest.param(resident(Sex.UNKNOWN), birthday(25), False, {}, id="unknown-adult"),
        pytest.param(
            resident(Sex.MALE, JUSTIFICATION), birthday(10), True, None, id="boy-10-justified"
        ),
        pytest.param(resident(Sex.MALE), birthday(10), False, {"age": 10}, id="boy-10-unjustified"),
    ],
)
def test_adult_shelter_eligibility(
    person: Resident, on: date, allowed: bool, facts: dict[str, int] | None
) -> None:
    if allowed:
        check_eligibility(ADULT, person, on, RB)
        return
    with pytest.raises(RuleViolation) as refused:
        check_eligibility(ADULT, person, on, RB)
    assert_refused(refused, "MAN-ELIGIBILITY", RuleViolation)
    assert refused.value.facts == facts


@pytest.mark.parametrize(
    ("on", "age", "allowed"),
    [
        pytest.param(birthday(3) - timedelta(days=1), 2, False, id="day-before-3rd-birthday"),
        pytest.param(birthday(3), 3, True, id="3rd-birthday"),
        pytest.param(birthday(19) - timedelta(days=1), 18, True, id="day-before-19th-birthday"),
        pytest.param(birthday(19), 19, False, id="19th-birthday"),
        pytest.param(birthday(10), 10, True, id="aged-10"),
    ],
)
@pytest.mark.parametrize("sex", [Sex.FEMALE, Sex.MALE], ids=["girl", "boy"])
def test_childrens_centre_eligibility(on: date, age: int, allowed: bool, sex: Sex) -> None:
    child = resident(sex)
    if allowed:
        check_eligibility(CHILDREN, child, on, RB)
        return
    with pytest.raises(RuleViolation) as refused:
        check_eligibility(CHILDREN, child, on, RB)
    assert_refused(refused, "MAN-ELIGIBILITY", RuleViolation)
    assert refused.value.facts == {"age": age, "min_age": 3, "max_age": 18}


def test_childrens_centre_ages_need_no_justification_outside_them() -> None:
    """A justification opens the adult shelter to a minor; it does not stretch the centre's
    ages."""
    with pytest.raises(RuleViolation) as refused:
        check_eligibility(CHILDREN, resident(justification=JUSTIFICATION), birthday(19), RB)
    assert_refused(refused, "MAN-ELIGIBILITY", RuleViolation)


@pytest.mark.parametrize(
    ("on", "allowed"),
    [
        pytest.param(birthday(5) - timedelta(days=1), False, id="day-before-5th-birthday"),
        pytest.param(birthday(5), True, id="5th-birthday"),
        pytest.param(birthday(17) - timedelta(days=1), True, id="day-before-17th-birthday"),
        pytest.param(birthday(17), False, id="17th-birthday"),
    ],
)
def test_childrens_centre_ages_read_the_rulebook(on: date, allowed: bool) -> None:
    rulebook = Rulebook(version="test", children_min_age=5, children_max_age=16)
    if allowed:
        check_eligibility(CHILDREN, resident(), on, rulebook)
        return
    with pytest.raises(RuleViolation) as refused:
        check_eligibility(CHILDREN, resident(), on, rulebook)
    assert_refused(refused, "MAN-ELIGIBILITY", RuleViolation)
    assert (refused.value.facts["min_age"], refused.value.facts["max_age"]) == (5, 16)


# --- MAN-ADMISSION-DOCS ----------------------------------------------------------------------

SIGNED = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("rules_signed_on", "rights_signed_on", "missing"),
    [
        pytest.param(None, None, "rules_signed_on, rights_signed_on", id="both-missing"),
        pytest.param(None, SIGNED, "rules_signed_on", id="rules-missing"),
        pytest.param(SIGNED, None, "rights_signed_on", id="rights-missing"),
    ],
)
def test_admission_without_both_signatures_is_refused(
    rules_signed_on: date | None, rights_signed_on: date | None, missing: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_admission_documents(rules_signed_on is not None, rights_signed_on is not None)
    assert_refused(refused, "MAN-ADMISSION-DOCS", RuleViolation)
    assert refused.value.facts == {"missing": missing}


def test_admission_with_both_signatures_is_allowed() -> None:
    check_admission_documents(rules_signed=True, rights_signed=True)


# --- MAN-POCKET-MONEY ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("per_day", "allowed"),
    [
        pytest.param(Decimal("49.99"), False, id="49.99-refused"),
        pytest.param(Decimal("50.00"), True, id="50.00"),
        pytest.param(Decimal("50"), True, id="50"),
        pytest.param(Decimal("50.01"), True, id="50.01"),
        pytest.param(Decimal("0"), False, id="0-refused"),
        pytest.param(Decimal("-50"), False, id="negative-refused"),
    ],
)
def test_pocket_money(per_day: Decimal, allowed: bool) -> None:
    if allowed:
        check_pocket_money(per_day, RB)
        return
    with pytest.raises(RuleViolation) as refused:
        check_pocket_money(per_day, RB)
    assert_refused(refused, "MAN-POCKET-MONEY", RuleViolation)
    assert refused.value.facts == {"minimum": Decimal("50.00"), "amount": per_day}


def test_pocket_money_reads_the_rulebook() -> None:
    rulebook = Rulebook(version="test", pocket_money_min_per_day=Decimal("60.00"))
    check_pocket_money(Decimal("60"), rulebook)
    with pytest.raises(RuleViolation) as refused:
        check_pocket_money(Decimal("59.99"), rulebook)
    assert_refused(refused, "MAN-POCKET-MONEY", RuleViolation)


# --- MAN-MEDICAL-EXAM, MAN-MONITORING-6M -----------------------------------------------------


@pytest.mark.parametrize(
    ("admitted_on", "due"),
    [
        pytest.param(date(2026, 3, 2), date(2026, 3, 5), id="mid-month"),
        pytest.param(date(2026, 2, 27), date(2026, 3, 2), id="over-february-end"),
        pytest.param(date(2026, 12, 30), date(2027, 1, 2), id="over-year-end"),
    ],
)
def test_medical_exam_is_due_three_days_after_admission(admitted_on: date, due: date) -> None:
    assert medical_exam_due(admitted_on, RB) == due


@pytest.mark.parametrize(
    ("discharged_on", "due"),
    [
        pytest.param(date(2026, 8, 31), date(2027, 2, 28), id="clamped-to-february-end"),
        pytest.param(date(2026, 1, 15), date(2026, 7, 15), id="same-day"),
        pytest.param(date(2025, 8, 31), date(2026, 2, 28), id="clamped-2026"),
        pytest.param(date(2023, 8, 31), date(2024, 2, 29), id="clamped-leap-year"),
        pytest.param(date(2026, 12, 31), date(2027, 6, 30), id="clamped-to-30-days"),
        pytest.param(date(2026, 7, 31), date(2027, 1, 31), id="over-year-end"),
    ],
)
def test_monitoring_is_due_on_the_same_day_six_months_later(discharged_on: date, due: date) -> None:
    assert monitoring_due(discharged_on, RB) == due


# --- MAN-RETENTION-6M ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("last_discharged_on", "today"),
    [
        pytest.param(None, date(2026, 7, 15), id="never-discharged"),
        pytest.param(date(2020, 1, 15), date(2026, 7, 15), id="discharged-long-ago"),
        pytest.param(date(2026, 1, 15), date(2026, 1, 15), id="discharged-today"),
    ],
)
@pytest.mark.parametrize("open_stays", [1, 2], ids=["one-open", "two-open"])
def test_an_open_stay_is_never_erasable(
    open_stays: int, last_discharged_on: date | None, today: date
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_erasable(open_stays, last_discharged_on, [], today, RB)
    assert_refused(refused, "MAN-RETENTION-6M", RuleViolation)


@pytest.mark.parametrize(
    ("last_discharged_on", "today", "kept_until"),
    [
        pytest.param(None, date(2026, 7, 15), None, id="never-discharged"),
        pytest.param(date(2026, 1, 15), date(2026, 7, 14), "2026-07-15", id="day-before-refused"),
        pytest.param(date(2026, 1, 15), date(2026, 7, 15), None, id="six-months-to-the-day"),
        pytest.param(date(2026, 1, 15), date(2026, 1, 15), "2026-07-15", id="discharge-day"),
        pytest.param(date(2026, 8, 31), date(2027, 2, 27), "2027-02-28", id="clamp-day-before"),
        pytest.param(date(2026, 8, 31), date(2027, 2, 28), None, id="clamp-kept-until-day"),
    ],
)
def test_retention_after_discharge(
    last_discharged_on: date | None, today: date, kept_until: str | None
) -> None:
    if kept_until is None:
        check_erasable(0, last_discharged_on, [], today, RB)
        return
    with pytest.raises(RuleViolation) as refused:
        check_erasable(0, last_discharged_on, [], today, RB)
    assert_refused(refused, "MAN-RETENTION-6M", RuleViolation)
    assert refused.value.facts == {"kept_until": kept_until}


@pytest.mark.parametrize(
    "today",
    [date(2026, 7, 15), date(2030, 1, 1)],
    ids=["six-months-to-the-day", "years-later"],
)
def test_an_owed_monitoring_report_keeps_the_file(today: date) -> None:
    """MAN-RETENTION-6M: past six months, the file stays until every report is filed; the
    refusal lists what is owed."""
    owed = [OwedReport(STAY, date(2026, 7, 15))]
    with pytest.raises(RuleViolation) as refused:
        check_erasable(0, date(2026, 1, 15), owed, today, RB)
    assert_refused(refused, "MAN-RETENTION-6M", RuleViolation)
    outstanding = [{"type": "monitoring_report", "stay_id": str(STAY), "due_on": "2026-07-15"}]
    assert refused.value.facts == {"outstanding": outstanding}
    check_erasable(0, date(2026, 1, 15), [], today, RB)  # filed: the file may go


def test_within_six_months_the_refusal_names_both_the_day_and_the_report() -> None:
    owed = [OwedReport(STAY, date(2026, 7, 15))]
    with pytest.raises(RuleViolation) as refused:
        check_erasable(0, date(2026, 1, 15), owed, date(2026, 3, 1), RB)
    assert set(refused.value.facts) == {"kept_until", "outstanding"}


# --- MAN-MONITORING-6M: not before its day ---------------------------------------------------


@pytest.mark.parametrize(
    ("reported_on", "allowed"),
    [
        pytest.param(date(2026, 1, 15), False, id="discharge-day"),
        pytest.param(date(2026, 7, 14), False, id="day-before-due"),
        pytest.param(date(2026, 7, 15), True, id="due-day"),
        pytest.param(date(2026, 9, 1), True, id="late"),
    ],
)
def test_the_monitoring_report_waits_for_its_day(reported_on: date, allowed: bool) -> None:
    due = monitoring_due(date(2026, 1, 15), RB)
    if allowed:
        check_monitoring_due(due, reported_on)
        return
    with pytest.raises(RuleViolation) as refused:
        check_monitoring_due(due, reported_on)
    assert_refused(refused, "MAN-MONITORING-6M", RuleViolation)
    assert refused.value.facts == {"due_on": "2026-07-15"}


# --- MAN-PRIMARY-INTERVIEW -------------------------------------------------------------------


def test_admission_follows_the_primary_interview() -> None:
    check_primary_interview(True)
    with pytest.raises(RuleViolation) as refused:
        check_primary_interview(False)
    assert_refused(refused, "MAN-PRIMARY-INTERVIEW", RuleViolation)


# --- MAN-VISITORS ----------------------------------------------------------------------------


_K, _O = VisitorKind, OrganisationKind


@pytest.mark.parametrize(
    ("kind", "organisation", "justification", "approved", "allowed"),
    [
        pytest.param(_K.OTHER, None, None, False, False, id="no-justification"),
        pytest.param(_K.OTHER, None, "", False, False, id="empty-justification"),
        pytest.param(_K.FAMILY, None, "  ", False, False, id="blank-justification"),
        pytest.param(_K.FAMILY, None, "Her sister, agreed", False, True, id="justified"),
        pytest.param(_K.INTERNATIONAL_ORGANISATION, _O.INTERNATIONAL, None, False, True, id="iom"),
        pytest.param(
            _K.INTERNATIONAL_ORGANISATION, _O.INTERNATIONAL, "  ", False, True, id="iom-blank"
        ),
        pytest.param(_K.SERVICE_PROVIDER, _O.SERVICE_PROVIDER, None, False, True, id="provider"),
        pytest.param(_K.SERVICE_PROVIDER, _O.NGO, None, False, False, id="provider-not-one"),
        pytest.param(_K.SERVICE_PROVIDER, None, "Clinic", False, False, id="provider-unnamed"),
        pytest.param(_K.INTERNATIONAL_ORGANISATION, _O.NGO, None, False, False, id="iom-not-iom"),
        pytest.param(_K.OTHER, _O.INTERNATIONAL, None, False, False, id="iom-org-other-kind"),
        pytest.param(_K.OFFICIAL, _O.STATE_AGENCY, "Inquiry", False, False, id="official"),
        pytest.param(_K.OFFICIAL, _O.STATE_AGENCY, "Inquiry", True, True, id="official-approved"),
        pytest.param(_K.OFFICIAL, None, None, True, False, id="official-approved-unjustified"),
    ],
)
def test_visit(
    kind: VisitorKind,
    organisation: OrganisationKind | None,
    justification: str | None,
    approved: bool,
    allowed: bool,
) -> None:
    """MAN-VISITORS: a justification unless the international organisation or a contracted
    service provider (as the directory has it) visits; an official visit with the coordinator's
    approval."""
    visit = VisitFacts(kind, organisation, justification, approved)
    if allowed:
        check_visit(visit)
        return
    with pytest.raises(RuleViolation) as refused:
        check_visit(visit)
    assert_refused(refused, "MAN-VISITORS", RuleViolation)


# --- MAN-HIV ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_only_the_medical_officer_reads_hiv_status(role: Role) -> None:
    assert access.reads_hiv(role) is (role is Role.MEDICAL_OFFICER)


# --- MAN-CONFIDENTIAL-LOCATION ---------------------------------------------------------------

NOT_STAFF = sorted(set(Role) - access.STAFF_ROLES - {Role.COORDINATOR})


@pytest.mark.parametrize(
    "caller_organisation", [RUNNER, OTHER_ORG, None], ids=["running", "other", "none"]
)
def test_the_coordinator_sees_every_shelter_address(caller_organisation: UUID | None) -> None:
    assert access.shelter_address_visible(Role.COORDINATOR, caller_organisation, RUNNER) is True


@pytest.mark.parametrize(
    ("caller_organisation", "visible"),
    [
        pytest.param(RUNNER, True, id="running-organisation"),
        pytest.param(OTHER_ORG, False, id="other-organisation"),
        pytest.param(None, False, id="no-organisation"),
    ],
)
@pytest.mark.parametrize("role", sorted(access.STAFF_ROLES), ids=str)
def test_staff_see_the_address_of_their_own_organisations_shelters_only(
    role: Role, caller_organisation: UUID | None, visible: bool
) -> None:
    assert access.shelter_address_visible(role, caller_organisation, RUNNER) is visible


@pytest.mark.parametrize("caller_organisation", [OTHER_ORG, None], ids=["other", "none"])
@pytest.mark.parametrize("role", NOT_STAFF, ids=str)
def test_other_roles_outside_the_running_organisation_never_see_the_address(
    role: Role, caller_organisation: UUID | None
) -> None:
    assert access.shelter_address_visible(role, caller_organisation, RUNNER) is False


@pytest.mark.parametrize("role", NOT_STAFF, ids=str)
def test_non_staff_roles_of_the_running_organisation_do_not_see_the_address(role: Role) -> None:
    assert access.shelter_address_visible(role, RUNNER, RUNNER) is False


def test_only_the_coordinator_and_staff_may_read_shelters_at_all() -> None:
    """What keeps the non-staff roles above from the address today: the permission table."""
    readers = {role for role in Role if access.can(role, Action.SHELTER_READ)}
    assert readers == access.STAFF_ROLES | {Role.COORDINATOR}


# --- MAN-PSYCHIATRIC-ALERT -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("psychological", "signs", "alert"),
    [
        pytest.param(True, True, True, id="psychologist-finds-signs"),
        pytest.param(True, False, False, id="psychologist-finds-none"),
        pytest.param(False, True, False, id="other-assessment-with-signs"),
        pytest.param(False, False, False, id="other-assessment-without-signs"),
    ],
)
def test_psychiatric_alert(psychological: bool, signs: bool, alert: bool) -> None:
    assert psychiatric_alert_needed(psychological, signs) is alert


# --- the stay's state machine ----------------------------------------------------------------

_S = StayStatus
DOCUMENTED_STEPS = {
    (_S.PROPOSED, "admit"): _S.ADMITTED,
    (_S.PROPOSED, "withdraw"): _S.WITHDRAWN,
    (_S.PROPOSED, "update"): _S.PROPOSED,
    (_S.ADMITTED, "update"): _S.ADMITTED,
    (_S.ADMITTED, "discharge"): _S.DISCHARGED,
    (_S.DISCHARGED, "report"): _S.DISCHARGED,
}


def test_stay_transition_table_is_exactly_the_documented_one() -> None:
    assert dict(STAY_STEPS) == DOCUMENTED_STEPS


def test_open_stays_are_the_proposed_and_admitted_ones() -> None:
    assert frozenset({_S.PROPOSED, _S.ADMITTED}) == OPEN_STAY_STATES


@pytest.mark.parametrize(
    ("state", "action", "after"),
    [
        pytest.param(state, action, after, id=f"{state}-{action}")
        for (state, action), after in DOCUMENTED_STEPS.items()
    ],
)
def test_allowed_stay_step(state: StayStatus, action: str, after: StayStatus) -> None:
    assert advance(STAY_STEPS, "shelter stay", state, action) is after


@pytest.mark.parametrize(
    ("state", "action"),
    [
        pytest.param(_S.ADMITTED, "admit", id="admit-an-admitted-stay"),
        pytest.param(_S.PROPOSED, "discharge", id="discharge-a-proposed-stay"),
        pytest.param(_S.ADMITTED, "withdraw", id="withdraw-an-admitted-stay"),
        pytest.param(_S.ADMITTED, "report", id="report-on-an-admitted-stay"),
        pytest.param(_S.PROPOSED, "report", id="report-on-a-proposed-stay"),
        pytest.param(_S.DISCHARGED, "update", id="update-a-discharged-stay"),
        pytest.param(_S.WITHDRAWN, "update", id="update-a-withdrawn-stay"),
        pytest.param(_S.WITHDRAWN, "admit", id="admit-a-withdrawn-stay"),
        pytest.param(_S.DISCHARGED, "discharge", id="discharge-a-discharged-stay"),
        pytest.param(_S.WITHDRAWN, "report", id="report-on-a-withdrawn-stay"),
    ],
)
def test_forbidden_stay_step(state: StayStatus, action: str) -> None:
    with pytest.raises(InvalidTransition) as refused:
        advance(STAY_STEPS, "shelter stay", state, action)
    assert (refused.value.entity, refused.value.state, refused.value.action) == (
        "shelter stay",
        state.value,
        action,
    )


# --- the shelter work items ------------------------------------------------------------------

DUE = date(2026, 7, 15)
ItemMaker = Callable[[UUID, UUID, date, date], WorkItem]


@pytest.mark.parametrize(
    ("make", "kind", "rule"),
    [
        pytest.param(
            partial(work_item, WorkKind.MEDICAL_EXAMINATION),
            WorkKind.MEDICAL_EXAMINATION,
            "MAN-MEDICAL-EXAM",
            id="medical-examination",
        ),
        pytest.param(
            partial(work_item, WorkKind.MONITORING_REPORT),
            WorkKind.MONITORING_REPORT,
            "MAN-MONITORING-6M",
            id="monitoring-report",
        ),
        pytest.param(
            partial(work_item, WorkKind.PSYCHIATRIC_ALERT),
            WorkKind.PSYCHIATRIC_ALERT,
            "MAN-PSYCHIATRIC-ALERT",
            id="psychiatric-alert",
        ),
    ],
)
@pytest.mark.parametrize(
    ("today", "overdue"),
    [
        pytest.param(DUE - timedelta(days=1), False, id="day-before"),
        pytest.param(DUE, False, id="due-day"),
        pytest.param(DUE + timedelta(days=1), True, id="day-after"),
    ],
)
def test_shelter_work_item(
    make: ItemMaker, kind: WorkKind, rule: str, today: date, overdue: bool
) -> None:
    item = make(STAY, VICTIM, DUE, today)
    assert item == WorkItem(kind, DUE, overdue, rule, VICTIM, STAY)
