"""The pathway rules of RULES.md, each at its boundary on both sides, and the state machines."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any
from uuid import uuid4

import pytest

from app.domain.casework import (
    AGREEMENT_STEPS,
    ASSESSMENT_STEPS,
    CARE_PLAN_STEPS,
    FOLLOW_UP_STEPS,
    REFERRAL_STEPS,
    AgreementStatus,
    AssessmentKind,
    AssessmentStatus,
    CarePlanKind,
    CarePlanStatus,
    FollowUpStatus,
    ReferralStatus,
    Service,
)
from app.domain.consent import ConsentFacts, ConsentPurpose
from app.domain.errors import ConsentRequired, InvalidTransition, RuleViolation
from app.domain.pathway import (
    AgreementRequest,
    AssessmentFacts,
    LicenceFacts,
    ReferralRequest,
    check_address,
    check_agreement,
    check_care_plan_basis,
    check_disclosure,
    check_family,
    check_ina,
    check_licence,
    check_plan_consent,
    check_plan_duration,
    check_referral,
    check_reflection,
    check_term,
    follow_up_due,
    individual_assessment_due,
    late_by_days,
)
from app.domain.rulebook import DEFAULT_RULEBOOK, Rulebook, ServiceTerm
from app.domain.states import advance
from app.domain.vocabulary import Funding, LicenceTargetGroup

RB = DEFAULT_RULEBOOK
VICTIM, OTHER_VICTIM = uuid4(), uuid4()
CASE_ORG, PROVIDER, OTHER_ORG = uuid4(), uuid4(), uuid4()
REFERRED = date(2026, 3, 2)
WITHDRAWN_AT = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

SHARE, FAMILY, DATA = (
    ConsentPurpose.SHARE_WITH_ORGANISATION,
    ConsentPurpose.FAMILY_INVOLVEMENT,
    ConsentPurpose.DATA_PROCESSING,
)
SHARE_WITH_PROVIDER = ConsentFacts(SHARE, PROVIDER, None)
FAMILY_CONSENT = ConsentFacts(FAMILY, None, None)
DATA_CONSENT = ConsentFacts(DATA, None, None)

TRAFFICKING, VIOLENCE = LicenceTargetGroup.TRAFFICKING_VICTIMS, LicenceTargetGroup.VIOLENCE_VICTIMS
INA = AssessmentFacts(
    VICTIM,
    AssessmentKind.INITIAL_NEEDS,
    AssessmentStatus.COMPLETED,
    by_state_agency_social_worker=True,
)
INDIVIDUAL = AssessmentFacts(VICTIM, AssessmentKind.INDIVIDUAL_NEEDS, AssessmentStatus.COMPLETED)


def assert_refused(refusal: pytest.ExceptionInfo[RuleViolation], rule: str, kind: type) -> None:
    """The refusal names the rule, and is exactly ConsentRequired or a plain RuleViolation."""
    assert refusal.value.rule == rule
    assert type(refusal.value) is kind


# --- SOP-LICENCE -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("licences", "allowed"),
    [
        pytest.param((LicenceFacts(TRAFFICKING, REFERRED),), True, id="valid-until-referral-day"),
        pytest.param((LicenceFacts(VIOLENCE, date(2027, 1, 1)),), True, id="violence-licence"),
        pytest.param(
            (LicenceFacts(TRAFFICKING, REFERRED - timedelta(days=1)),),
            False,
            id="expired-day-before",
        ),
        pytest.param((), False, id="no-licences"),
        pytest.param(
            (
                LicenceFacts(TRAFFICKING, date(2025, 12, 31)),
                LicenceFacts(VIOLENCE, REFERRED),
            ),
            True,
            id="one-expired-one-valid",
        ),
    ],
)
def test_licence(licences: tuple[LicenceFacts, ...], allowed: bool) -> None:
    if allowed:
        check_licence(licences, REFERRED)
        return
    with pytest.raises(RuleViolation) as refused:
        check_licence(licences, REFERRED)
    assert_refused(refused, "SOP-LICENCE", RuleViolation)
    assert refused.value.facts == {"referral_date": "2026-03-02"}


# --- SOP-INA ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "ina",
    [
        pytest.param(None, id="missing"),
        pytest.param(replace(INA, victim_id=OTHER_VICTIM), id="another-persons"),
        pytest.param(replace(INA, status=AssessmentStatus.DRAFT), id="not-completed"),
        pytest.param(
            replace(INA, by_state_agency_social_worker=False), id="not-by-state-social-worker"
        ),
        pytest.param(replace(INA, kind=AssessmentKind.INDIVIDUAL_NEEDS), id="wrong-kind"),
    ],
)
def test_state_delegated_service_needs_a_completed_ina_of_the_person(
    ina: AssessmentFacts | None,
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_ina(Funding.STATE_DELEGATED, ina, VICTIM)
    assert_refused(refused, "SOP-INA", RuleViolation)


def test_state_delegated_service_with_a_proper_ina_is_allowed() -> None:
    check_ina(Funding.STATE_DELEGATED, INA, VICTIM)


@pytest.mark.parametrize("funding", [Funding.PROJECT, Funding.MUNICIPAL, Funding.PRIVATE])
def test_direct_application_services_need_no_ina(funding: Funding) -> None:
    check_ina(funding, None, VICTIM)
    check_ina(funding, replace(INA, status=AssessmentStatus.DRAFT), VICTIM)


# --- SOP-ADDRESS -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("funding", "address", "allowed"),
    [
        pytest.param(Funding.STATE_DELEGATED, "12 Chui Avenue, Bishkek", True, id="state-address"),
        pytest.param(Funding.STATE_DELEGATED, None, False, id="state-none"),
        pytest.param(Funding.STATE_DELEGATED, "", False, id="state-empty"),
        pytest.param(Funding.STATE_DELEGATED, " \t\n ", False, id="state-whitespace"),
        pytest.param(Funding.PROJECT, None, True, id="project-none"),
        pytest.param(Funding.MUNICIPAL, "  ", True, id="municipal-blank"),
        pytest.param(Funding.PRIVATE, None, True, id="private-none"),
    ],
)
def test_address(funding: Funding, address: str | None, allowed: bool) -> None:
    if allowed:
        check_address(funding, address)
        return
    with pytest.raises(RuleViolation) as refused:
        check_address(funding, address)
    assert_refused(refused, "SOP-ADDRESS", RuleViolation)


# --- SOP-REFLECTION --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("identified_on", "rulebook", "earliest"),
    [
        pytest.param(REFERRED - timedelta(days=29), RB, "2026-03-03", id="day-29-refused"),
        pytest.param(REFERRED, RB, "2026-04-01", id="identified-today-refused"),
        pytest.param(
            REFERRED - timedelta(days=44),
            Rulebook(version="test", reflection_days=45),
            "2026-03-03",
            id="another-rulebook-45-days-day-44-refused",
        ),
    ],
)
def test_reflection_period_not_yet_expired(
    identified_on: date, rulebook: Rulebook, earliest: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_reflection(Service.LONG_TERM_PSYCHOSOCIAL, identified_on, REFERRED, rulebook)
    assert_refused(refused, "SOP-REFLECTION", RuleViolation)
    assert refused.value.facts == {
        "reflection_days": rulebook.reflection_days,
        "earliest": earliest,
    }


@pytest.mark.parametrize(
    ("identified_on", "rulebook"),
    [
        pytest.param(REFERRED - timedelta(days=30), RB, id="day-30-allowed"),
        pytest.param(REFERRED - timedelta(days=400), RB, id="long-ago-allowed"),
        pytest.param(
            REFERRED - timedelta(days=45),
            Rulebook(version="test", reflection_days=45),
            id="another-rulebook-45-days-day-45-allowed",
        ),
    ],
)
def test_reflection_period_expired(identified_on: date, rulebook: Rulebook) -> None:
    check_reflection(Service.LONG_TERM_PSYCHOSOCIAL, identified_on, REFERRED, rulebook)


def test_reflection_needs_the_identification_date() -> None:
    with pytest.raises(RuleViolation) as refused:
        check_reflection(Service.LONG_TERM_PSYCHOSOCIAL, None, REFERRED, RB)
    assert_refused(refused, "SOP-REFLECTION", RuleViolation)


@pytest.mark.parametrize("service", [s for s in Service if s is not Service.LONG_TERM_PSYCHOSOCIAL])
def test_reflection_applies_only_to_long_term_psychosocial_support(service: Service) -> None:
    check_reflection(service, REFERRED, REFERRED, RB)
    check_reflection(service, None, REFERRED, RB)


# --- CONSENT-DISCLOSURE ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "consents",
    [
        pytest.param((), id="no-consent"),
        pytest.param((ConsentFacts(SHARE, OTHER_ORG, None),), id="share-with-another-recipient"),
        pytest.param((ConsentFacts(SHARE, PROVIDER, WITHDRAWN_AT),), id="withdrawn"),
        pytest.param((DATA_CONSENT, FAMILY_CONSENT), id="other-purposes-only"),
    ],
)
def test_disclosure_without_active_consent_for_the_recipient(
    consents: tuple[ConsentFacts, ...],
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_disclosure(consents, PROVIDER, CASE_ORG)
    assert_refused(refused, "CONSENT-DISCLOSURE", ConsentRequired)


@pytest.mark.parametrize(
    ("consents", "recipient"),
    [
        pytest.param((SHARE_WITH_PROVIDER,), PROVIDER, id="active-consent-for-recipient"),
        pytest.param(
            (ConsentFacts(SHARE, PROVIDER, WITHDRAWN_AT), SHARE_WITH_PROVIDER),
            PROVIDER,
            id="given-again-after-withdrawal",
        ),
        pytest.param((), CASE_ORG, id="own-organisation-needs-none"),
    ],
)
def test_disclosure_allowed(consents: tuple[ConsentFacts, ...], recipient: Any) -> None:
    check_disclosure(consents, recipient, CASE_ORG)


# --- SOP-FAMILY ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("consents", "family_risk_completed", "kind"),
    [
        pytest.param((), True, ConsentRequired, id="no-family-consent"),
        pytest.param((), False, ConsentRequired, id="neither-consent-nor-assessment"),
        pytest.param(
            (ConsentFacts(FAMILY, None, WITHDRAWN_AT),), True, ConsentRequired, id="withdrawn"
        ),
        pytest.param((SHARE_WITH_PROVIDER,), True, ConsentRequired, id="only-sharing-consent"),
        pytest.param((FAMILY_CONSENT,), False, RuleViolation, id="consent-no-risk-assessment"),
    ],
)
def test_family_counselling_refused(
    consents: tuple[ConsentFacts, ...], family_risk_completed: bool, kind: type
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_family(Service.FAMILY_COUNSELLING, consents, family_risk_completed)
    assert_refused(refused, "SOP-FAMILY", kind)


def test_family_counselling_with_consent_and_risk_assessment_is_allowed() -> None:
    check_family(Service.FAMILY_COUNSELLING, (FAMILY_CONSENT,), True)


@pytest.mark.parametrize("service", [s for s in Service if s is not Service.FAMILY_COUNSELLING])
def test_family_rule_does_not_touch_other_services(service: Service) -> None:
    check_family(service, (), False)


# --- check_referral: one valid request, then one fact broken at a time -----------------------

VALID = ReferralRequest(
    victim_id=VICTIM,
    victim_organisation_id=CASE_ORG,
    to_organisation_id=PROVIDER,
    service=Service.LONG_TERM_PSYCHOSOCIAL,
    funding=Funding.STATE_DELEGATED,
    receiver_funding=Funding.STATE_DELEGATED,
    referred_on=REFERRED,
    identified_on=REFERRED - timedelta(days=30),
    registered_address="12 Chui Avenue, Bishkek",
    licences=(LicenceFacts(TRAFFICKING, REFERRED),),
    ina=INA,
    family_risk_completed=True,
    consents=(SHARE_WITH_PROVIDER, FAMILY_CONSENT),
)
VALID_FAMILY = replace(VALID, service=Service.FAMILY_COUNSELLING)


@pytest.mark.parametrize("service", list(Service))
def test_a_fully_valid_referral_is_allowed_for_every_service(service: Service) -> None:
    check_referral(replace(VALID, service=service), RB)


@pytest.mark.parametrize(
    ("base", "change", "rule", "kind"),
    [
        pytest.param(VALID, {"licences": ()}, "SOP-LICENCE", RuleViolation, id="no-licence"),
        pytest.param(
            VALID,
            {"licences": (LicenceFacts(TRAFFICKING, REFERRED - timedelta(days=1)),)},
            "SOP-LICENCE",
            RuleViolation,
            id="licence-expired",
        ),
        pytest.param(VALID, {"ina": None}, "SOP-INA", RuleViolation, id="no-ina"),
        pytest.param(
            VALID,
            {"funding": Funding.PROJECT, "ina": None},
            "SOP-INA",
            RuleViolation,
            id="state-delegated-receiver-declared-as-project",
        ),
        pytest.param(
            VALID,
            {"ina": replace(INA, status=AssessmentStatus.DRAFT)},
            "SOP-INA",
            RuleViolation,
            id="ina-draft",
        ),
        pytest.param(
            VALID, {"registered_address": "  "}, "SOP-ADDRESS", RuleViolation, id="blank-address"
        ),
        pytest.param(
            VALID,
            {"identified_on": REFERRED - timedelta(days=29)},
            "SOP-REFLECTION",
            RuleViolation,
            id="reflection-running",
        ),
        pytest.param(
            VALID, {"identified_on": None}, "SOP-REFLECTION", RuleViolation, id="no-identified-on"
        ),
        pytest.param(
            VALID,
            {"consents": (FAMILY_CONSENT,)},
            "CONSENT-DISCLOSURE",
            ConsentRequired,
            id="no-sharing-consent",
        ),
        pytest.param(
            VALID_FAMILY,
            {"consents": (SHARE_WITH_PROVIDER,)},
            "SOP-FAMILY",
            ConsentRequired,
            id="family-no-family-consent",
        ),
        pytest.param(
            VALID_FAMILY,
            {"family_risk_completed": False},
            "SOP-FAMILY",
            RuleViolation,
            id="family-no-risk-assessment",
        ),
    ],
)
def test_referral_with_one_fact_broken(
    base: ReferralRequest, change: dict[str, Any], rule: str, kind: type
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_referral(replace(base, **change), RB)
    assert_refused(refused, rule, kind)


@pytest.mark.parametrize("funding", [Funding.PROJECT, Funding.MUNICIPAL, Funding.PRIVATE])
def test_a_direct_application_referral_needs_neither_ina_nor_address(funding: Funding) -> None:
    direct = replace(VALID, funding=funding, receiver_funding=funding, ina=None)
    check_referral(replace(direct, registered_address=None), RB)
    # a receiver that declares no funding takes the referral's word for it
    check_referral(replace(direct, receiver_funding=None, registered_address=None), RB)


# --- SOP-INDIVIDUAL-20D ----------------------------------------------------------------------

CONTACT = date(2026, 3, 10)


def test_individual_assessment_is_due_20_days_after_initial_contact() -> None:
    assert individual_assessment_due(CONTACT, RB) == date(2026, 3, 30)


@pytest.mark.parametrize(
    ("performed_on", "late"),
    [
        pytest.param(date(2026, 3, 12), 0, id="early"),
        pytest.param(date(2026, 3, 29), 0, id="day-19"),
        pytest.param(date(2026, 3, 30), 0, id="day-20-on-time"),
        pytest.param(date(2026, 3, 31), 1, id="day-21-one-day-late"),
        pytest.param(date(2026, 4, 9), 10, id="day-30-ten-days-late"),
    ],
)
def test_late_by_days(performed_on: date, late: int) -> None:
    assert late_by_days(individual_assessment_due(CONTACT, RB), performed_on) == late


def test_without_a_due_date_nothing_is_late() -> None:
    assert late_by_days(None, date(2030, 1, 1)) == 0


# --- SOP-CAREPLAN-BASIS ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "assessment",
    [
        pytest.param(replace(INDIVIDUAL, status=AssessmentStatus.DRAFT), id="draft"),
        pytest.param(replace(INDIVIDUAL, victim_id=OTHER_VICTIM), id="another-persons"),
        pytest.param(replace(INDIVIDUAL, kind=AssessmentKind.INITIAL_NEEDS), id="initial-needs"),
        pytest.param(replace(INDIVIDUAL, kind=AssessmentKind.RISK), id="risk-assessment"),
    ],
)
def test_care_plan_basis_refused(assessment: AssessmentFacts) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_care_plan_basis(assessment, VICTIM)
    assert_refused(refused, "SOP-CAREPLAN-BASIS", RuleViolation)


def test_care_plan_on_a_completed_individual_needs_assessment_of_the_person() -> None:
    check_care_plan_basis(INDIVIDUAL, VICTIM)


# --- MAN-REHAB-PLAN --------------------------------------------------------------------------


@pytest.mark.parametrize("months", [0, 7, -1, 12])
def test_rehabilitation_plan_outside_1_to_6_months(months: int) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_plan_duration(CarePlanKind.REHABILITATION, months, RB)
    assert_refused(refused, "MAN-REHAB-PLAN", RuleViolation)
    assert refused.value.facts == {"min_months": 1, "max_months": 6, "planned_months": months}


@pytest.mark.parametrize("months", [1, 3, 6])
def test_rehabilitation_plan_within_1_to_6_months(months: int) -> None:
    check_plan_duration(CarePlanKind.REHABILITATION, months, RB)


@pytest.mark.parametrize("months", [0, 1, 6, 7, 36])
def test_care_plan_duration_is_free(months: int) -> None:
    check_plan_duration(CarePlanKind.CARE, months, RB)


@pytest.mark.parametrize(
    ("kind", "consents", "consent_given", "rule"),
    [
        pytest.param(
            CarePlanKind.REHABILITATION, (DATA_CONSENT,), False, "MAN-REHAB-PLAN", id="rehab-no"
        ),
        pytest.param(
            CarePlanKind.CARE, (DATA_CONSENT,), False, "MAN-REHAB-PLAN", id="care-plan-no"
        ),
        pytest.param(CarePlanKind.CARE, (), True, "CONSENT-DISCLOSURE", id="no-data-processing"),
        pytest.param(
            CarePlanKind.REHABILITATION,
            (ConsentFacts(DATA, None, WITHDRAWN_AT),),
            True,
            "CONSENT-DISCLOSURE",
            id="data-processing-withdrawn",
        ),
    ],
)
def test_plan_consent_refused(
    kind: CarePlanKind, consents: tuple[ConsentFacts, ...], consent_given: bool, rule: str
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_plan_consent(kind, consents, consent_given)
    assert_refused(refused, rule, ConsentRequired)


@pytest.mark.parametrize("kind", list(CarePlanKind))
def test_plan_consent_given_with_data_processing_consent(kind: CarePlanKind) -> None:
    check_plan_consent(kind, (DATA_CONSENT,), True)


# --- SOP-TERM, SOP-VOT-MAX-1Y ----------------------------------------------------------------

START = date(2026, 1, 15)
SHORT, MEDIUM, LONG = ServiceTerm.SHORT, ServiceTerm.MEDIUM, ServiceTerm.LONG


@pytest.mark.parametrize(
    ("term", "ends_on"),
    [
        pytest.param(SHORT, date(2026, 7, 14), id="short-6-months-to-the-day-before"),
        pytest.param(MEDIUM, date(2027, 1, 14), id="medium-12-months-to-the-day-before"),
        pytest.param(LONG, date(2027, 1, 14), id="long-capped-at-one-year"),
        pytest.param(SHORT, START, id="one-day-service"),
    ],
)
def test_term_fits(term: ServiceTerm, ends_on: date) -> None:
    check_term(term, START, ends_on, RB)


@pytest.mark.parametrize(
    ("term", "ends_on", "rule", "facts"),
    [
        pytest.param(
            SHORT,
            date(2026, 7, 15),
            "SOP-TERM",
            {"term_months": 6, "latest_end": "2026-07-14"},
            id="short-one-day-over",
        ),
        pytest.param(
            MEDIUM,
            date(2027, 1, 15),
            "SOP-TERM",
            {"term_months": 12, "latest_end": "2027-01-14"},
            id="medium-one-day-over",
        ),
        pytest.param(
            LONG,
            date(2027, 1, 15),
            "SOP-VOT-MAX-1Y",
            {"max_months": 12, "latest_end": "2027-01-14"},
            id="long-over-one-year-is-the-vot-cap",
        ),
        pytest.param(
            LONG,
            date(2029, 1, 14),
            "SOP-VOT-MAX-1Y",
            {"max_months": 12, "latest_end": "2027-01-14"},
            id="long-full-36-months-is-the-vot-cap",
        ),
        pytest.param(
            LONG,
            date(2029, 1, 15),
            "SOP-TERM",
            {"term_months": 36, "latest_end": "2029-01-14"},
            id="long-over-36-months",
        ),
    ],
)
def test_term_too_long(
    term: ServiceTerm, ends_on: date, rule: str, facts: dict[str, object]
) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_term(term, START, ends_on, RB)
    assert_refused(refused, rule, RuleViolation)
    assert refused.value.facts == facts


@pytest.mark.parametrize("term", list(ServiceTerm))
def test_agreement_ending_before_it_starts(term: ServiceTerm) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_term(term, START, START - timedelta(days=1), RB)
    assert_refused(refused, "SOP-TERM", RuleViolation)


# --- SOP-AGREEMENT-CONSENT -------------------------------------------------------------------

AGREEMENT = AgreementRequest(
    care_plan_status=CarePlanStatus.ACTIVE,
    consent_given=True,
    term=MEDIUM,
    starts_on=START,
    ends_on=date(2027, 1, 14),
    provider_id=PROVIDER,
    provider_licences=(LicenceFacts(TRAFFICKING, START),),
    case_organisation_id=CASE_ORG,
    consents=(SHARE_WITH_PROVIDER,),
)


def test_agreement_on_an_active_care_plan_with_consent() -> None:
    check_agreement(AGREEMENT, RB)


@pytest.mark.parametrize(
    ("change", "rule", "kind"),
    [
        pytest.param(
            {"care_plan_status": CarePlanStatus.DRAFT},
            "SOP-AGREEMENT-CONSENT",
            RuleViolation,
            id="care-plan-draft",
        ),
        pytest.param(
            {"provider_licences": (LicenceFacts(TRAFFICKING, START - timedelta(days=1)),)},
            "SOP-LICENCE",
            RuleViolation,
            id="provider-licence-expired-before-start",
        ),
        pytest.param(
            {"consents": ()},
            "CONSENT-DISCLOSURE",
            ConsentRequired,
            id="no-consent-to-share-with-the-provider",
        ),
        pytest.param(
            {"care_plan_status": CarePlanStatus.COMPLETED},
            "SOP-AGREEMENT-CONSENT",
            RuleViolation,
            id="care-plan-completed",
        ),
        pytest.param(
            {"care_plan_status": CarePlanStatus.TERMINATED},
            "SOP-AGREEMENT-CONSENT",
            RuleViolation,
            id="care-plan-terminated",
        ),
        pytest.param(
            {"consent_given": False}, "SOP-AGREEMENT-CONSENT", ConsentRequired, id="no-consent"
        ),
        pytest.param(
            {"ends_on": date(2027, 1, 15)}, "SOP-TERM", RuleViolation, id="term-checked-too"
        ),
    ],
)
def test_agreement_refused(change: dict[str, Any], rule: str, kind: type) -> None:
    with pytest.raises(RuleViolation) as refused:
        check_agreement(replace(AGREEMENT, **change), RB)
    assert_refused(refused, rule, kind)


# --- SOP-FOLLOW-UP ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ended_on", "due_on"),
    [
        pytest.param(date(2026, 3, 2), date(2026, 4, 1), id="thirty-days"),
        pytest.param(date(2026, 12, 15), date(2027, 1, 14), id="across-the-year"),
        pytest.param(date(2028, 2, 1), date(2028, 3, 2), id="leap-february"),
    ],
)
def test_follow_up_due_30_days_after_contact_ended(ended_on: date, due_on: date) -> None:
    assert follow_up_due(ended_on, RB) == due_on


# --- state machines --------------------------------------------------------------------------

_R, _C, _A = ReferralStatus, CarePlanStatus, AgreementStatus
_AS, _F = AssessmentStatus, FollowUpStatus
DOCUMENTED: dict[str, tuple[Any, dict[tuple[Any, str], Any]]] = {
    # API.md, "Resources": the statuses and actions of each record
    "referral": (
        REFERRAL_STEPS,
        {
            (_R.REQUESTED, "accept"): _R.ACCEPTED,
            (_R.REQUESTED, "decline"): _R.DECLINED,
            (_R.REQUESTED, "cancel"): _R.CANCELLED,
            (_R.ACCEPTED, "initial-contact"): _R.IN_PROGRESS,
            (_R.IN_PROGRESS, "complete"): _R.COMPLETED,
        },
    ),
    "assessment": (ASSESSMENT_STEPS, {(_AS.DRAFT, "complete"): _AS.COMPLETED}),
    "care plan": (
        CARE_PLAN_STEPS,
        {
            (_C.DRAFT, "review"): _C.DRAFT,
            (_C.ACTIVE, "review"): _C.ACTIVE,
            (_C.DRAFT, "activate"): _C.ACTIVE,
            (_C.ACTIVE, "complete"): _C.COMPLETED,
            (_C.ACTIVE, "terminate"): _C.TERMINATED,
        },
    ),
    "agreement": (
        AGREEMENT_STEPS,
        {(_A.ACTIVE, "terminate"): _A.TERMINATED, (_A.ACTIVE, "complete"): _A.COMPLETED},
    ),
    "follow-up": (FOLLOW_UP_STEPS, {(_F.DUE, "record"): _F.DONE}),
}


@pytest.mark.parametrize("entity", list(DOCUMENTED))
def test_transition_table_is_exactly_the_documented_one(entity: str) -> None:
    table, documented = DOCUMENTED[entity]
    assert dict(table) == documented


@pytest.mark.parametrize(
    ("entity", "state", "action", "after"),
    [
        pytest.param(entity, state, action, after, id=f"{entity}-{state}-{action}")
        for entity, (_, documented) in DOCUMENTED.items()
        for (state, action), after in documented.items()
    ],
)
def test_allowed_step(entity: str, state: StrEnum, action: str, after: StrEnum) -> None:
    table, _ = DOCUMENTED[entity]
    assert advance(table, entity, state, action) is after


@pytest.mark.parametrize(
    ("entity", "state", "action"),
    [
        pytest.param("referral", _R.DECLINED, "complete", id="complete-a-declined-referral"),
        pytest.param("referral", _R.ACCEPTED, "accept", id="accept-an-accepted-referral"),
        pytest.param("referral", _R.ACCEPTED, "cancel", id="cancel-an-accepted-referral"),
        pytest.param("referral", _R.REQUESTED, "complete", id="complete-a-requested-referral"),
        pytest.param("referral", _R.CANCELLED, "accept", id="accept-a-cancelled-referral"),
        pytest.param("referral", _R.IN_PROGRESS, "initial-contact", id="second-initial-contact"),
        pytest.param("assessment", _AS.COMPLETED, "complete", id="complete-a-completed-assessment"),
        pytest.param("care plan", _C.ACTIVE, "activate", id="activate-an-active-care-plan"),
        pytest.param("care plan", _C.DRAFT, "complete", id="complete-a-draft-care-plan"),
        pytest.param("care plan", _C.TERMINATED, "activate", id="reactivate-a-terminated-plan"),
        pytest.param("care plan", _C.COMPLETED, "review", id="review-a-completed-plan"),
        pytest.param("agreement", _A.COMPLETED, "terminate", id="terminate-completed-agreement"),
        pytest.param("agreement", _A.TERMINATED, "complete", id="complete-terminated-agreement"),
        pytest.param("follow-up", _F.DONE, "record", id="record-a-done-follow-up"),
        pytest.param("referral", _R.REQUESTED, "activate", id="action-of-another-record"),
    ],
)
def test_forbidden_step(entity: str, state: StrEnum, action: str) -> None:
    table, _ = DOCUMENTED[entity]
    with pytest.raises(InvalidTransition) as refused:
        advance(table, entity, state, action)
    assert (refused.value.entity, refused.value.state, refused.value.action) == (
        entity,
        state.value,
        action,
    )


@pytest.mark.parametrize("entity", list(DOCUMENTED))
def test_every_undocumented_step_is_forbidden(entity: str) -> None:
    table, documented = DOCUMENTED[entity]
    state_type = type(next(iter(documented.values())))
    actions = {action for _, action in documented}
    refused = 0
    for state in state_type:
        for action in actions - {a for (s, a) in documented if s is state}:
            with pytest.raises(InvalidTransition):
                advance(table, entity, state, action)
            refused += 1
    assert refused == len(state_type) * len(actions) - len(documented)
