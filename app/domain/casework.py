"""The vocabulary and the state machines of case work: services, statuses, kinds, stages, and
the transition tables (state, action) → next state that decide every status change."""

from collections.abc import Mapping
from enum import StrEnum

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
    # MAN 3.0.4: the shelter staff's first interview, before admission (MAN-PRIMARY-INTERVIEW)
    PRIMARY_INTERVIEW = "primary_interview"
    # MAN 3.0.6: the coordinator's status identification interview
    STATUS_IDENTIFICATION = "status_identification"
    # MAN III 3.0.3: the expert group's view of a candidate for a micro-enterprise
    BUSINESS_CANDIDACY = "business_candidacy"


class AssessmentStatus(StrEnum):
    DRAFT = "draft"
    COMPLETED = "completed"


class CarePlanKind(StrEnum):
    CARE = "care"  # the SOP's individual care plan
    REHABILITATION = "rehabilitation"  # the manual's individual rehabilitation plan
    REINTEGRATION = "reintegration"  # the manual's reintegration plan (chapter III)


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


class FollowUpTrigger(StrEnum):
    """MAN-EXIT: the exit that arranged the follow-up contact."""

    AGREEMENT_ENDED = "agreement_ended"
    REFERRAL_COMPLETED = "referral_completed"
    REFERRAL_DECLINED = "referral_declined"
    DISCHARGED = "discharged"
    CASE_CLOSED = "case_closed"
    RETURNED = "returned"  # MAN-RETURN: arrived home or with the family


class SessionKind(StrEnum):
    """MAN-SESSIONS: individual, group and family counselling (MAN II 5.4; SOP Steps 3–4)."""

    INDIVIDUAL = "individual"
    GROUP = "group"
    FAMILY = "family"


class SessionMethod(StrEnum):
    """The methods the manual names (MAN II 5.4) and the SOP's skills work (Steps 5–6)."""

    COUNSELLING = "counselling"
    PSYCHOTHERAPY = "psychotherapy"
    ART_THERAPY = "art_therapy"
    GESTALT = "gestalt"
    GROUP_THERAPY = "group_therapy"
    SOCIAL_SKILLS = "social_skills"
    PROFESSIONAL_ORIENTATION = "professional_orientation"
    OTHER = "other"


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
OPEN_REFERRAL_STATES = frozenset({_R.REQUESTED, _R.ACCEPTED, _R.IN_PROGRESS})

ASSESSMENT_STEPS: Mapping[tuple[AssessmentStatus, str], AssessmentStatus] = {
    (AssessmentStatus.DRAFT, "complete"): AssessmentStatus.COMPLETED,
}

_C = CarePlanStatus
CARE_PLAN_STEPS: Mapping[tuple[CarePlanStatus, str], CarePlanStatus] = {
    (_C.DRAFT, "review"): _C.DRAFT,  # a staff meeting reviews a plan until it ends
    (_C.ACTIVE, "review"): _C.ACTIVE,
    (_C.DRAFT, "activate"): _C.ACTIVE,
    (_C.ACTIVE, "complete"): _C.COMPLETED,
    (_C.ACTIVE, "terminate"): _C.TERMINATED,
}
OPEN_PLAN_STATES = frozenset({_C.DRAFT, _C.ACTIVE})

_A = AgreementStatus
AGREEMENT_STEPS: Mapping[tuple[AgreementStatus, str], AgreementStatus] = {
    (_A.ACTIVE, "terminate"): _A.TERMINATED,
    (_A.ACTIVE, "complete"): _A.COMPLETED,
}

FOLLOW_UP_STEPS: Mapping[tuple[FollowUpStatus, str], FollowUpStatus] = {
    (FollowUpStatus.DUE, "record"): FollowUpStatus.DONE,
}
