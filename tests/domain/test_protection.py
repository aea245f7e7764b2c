"""The protection rules, both sides of each boundary: MAN-LEGAL-ADVICE, MAN-COMPLAINT,
MAN-STAFF-CONFIDENTIALITY (MAN-INCIDENT's acknowledgement is a permission: tests/api)."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from app.domain.access import (
    Action,
    Role,
    check_confidentiality_signed,
    handles_complaint,
    records_confidentiality,
)
from app.domain.consent import ConsentFacts, ConsentPurpose
from app.domain.errors import (
    ConfidentialityAgreementRequired,
    ConsentRequired,
    InvalidValue,
    RuleViolation,
)
from app.domain.protection import (
    ComplaintKind,
    LegalOption,
    PsychologistApproval,
    approval_given,
    check_complaint,
    check_legal_consultation,
    complaint_meeting_due,
    disclosure_consent,
)
from app.domain.rulebook import DEFAULT_RULEBOOK, Rulebook

HELD = date(2026, 3, 10)
ALL_OPTIONS = list(LegalOption)


def test_legal_counselling_without_the_psychologists_approval_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        approval_given(None)
    assert refused.value.rule == "MAN-LEGAL-ADVICE"
    assert approval_given("the approval") == "the approval"


@pytest.mark.parametrize(
    ("approval", "explained", "allowed"),
    [
        (PsychologistApproval(True, True, True, HELD), ALL_OPTIONS, True),  # on the day itself
        (PsychologistApproval(True, True, True, HELD - timedelta(days=7)), ALL_OPTIONS, True),
        (PsychologistApproval(True, True, True, HELD + timedelta(days=1)), ALL_OPTIONS, False),
        (PsychologistApproval(False, True, True, HELD), ALL_OPTIONS, False),  # not a psychologist
        (PsychologistApproval(True, False, True, HELD), ALL_OPTIONS, False),  # not seeing the case
        (PsychologistApproval(True, True, False, HELD), ALL_OPTIONS, False),  # Annex 4 unsigned
        (PsychologistApproval(True, True, True, HELD), ALL_OPTIONS[:3], False),  # one unexplained
    ],
)
def test_legal_consultation(
    approval: PsychologistApproval, explained: list[LegalOption], allowed: bool
) -> None:
    if allowed:
        check_legal_consultation(approval, HELD, explained)
        return
    with pytest.raises(RuleViolation) as refused:
        check_legal_consultation(approval, HELD, explained)
    assert refused.value.rule == "MAN-LEGAL-ADVICE"


DISCLOSED = date(2026, 3, 12)


def _consent(
    purpose: ConsentPurpose, withdrawn: bool = False, given_on: date | None = HELD
) -> ConsentFacts:
    return ConsentFacts(purpose, None, datetime.now(UTC) if withdrawn else None, given_on)


def test_a_disclosure_rests_on_the_active_consent_to_cooperate() -> None:
    active = uuid4()
    consents = [
        (uuid4(), _consent(ConsentPurpose.LAW_ENFORCEMENT_COOPERATION, withdrawn=True)),
        (active, _consent(ConsentPurpose.LAW_ENFORCEMENT_COOPERATION)),
    ]
    assert disclosure_consent(consents, DISCLOSED) == active


@pytest.mark.parametrize(
    ("given_on", "allowed"),
    [
        (DISCLOSED - timedelta(days=1), True),
        (DISCLOSED, True),  # given on the day itself
        (DISCLOSED + timedelta(days=1), False),  # given only after the disclosure
        (None, False),  # of unknown date
    ],
)
def test_the_consent_is_given_on_or_before_the_disclosure(
    given_on: date | None, allowed: bool
) -> None:
    consent_id = uuid4()
    consents = [(consent_id, _consent(ConsentPurpose.LAW_ENFORCEMENT_COOPERATION, False, given_on))]
    if allowed:
        assert disclosure_consent(consents, DISCLOSED) == consent_id
        return
    with pytest.raises(ConsentRequired) as refused:
        disclosure_consent(consents, DISCLOSED)
    assert refused.value.rule == "MAN-LEGAL-ADVICE"


@pytest.mark.parametrize(
    "consents",
    [
        [],
        [_consent(ConsentPurpose.LAW_ENFORCEMENT_COOPERATION, withdrawn=True)],
        [_consent(ConsentPurpose.DATA_PROCESSING), _consent(ConsentPurpose.FAMILY_INVOLVEMENT)],
    ],
)
def test_nothing_is_disclosed_without_that_consent(consents: list[ConsentFacts]) -> None:
    with pytest.raises(ConsentRequired) as refused:
        disclosure_consent([(uuid4(), c) for c in consents], DISCLOSED)
    assert refused.value.rule == "MAN-LEGAL-ADVICE"


def test_a_complaint_about_conduct_names_the_staff_member_and_not_the_recorder() -> None:
    recorder, named = uuid4(), uuid4()
    check_complaint(ComplaintKind.STAFF_CONDUCT, named, recorder)
    check_complaint(ComplaintKind.RIGHTS_DISREGARDED, None, recorder)
    with pytest.raises(InvalidValue):
        check_complaint(ComplaintKind.STAFF_CONDUCT, None, recorder)
    with pytest.raises(InvalidValue):
        check_complaint(ComplaintKind.RIGHTS_DISREGARDED, named, recorder)
    with pytest.raises(RuleViolation) as refused:
        check_complaint(ComplaintKind.STAFF_CONDUCT, recorder, recorder)
    assert refused.value.rule == "MAN-COMPLAINT"


def test_the_private_meeting_is_due_within_the_rulebooks_days() -> None:
    assert complaint_meeting_due(HELD, DEFAULT_RULEBOOK) == date(2026, 3, 13)
    five_days = Rulebook(version="test", complaint_meeting_days=5)
    assert complaint_meeting_due(HELD, five_days) == date(2026, 3, 15)


def test_a_complaint_reaches_the_manager_concerned_and_the_coordinator_never_the_one_named() -> (
    None
):
    org, other = uuid4(), uuid4()
    manager, coordinator, worker = uuid4(), uuid4(), uuid4()
    assert handles_complaint(Role.SHELTER_MANAGER, manager, org, org, worker)
    assert handles_complaint(Role.COORDINATOR, coordinator, uuid4(), org, worker)
    assert not handles_complaint(Role.SHELTER_MANAGER, manager, other, org, worker)
    assert not handles_complaint(Role.SOCIAL_WORKER, worker, org, org, None)
    # about the manager: the coordinator only
    assert not handles_complaint(Role.SHELTER_MANAGER, manager, org, org, manager)
    assert handles_complaint(Role.COORDINATOR, coordinator, uuid4(), org, manager)


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.SHELTER_MANAGER, Role.LEGAL_COUNSELLOR])
def test_staff_work_on_no_case_before_their_agreement_is_recorded(role: Role) -> None:
    with pytest.raises(ConfidentialityAgreementRequired) as refused:
        check_confidentiality_signed(role, False, Action.VICTIM_READ)
    assert refused.value.rule == "MAN-STAFF-CONFIDENTIALITY"
    assert refused.value.status == 403
    check_confidentiality_signed(role, True, Action.VICTIM_READ)
    check_confidentiality_signed(role, False, Action.ORGANISATION_READ)  # the directory
    check_confidentiality_signed(role, False, Action.RULEBOOK_READ)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.PARTNER_SYSTEM, Role.SCME_SYSTEM])
def test_who_signs_no_staff_agreement_is_not_stopped(role: Role) -> None:
    check_confidentiality_signed(role, False, Action.VICTIM_READ)


def test_the_admin_or_the_members_own_shelter_manager_records_the_agreement() -> None:
    org, other = uuid4(), uuid4()
    assert records_confidentiality(Role.ADMIN, None, Role.SOCIAL_WORKER, org)
    assert records_confidentiality(Role.SHELTER_MANAGER, org, Role.SOCIAL_WORKER, org)
    assert not records_confidentiality(Role.SHELTER_MANAGER, other, Role.SOCIAL_WORKER, org)
    assert not records_confidentiality(Role.SOCIAL_WORKER, org, Role.SOCIAL_WORKER, org)
    assert not records_confidentiality(Role.ADMIN, None, Role.COORDINATOR, org)
