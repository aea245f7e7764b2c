"""The path to long-term support (SOP Measure 3.1, and the manual's case work): referrals,
assessments, care plans, service agreements and follow-up contacts.

Every rule function names its RULES.md id; each takes plain facts and the rulebook and returns a
value or raises RuleViolation / ConsentRequired. "today" is always an argument.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from app.domain.casework import (
    AssessmentKind,
    AssessmentStatus,
    CarePlanKind,
    CarePlanStatus,
    ReferralStatus,
    Service,
)
from app.domain.consent import ConsentFacts, ConsentPurpose, has_active_consent
from app.domain.dates import latest_end
from app.domain.errors import ConsentRequired, RuleViolation
from app.domain.rulebook import Rulebook, ServiceTerm
from app.domain.vocabulary import Funding, LicenceTargetGroup, OrganisationKind

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
    organisation_id: UUID | None = None  # the organisation that made it


@dataclass(frozen=True)
class ReferralRequest:
    """What a new referral is checked against."""

    victim_id: UUID
    victim_organisation_id: UUID
    to_organisation_id: UUID
    service: Service
    funding: Funding
    receiver_funding: Funding | None
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
    check_funding(request.funding, request.receiver_funding)
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


def check_funding(funding: Funding, receiver_funding: Funding | None) -> None:
    """SOP-INA: a service funded as a state-delegated activity is referred to as one (with the
    INA); declaring other funding does not skip the INA."""
    if receiver_funding is Funding.STATE_DELEGATED and funding is not Funding.STATE_DELEGATED:
        raise RuleViolation(
            "SOP-INA",
            "The receiving service is funded as a state-delegated activity: it is referred to "
            "with the initial needs assessment.",
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
    if service is Service.FAMILY_COUNSELLING:
        check_family_involvement(consents, family_risk_completed)


def check_family_involvement(consents: Iterable[ConsentFacts], family_risk_completed: bool) -> None:
    """SOP-FAMILY: family or friends are involved only with the person's consent and after a
    completed family risk assessment."""
    if not has_active_consent(consents, ConsentPurpose.FAMILY_INVOLVEMENT):
        raise ConsentRequired(
            "SOP-FAMILY", "The person has not consented to involving their family or friends."
        )
    if not family_risk_completed:
        raise RuleViolation(
            "SOP-FAMILY", "Involving the family needs a completed family risk assessment first."
        )


# --- assessments -----------------------------------------------------------------------------


def check_ina_issuer(kind: AssessmentKind, organisation_kind: OrganisationKind) -> None:
    """SOP-INA: the initial needs assessment is issued by the Social Assistance Directorate (a
    state agency)."""
    if (
        kind is AssessmentKind.INITIAL_NEEDS
        and organisation_kind is not OrganisationKind.STATE_AGENCY
    ):
        raise RuleViolation(
            "SOP-INA",
            "The initial needs assessment is issued by a social worker of the Social Assistance "
            "Directorate (a state agency).",
        )


def check_initial_contact_made(status: ReferralStatus, due_on: date | None) -> date:
    """SOP-INDIVIDUAL-20D: the individual needs assessment follows the initial contact at the
    service, which set its due date."""
    if status is not ReferralStatus.IN_PROGRESS or due_on is None:
        raise RuleViolation(
            "SOP-INDIVIDUAL-20D",
            "The individual needs assessment follows the initial contact at the service: "
            "record the initial contact first.",
        )
    return due_on


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
    """A plan begins with the person's consent to it (MAN-REHAB-PLAN: the plan is "followed by
    the victim's consent to begin the plan"; the SOP's care plan likewise), and their data are
    processed for it only with their consent: an active data_processing consent
    (CONSENT-DISCLOSURE: "any information on victims shall be disseminated upon their personal
    consent only")."""
    if not consent_given:
        raise ConsentRequired(
            "MAN-REHAB-PLAN", f"The person's consent to begin the {kind.value} plan is needed."
        )
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
    provider_id: UUID
    provider_licences: tuple[LicenceFacts, ...]
    case_organisation_id: UUID
    consents: tuple[ConsentFacts, ...]


def check_agreement(request: AgreementRequest, rulebook: Rulebook) -> None:
    """SOP-AGREEMENT-CONSENT, SOP-TERM and SOP-VOT-MAX-1Y; and, as for a referral, a licensed
    provider (SOP-LICENCE) that the person agreed to share their case with
    (CONSENT-DISCLOSURE)."""
    if request.care_plan_status is not CarePlanStatus.ACTIVE:
        raise RuleViolation(
            "SOP-AGREEMENT-CONSENT", "A service agreement rests on an active care plan."
        )
    if not request.consent_given:
        raise ConsentRequired(
            "SOP-AGREEMENT-CONSENT", "A service agreement is signed with the person's consent."
        )
    check_term(request.term, request.starts_on, request.ends_on, rulebook)
    check_licence(request.provider_licences, request.starts_on)
    check_disclosure(request.consents, request.provider_id, request.case_organisation_id)


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
