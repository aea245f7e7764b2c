"""The worklist: what is due or overdue, and under which rule. Pure: facts in, items out (the
database finds and orders the open items: services/worklist.py)."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from uuid import UUID

from app.domain.rulebook import Rulebook


class WorkKind(StrEnum):
    INDIVIDUAL_NEEDS_ASSESSMENT = "individual_needs_assessment"
    MEDICAL_EXAMINATION = "medical_examination"
    MONITORING_REPORT = "monitoring_report"
    FOLLOW_UP_CONTACT = "follow_up_contact"
    AGREEMENT_ENDING = "agreement_ending"
    PSYCHIATRIC_ALERT = "psychiatric_alert"
    PLAN_REVIEW = "plan_review"
    INCIDENT = "incident"
    COMPLAINT = "complaint"
    TRAINING_ENDING = "training_ending"
    RETURN_ARRIVAL = "return_arrival"
    POSSIBLE_DUPLICATE = "possible_duplicate"
    REFERRAL_UNANSWERED = "referral_unanswered"
    REFERRAL_NO_CONTACT = "referral_no_contact"


@dataclass(frozen=True)
class WorkItem:
    kind: WorkKind
    due_on: date
    overdue: bool
    rule: str
    victim_id: UUID | None  # none for an incident that names no resident
    record_id: UUID


# the rule that makes each kind of item due
RULE_OF = {
    WorkKind.INDIVIDUAL_NEEDS_ASSESSMENT: "SOP-INDIVIDUAL-20D",
    WorkKind.MEDICAL_EXAMINATION: "MAN-MEDICAL-EXAM",
    WorkKind.MONITORING_REPORT: "MAN-MONITORING-6M",
    WorkKind.FOLLOW_UP_CONTACT: "SOP-FOLLOW-UP",
    WorkKind.AGREEMENT_ENDING: "SOP-TERM",
    WorkKind.PSYCHIATRIC_ALERT: "MAN-PSYCHIATRIC-ALERT",
    WorkKind.PLAN_REVIEW: "MAN-STAFF-MEETING",
    WorkKind.INCIDENT: "MAN-INCIDENT",
    WorkKind.COMPLAINT: "MAN-COMPLAINT",
    WorkKind.TRAINING_ENDING: "MAN-TRAINING",
    WorkKind.RETURN_ARRIVAL: "MAN-RETURN",
    WorkKind.POSSIBLE_DUPLICATE: "DATA-DUPLICATE",
    WorkKind.REFERRAL_UNANSWERED: "REFERRAL-ANSWER-14D",
    WorkKind.REFERRAL_NO_CONTACT: "REFERRAL-CONTACT-14D",
}


def work_item(
    kind: WorkKind, record_id: UUID, victim_id: UUID | None, due_on: date, today: date
) -> WorkItem:
    """An item due on ``due_on``: overdue strictly after it, under the rule of its kind. The
    record to act on is the referral for an individual needs assessment (the assessment may not
    exist yet) or an escalated referral, the follow-up contact, the agreement, the stay, the
    alert, the care plan, the incident, the complaint, the training, the return or the pair."""
    return WorkItem(kind, due_on, due_on < today, RULE_OF[kind], victim_id, record_id)


def agreement_ending_horizon(today: date, rulebook: Rulebook) -> date:
    """SOP-TERM: an active agreement is on the worklist once it ends on or before this day
    (within the notice period, or run out)."""
    return today + timedelta(days=rulebook.agreement_ending_notice_days)


def training_ending_horizon(today: date, rulebook: Rulebook) -> date:
    """MAN-TRAINING: a training in progress is on the worklist once it ends on or before this
    day (its completion or drop to record)."""
    return today + timedelta(days=rulebook.training_ending_notice_days)


def return_horizon(today: date, rulebook: Rulebook) -> date:
    """MAN-RETURN: a planned or travelling return is on the worklist once its day is on or
    before this one (the meeting at arrival to arrange, the arrival to record)."""
    return today + timedelta(days=rulebook.return_notice_days)


def escalated_before(today: date, days: int) -> date:
    """REFERRAL-ANSWER-14D, REFERRAL-CONTACT-14D: a referral waiting since before this day has
    waited more than ``days`` days; it is escalated, due the day its ``days`` ran out."""
    return today - timedelta(days=days)
