"""The worklist: what is due or overdue, and under which rule. Pure: facts in, items out."""

from collections.abc import Iterable
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


@dataclass(frozen=True)
class WorkItem:
    kind: WorkKind
    due_on: date
    overdue: bool
    rule: str
    victim_id: UUID
    record_id: UUID


def _item(
    kind: WorkKind, due_on: date, rule: str, victim_id: UUID, record_id: UUID, today: date
) -> WorkItem:
    return WorkItem(kind, due_on, due_on < today, rule, victim_id, record_id)


def individual_assessment_item(
    referral_id: UUID, victim_id: UUID, due_on: date, today: date
) -> WorkItem:
    """SOP-INDIVIDUAL-20D: from the initial contact until the assessment is completed; the
    record to act on is the referral (the assessment may not exist yet)."""
    kind = WorkKind.INDIVIDUAL_NEEDS_ASSESSMENT
    return _item(kind, due_on, "SOP-INDIVIDUAL-20D", victim_id, referral_id, today)


def follow_up_item(follow_up_id: UUID, victim_id: UUID, due_on: date, today: date) -> WorkItem:
    """SOP-FOLLOW-UP: a follow-up contact not yet recorded."""
    kind = WorkKind.FOLLOW_UP_CONTACT
    return _item(kind, due_on, "SOP-FOLLOW-UP", victim_id, follow_up_id, today)


def agreement_ending_item(
    agreement_id: UUID, victim_id: UUID, ends_on: date, today: date, rulebook: Rulebook
) -> WorkItem | None:
    """SOP-TERM: an active agreement that ends within the notice period (or has run out)."""
    if ends_on > today + timedelta(days=rulebook.agreement_ending_notice_days):
        return None
    return _item(WorkKind.AGREEMENT_ENDING, ends_on, "SOP-TERM", victim_id, agreement_id, today)


def sort_key(item: WorkItem) -> tuple[str, str, str]:
    return (item.due_on.isoformat(), item.kind.value, str(item.record_id))


def medical_examination_item(stay_id: UUID, victim_id: UUID, due_on: date, today: date) -> WorkItem:
    """MAN-MEDICAL-EXAM: from admission until a medical assessment is recorded."""
    kind = WorkKind.MEDICAL_EXAMINATION
    return _item(kind, due_on, "MAN-MEDICAL-EXAM", victim_id, stay_id, today)


def monitoring_report_item(stay_id: UUID, victim_id: UUID, due_on: date, today: date) -> WorkItem:
    """MAN-MONITORING-6M: from discharge until the Annex 7 report is recorded."""
    kind = WorkKind.MONITORING_REPORT
    return _item(kind, due_on, "MAN-MONITORING-6M", victim_id, stay_id, today)


def psychiatric_alert_item(
    alert_id: UUID, victim_id: UUID, raised_on: date, today: date
) -> WorkItem:
    """MAN-PSYCHIATRIC-ALERT: due at once, until acknowledged."""
    kind = WorkKind.PSYCHIATRIC_ALERT
    return _item(kind, raised_on, "MAN-PSYCHIATRIC-ALERT", victim_id, alert_id, today)


def plan_review_item(plan_id: UUID, victim_id: UUID, due_on: date, today: date) -> WorkItem:
    """MAN-STAFF-MEETING: an admitted resident's active rehabilitation plan, due for the weekly
    staff meeting."""
    kind = WorkKind.PLAN_REVIEW
    return _item(kind, due_on, "MAN-STAFF-MEETING", victim_id, plan_id, today)


def ordered(items: Iterable[WorkItem]) -> list[WorkItem]:
    """Soonest first; the overdue are the earliest."""
    return sorted(items, key=sort_key)
