"""Protection (MAN II 2.0, 1.2.2, 4.0.5, Annex 3): legal counselling, what is disclosed to law
enforcement, incidents at a shelter and residents' complaints. Pure: facts in, refusals out."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TypeVar
from uuid import UUID

from app.domain.consent import ConsentFacts, ConsentPurpose
from app.domain.errors import ConsentRequired, InvalidValue, RuleViolation
from app.domain.rulebook import Rulebook


class LegalOption(StrEnum):
    """MAN-LEGAL-ADVICE: what the person may choose, each explained by the legal counsellor."""

    NO_COOPERATION = "no_cooperation"
    INTELLIGENCE_ONLY = "intelligence_only"  # a source of information
    WITNESS = "witness"
    COMPENSATION = "compensation"  # civil redress


class LegalDecision(StrEnum):
    """The person's own decision: one of the options, or not yet."""

    UNDECIDED = "undecided"
    NO_COOPERATION = "no_cooperation"
    INTELLIGENCE_ONLY = "intelligence_only"
    WITNESS = "witness"
    COMPENSATION = "compensation"


class CourtReadiness(StrEnum):
    """The psychologist's recommendation on whether the person can face proceedings."""

    READY = "ready"
    READY_WITH_SUPPORT = "ready_with_support"
    NOT_READY = "not_ready"


class DisclosureRecipient(StrEnum):
    LAW_ENFORCEMENT = "law_enforcement"
    COURT = "court"
    OTHER = "other"


class IncidentKind(StrEnum):
    """MAN 4.0.5: an attack, a threat, an inquiry by a state body, any irregular situation."""

    ATTACK = "attack"
    THREAT = "threat"
    STATE_INQUIRY = "state_inquiry"
    IRREGULAR_SITUATION = "irregular_situation"
    MEDICAL_EMERGENCY = "medical_emergency"


class ComplaintKind(StrEnum):
    RIGHTS_DISREGARDED = "rights_disregarded"  # Annex 3: a private meeting asked for
    STAFF_CONDUCT = "staff_conduct"  # MAN 1.2.2: about a member of staff


class ComplaintStatus(StrEnum):
    OPEN = "open"
    MEETING_HELD = "meeting_held"
    RESOLVED = "resolved"


COMPLAINT_STEPS: Mapping[tuple[ComplaintStatus, str], ComplaintStatus] = {
    (ComplaintStatus.OPEN, "meeting"): ComplaintStatus.MEETING_HELD,
    (ComplaintStatus.OPEN, "resolve"): ComplaintStatus.RESOLVED,
    (ComplaintStatus.MEETING_HELD, "resolve"): ComplaintStatus.RESOLVED,
}


# --- legal counselling -------------------------------------------------------------------------


A = TypeVar("A")


def approval_given(approval: A | None) -> A:
    """MAN-LEGAL-ADVICE: legal counselling happens only with the psychologist's approval."""
    if approval is None:
        raise RuleViolation(
            "MAN-LEGAL-ADVICE", "Legal counselling needs the psychologist's prior approval."
        )
    return approval


@dataclass(frozen=True)
class PsychologistApproval:
    """Who approved the consultation, as the directory knows them, and when."""

    by_psychologist: bool  # an active psychologist's account
    sees_case: bool  # of an organisation that sees the person's case
    signed_agreement: bool  # whose Annex 4 is recorded (MAN-STAFF-CONFIDENTIALITY)
    on: date


def check_legal_consultation(
    approval: PsychologistApproval, held_on: date, explained: Iterable[LegalOption]
) -> None:
    """MAN-LEGAL-ADVICE: the psychologist's approval comes first, from one who signed the staff
    confidentiality agreement, and every option is explained before the person decides."""
    if not (approval.by_psychologist and approval.sees_case):
        raise RuleViolation(
            "MAN-LEGAL-ADVICE",
            "The approval is a psychologist's of an organisation that sees the case.",
        )
    if not approval.signed_agreement:
        raise RuleViolation(
            "MAN-LEGAL-ADVICE",
            "The approving psychologist's confidentiality agreement is recorded "
            "(MAN-STAFF-CONFIDENTIALITY).",
        )
    if approval.on > held_on:
        raise RuleViolation(
            "MAN-LEGAL-ADVICE", "The psychologist approves before the consultation is held."
        )
    missing = sorted(set(LegalOption) - set(explained))
    if missing:
        raise RuleViolation(
            "MAN-LEGAL-ADVICE",
            "Every option is explained before the person decides: " + ", ".join(missing) + ".",
        )


# --- disclosures -------------------------------------------------------------------------------


def disclosure_consent(consents: Iterable[tuple[UUID, ConsentFacts]], disclosed_on: date) -> UUID:
    """MAN-LEGAL-ADVICE: nothing goes to law enforcement, a court or another body without the
    person's active consent to cooperate, given on or before the day of the disclosure; the
    disclosure rests on that consent (its id). A consent of unknown date proves nothing."""
    for consent_id, consent in consents:
        if (
            consent.active
            and consent.purpose is ConsentPurpose.LAW_ENFORCEMENT_COOPERATION
            and consent.given_on is not None
            and consent.given_on <= disclosed_on
        ):
            return consent_id
    raise ConsentRequired(
        "MAN-LEGAL-ADVICE",
        "Nothing is disclosed without the person's active consent to cooperate with law "
        "enforcement, given on or before the day of the disclosure.",
    )


# --- complaints --------------------------------------------------------------------------------


def check_complaint(kind: ComplaintKind, about_user_id: UUID | None, recorder_id: UUID) -> None:
    """MAN-COMPLAINT: a complaint about conduct names the member of staff, a request for a
    private meeting names no one; the person named does not record the complaint about them."""
    if kind is ComplaintKind.STAFF_CONDUCT and about_user_id is None:
        raise InvalidValue("about_user_id", "A complaint about conduct names the staff member.")
    if kind is ComplaintKind.RIGHTS_DISREGARDED and about_user_id is not None:
        raise InvalidValue("about_user_id", "Only a complaint about conduct names a staff member.")
    if about_user_id is not None and about_user_id == recorder_id:
        raise RuleViolation(
            "MAN-COMPLAINT", "A complaint about a staff member is not recorded by that member."
        )


def complaint_meeting_due(received_on: date, rulebook: Rulebook) -> date:
    """MAN-COMPLAINT: the private meeting is held within the set days of the complaint."""
    return received_on + timedelta(days=rulebook.complaint_meeting_days)
