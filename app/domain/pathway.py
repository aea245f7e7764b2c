"""The path to long-term support (SOP Measure 3.1, and the manual's case work): referrals,
assessments, care plans, service agreements and follow-up contacts.

Every rule function names its RULES.md id; each takes plain facts and the rulebook and returns a
value or raises RuleViolation / ConsentRequired. "today" is always an argument.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from app.domain.consent import ConsentFacts, ConsentPurpose, has_active_consent
from app.domain.dates import latest_end
from app.domain.errors import ConsentRequired, RuleViolation
from app.domain.rulebook import Rulebook, ServiceTerm
from app.domain.vocabulary import Funding, LicenceTargetGroup

# --- vocabulary ------------------------------------------------------------------------------


class Service(StrEnum):
    LONG_TERM_PSYCHOSOCIAL = "long_term_psychosocial"
    SHELTER = "shelter"
    LEGAL = "legal"
    MEDICAL = "medical"
    VOCATIONAL_TRAINING = "vocational_training"
    SOCIAL_COUNSELLING = "social_counselling"
    FAMILY_COUNSELLING = "family_counselling"


class ReferralStatus(StrEnum):
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"


class AssessmentKind(StrEnum):
    INITIAL_NEEDS = "initial_needs"
    INDIVIDUAL_NEEDS = "individual_needs"
    RISK = "risk"
    FAMILY_RISK = "family_risk"
    PSYCHOLOGICAL = "psychological"
    MEDICAL = "medical"
    REINTEGRATION = "reintegration"


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


class CarePlanKind(StrEnum):
    CARE = "care"  # the SOP's individual care plan
    REHABILITATION = "rehabilitation"  # the manual's individual rehabilitation plan


class CarePlanStatus(StrEnum):
    DRAFT = "draft"
    ACTIVE = "active"
    COMPLETED = "completed"
    TERMINATED = "terminated"


class AgreementStatus(StrEnum):
    ACTIVE = "active"
    TERMINATED = "terminated"
    COMPLETED = "completed"


class RecoveryStage(StrEnum):
    """SOP-RECOVERY-STAGES: I safety and security; II remembering and mourning; III return to
    normal life."""

    I = "I"  # noqa: E741 - the SOP's own numbering
    II = "II"
    III = "III"


class RiskFactor(StrEnum):
    """SOP-RISK: what the reintegration risk assessment covers (SOP Step 2)."""

    SOCIAL_EXCLUSION = "social_exclusion"
    NEW_VIOLENCE_OR_ABUSE = "new_violence_or_abuse"
    UNEMPLOYMENT = "unemployment"
    POVERTY = "poverty"
    EDUCATION_BARRIER = "education_barrier"
    NO_SUPPORTIVE_ENVIRONMENT = "no_supportive_environment"
    SOCIOCULTURAL_FACTORS = "sociocultural_factors"
    OTHER = "other"


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class FollowUpChannel(StrEnum):
    """SOP Step 1: an appointment, a telephone call, a letter, etc."""

    APPOINTMENT = "appointment"
    PHONE = "phone"
    LETTER = "letter"
    OTHER = "other"


class FollowUpStatus(StrEnum):
    DUE = "due"
    DONE = "done"


# --- state machines --------------------------------------------------------------------------

_R = ReferralStatus
REFERRAL_STEPS: Mapping[tuple[ReferralStatus, str], ReferralStatus] = {
    (_R.REQUESTED, "accept"): _R.ACCEPTED,
    (_R.REQUESTED, "decline"): _R.DECLINED,
    (_R.REQUESTED, "cancel"): _R.CANCELLED,
    (_R.ACCEPTED, "initial-contact"): _R.IN_PROGRESS,
    (_R.IN_PROGRESS, "complete"): _R.COMPLETED,
}
# a receiving organisation sees the person's case once it has taken the referral on
SHARING_STATES = frozenset({_R.ACCEPTED, _R.IN_PROGRESS, _R.COMPLETED})

ASSESSMENT_STEPS: Mapping[tuple[AssessmentStatus, str], AssessmentStatus] = {
    (AssessmentStatus.DRAFT, "complete"): AssessmentStatus.COMPLETED,
}

_C = CarePlanStatus
CARE_PLAN_STEPS: Mapping[tuple[CarePlanStatus, str], CarePlanStatus] = {
    (_C.DRAFT, "activate"): _C.ACTIVE,
    (_C.ACTIVE, "complete"): _C.COMPLETED,
    (_C.ACTIVE, "terminate"): _C.TERMINATED,
}

_A = AgreementStatus
AGREEMENT_STEPS: Mapping[tuple[AgreementStatus, str], AgreementStatus] = {
    (_A.ACTIVE, "terminate"): _A.TERMINATED,
    (_A.ACTIVE, "complete"): _A.COMPLETED,
}

FOLLOW_UP_STEPS: Mapping[tuple[FollowUpStatus, str], FollowUpStatus] = {
    (FollowUpStatus.DUE, "record"): FollowUpStatus.DONE,
}


# --- facts the rules look at -----------------------------------------------------------------


@dataclass(frozen=True)
class LicenceFacts:
    target_group: LicenceTargetGroup
    valid_until: date


@dataclass(frozen=True)
class AssessmentFacts:
    victim_id: UUID
    kind: AssessmentKind
    status: AssessmentStatus
    by_state_agency_social_worker: bool = False


@dataclass(frozen=True)
class ReferralRequest:
    """What a new referral is checked against."""

    victim_id: UUID
    victim_organisation_id: UUID
    to_organisation_id: UUID
    service: Service
    funding: Funding
    referred_on: date
    identified_on: date | None
    registered_address: str | None
    licences: tuple[LicenceFacts, ...]
    ina: AssessmentFacts | None
    family_risk_completed: bool
    consents: tuple[ConsentFacts, ...]


# --- referral rules --------------------------------------------------------------------------


def check_referral(request: ReferralRequest, rulebook: Rulebook) -> None:
    """All the rules a new referral must satisfy, in the order a caseworker would meet them."""
    check_licence(request.licences, request.referred_on)
    check_ina(request.funding, request.ina, request.victim_id)
    check_address(request.funding, request.registered_address)
    check_reflection(request.service, request.identified_on, request.referred_on, rulebook)
    check_disclosure(request.consents, request.to_organisation_id, request.victim_organisation_id)
    check_family(request.service, request.consents, request.family_risk_completed)


def check_licence(licences: Iterable[LicenceFacts], on: date) -> None:
    """SOP-LICENCE: the receiving provider holds a licence for victims of trafficking or of
    violence, valid on the referral date."""
    if not any(licence.valid_until >= on for licence in licences):
        raise RuleViolation(
            "SOP-LICENCE",
            "The receiving organisation holds no licence for victims of trafficking or violence "
            f"valid on {on.isoformat()}.",
            referral_date=on.isoformat(),
        )


def check_ina(funding: Funding, ina: AssessmentFacts | None, victim_id: UUID) -> None:
    """SOP-INA: a state-delegated service needs a completed initial needs assessment of the
    same person, issued by a social worker of the Social Assistance Directorate."""
    if funding is not Funding.STATE_DELEGATED:
        return
    if ina is None:
        raise RuleViolation(
            "SOP-INA", "A state-delegated service needs the initial needs assessment (INA)."
        )
    if ina.victim_id != victim_id or ina.kind is not AssessmentKind.INITIAL_NEEDS:
        raise RuleViolation("SOP-INA", "The named assessment is not this person's INA.")
    if ina.status is not AssessmentStatus.COMPLETED:
        raise RuleViolation("SOP-INA", "The initial needs assessment is not completed yet.")
    if not ina.by_state_agency_social_worker:
        raise RuleViolation(
            "SOP-INA",
            "The INA is issued by a social worker of the Social Assistance Directorate.",
        )


def check_address(funding: Funding, registered_address: str | None) -> None:
    """SOP-ADDRESS: state-delegated services need the person's current registered address."""
    if funding is Funding.STATE_DELEGATED and not (registered_address or "").strip():
        raise RuleViolation(
            "SOP-ADDRESS",
            "A state-delegated service needs the person's current registered address.",
        )


def check_reflection(
    service: Service, identified_on: date | None, referred_on: date, rulebook: Rulebook
) -> None:
    """SOP-REFLECTION: long-term psychosocial support starts only after the reflection period
    since identification has expired."""
    if service is not Service.LONG_TERM_PSYCHOSOCIAL:
        return
    if identified_on is None:
        raise RuleViolation(
            "SOP-REFLECTION",
            "The identification date is needed to know that the reflection period has expired.",
        )
    ends = identified_on + timedelta(days=rulebook.reflection_days)
    if referred_on < ends:
        raise RuleViolation(
            "SOP-REFLECTION",
            f"The reflection period runs until {ends.isoformat()}.",
            reflection_days=rulebook.reflection_days,
            earliest=ends.isoformat(),
        )


def check_disclosure(
    consents: Iterable[ConsentFacts], recipient: UUID, case_organisation: UUID
) -> None:
    """CONSENT-DISCLOSURE: information goes to another organisation only with the person's
    active consent for that recipient."""
    if recipient == case_organisation:
        return
    if not has_active_consent(consents, ConsentPurpose.SHARE_WITH_ORGANISATION, recipient):
        raise ConsentRequired(
            "CONSENT-DISCLOSURE",
            "The person has not consented to sharing their case with the receiving organisation.",
        )


def check_family(
    service: Service, consents: Iterable[ConsentFacts], family_risk_completed: bool
) -> None:
    """SOP-FAMILY: involving family or friends needs the person's consent and a completed
    family risk assessment (SOP Step 4)."""
    if service is not Service.FAMILY_COUNSELLING:
        return
    if not has_active_consent(consents, ConsentPurpose.FAMILY_INVOLVEMENT):
        raise ConsentRequired(
            "SOP-FAMILY", "The person has not consented to involving their family or friends."
        )
    if not family_risk_completed:
        raise RuleViolation(
            "SOP-FAMILY", "Family counselling needs a completed family risk assessment first."
        )


# --- assessments -----------------------------------------------------------------------------


def individual_assessment_due(initial_contact_on: date, rulebook: Rulebook) -> date:
    """SOP-INDIVIDUAL-20D: the individual needs assessment is due within 20 days of the
    initial contact at the service."""
    return initial_contact_on + timedelta(days=rulebook.individual_assessment_days)


def late_by_days(due_on: date | None, performed_on: date) -> int:
    """SOP-INDIVIDUAL-20D: days from the due date to the day it was done (0 when on time).
    Late work is recorded and counted, never refused."""
    if due_on is None:
        return 0
    return max(0, (performed_on - due_on).days)


# --- care plans ------------------------------------------------------------------------------


def check_care_plan_basis(assessment: AssessmentFacts, victim_id: UUID) -> None:
    """SOP-CAREPLAN-BASIS: a care plan rests on a completed individual needs assessment of the
    same person."""
    if assessment.victim_id != victim_id or assessment.kind is not AssessmentKind.INDIVIDUAL_NEEDS:
        raise RuleViolation(
            "SOP-CAREPLAN-BASIS",
            "A care plan rests on this person's individual needs assessment.",
        )
    if assessment.status is not AssessmentStatus.COMPLETED:
        raise RuleViolation(
            "SOP-CAREPLAN-BASIS", "The individual needs assessment is not completed yet."
        )


def check_plan_duration(kind: CarePlanKind, planned_months: int, rulebook: Rulebook) -> None:
    """MAN-REHAB-PLAN: an individual rehabilitation plan is realised within 1 to 6 months."""
    low, high = rulebook.rehab_plan_min_months, rulebook.rehab_plan_max_months
    if kind is CarePlanKind.REHABILITATION and not low <= planned_months <= high:
        raise RuleViolation(
            "MAN-REHAB-PLAN",
            f"A rehabilitation plan lasts {low} to {high} months.",
            min_months=low,
            max_months=high,
            planned_months=planned_months,
        )


def check_plan_consent(
    kind: CarePlanKind, consents: Iterable[ConsentFacts], consent_given: bool
) -> None:
    """A plan begins with the person's consent to it (MAN-REHAB-PLAN: "followed by the victim's
    consent to begin the plan"; for the SOP's care plan, SOP-CAREPLAN-BASIS), and their data may
    be processed for it: an active data_processing consent (CONSENT-DISCLOSURE)."""
    if not consent_given:
        rule = "MAN-REHAB-PLAN" if kind is CarePlanKind.REHABILITATION else "SOP-CAREPLAN-BASIS"
        raise ConsentRequired(rule, "The person's consent to begin the plan is needed.")
    if not has_active_consent(consents, ConsentPurpose.DATA_PROCESSING):
        raise ConsentRequired(
            "CONSENT-DISCLOSURE",
            "The person has no active consent to the processing of their data.",
        )


# --- service agreements ----------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementRequest:
    care_plan_status: CarePlanStatus
    consent_given: bool
    term: ServiceTerm
    starts_on: date
    ends_on: date


def check_agreement(request: AgreementRequest, rulebook: Rulebook) -> None:
    """SOP-AGREEMENT-CONSENT, SOP-TERM and SOP-VOT-MAX-1Y."""
    if request.care_plan_status is not CarePlanStatus.ACTIVE:
        raise RuleViolation(
            "SOP-AGREEMENT-CONSENT", "A service agreement rests on an active care plan."
        )
    if not request.consent_given:
        raise ConsentRequired(
            "SOP-AGREEMENT-CONSENT", "A service agreement is signed with the person's consent."
        )
    check_term(request.term, request.starts_on, request.ends_on, rulebook)


def check_term(term: ServiceTerm, starts_on: date, ends_on: date, rulebook: Rulebook) -> None:
    """SOP-TERM: the dates fit the term class (short ≤ 6, medium ≤ 12, long ≤ 36 months,
    counted as SOP-MONTHS); SOP-VOT-MAX-1Y: never longer than one year for a victim of
    trafficking, whatever the class."""
    if ends_on < starts_on:
        raise RuleViolation("SOP-TERM", "The agreement ends before it starts.")
    months = rulebook.term_months[term]
    latest = latest_end(starts_on, months)
    if ends_on > latest:
        raise RuleViolation(
            "SOP-TERM",
            f"A {term.value} service lasts at most {months} months: it ends by {latest}.",
            term_months=months,
            latest_end=latest.isoformat(),
        )
    cap = latest_end(starts_on, rulebook.vot_max_months)
    if ends_on > cap:
        raise RuleViolation(
            "SOP-VOT-MAX-1Y",
            f"A service for a victim of trafficking lasts at most one year: it ends by {cap}.",
            max_months=rulebook.vot_max_months,
            latest_end=cap.isoformat(),
        )


def follow_up_due(contact_ended_on: date, rulebook: Rulebook) -> date:
    """SOP-FOLLOW-UP: when the person ends contact with a service, a follow-up contact is
    arranged after the set period."""
    return contact_ended_on + timedelta(days=rulebook.follow_up_days)
