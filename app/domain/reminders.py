"""The daily digest a staff member asks for (issue 19): how much of their worklist is due and how
much is overdue, by kind, with links into the frontend. Counts only: no name, no case, no
record id, so that a message read over someone's shoulder or kept by a mail provider tells
nothing about any person."""

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from app.domain.worklist import WorkKind

# how each kind reads in the digest (the frontend's own labels follow GET /vocabulary)
LABELS = {
    WorkKind.INDIVIDUAL_NEEDS_ASSESSMENT: "Individual needs assessments",
    WorkKind.MEDICAL_EXAMINATION: "Medical examinations",
    WorkKind.MONITORING_REPORT: "Monitoring reports",
    WorkKind.FOLLOW_UP_CONTACT: "Follow-up contacts",
    WorkKind.AGREEMENT_ENDING: "Service agreements ending",
    WorkKind.PSYCHIATRIC_ALERT: "Psychiatric alerts",
    WorkKind.PLAN_REVIEW: "Plan reviews",
    WorkKind.INCIDENT: "Incidents",
    WorkKind.COMPLAINT: "Complaints",
    WorkKind.TRAINING_ENDING: "Trainings ending",
    WorkKind.RETURN_ARRIVAL: "Returns due",
    WorkKind.POSSIBLE_DUPLICATE: "Possible duplicate records",
    WorkKind.REFERRAL_UNANSWERED: "Referrals unanswered",
    WorkKind.REFERRAL_NO_CONTACT: "Referrals without initial contact",
}


@dataclass(frozen=True)
class KindCount:
    kind: WorkKind
    total: int
    overdue: int


@dataclass(frozen=True)
class Digest:
    subject: str
    text: str


def digest(day: date, counts: list[KindCount], frontend_url: str) -> Digest:
    overdue = sum(c.overdue for c in counts)
    due = sum(c.total for c in counts) - overdue
    base = frontend_url.rstrip("/")
    lines = [
        f"Your worklist on {day.isoformat()}: {overdue} overdue, {due} due.",
        "",
    ]
    for count in counts:
        link = f"{base}/worklist?{urlencode({'kind': count.kind.value})}"
        lines.append(
            f"- {LABELS[count.kind]}: {count.overdue} overdue, "
            f"{count.total - count.overdue} due — {link}"
        )
    if not counts:
        lines.append("Nothing is due.")
    lines += [
        "",
        f"Open your worklist: {base}/worklist",
        "",
        "This message names no one. You asked for it in your account's reminder settings;",
        f"to stop it, turn the daily digest off there: {base}/settings/reminders",
    ]
    subject = f"Worklist {day.isoformat()}: {overdue} overdue, {due} due"
    return Digest(subject, "\n".join(lines) + "\n")
