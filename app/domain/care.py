"""Care at the shelter and after it (MAN Part II): the basis of each kind of plan, the weekly
staff-meeting review, counselling sessions, and what every exit leaves with the person.

Every rule function names its RULES.md id; facts in, values or RuleViolation out.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from app.domain.casework import AssessmentKind, AssessmentStatus, CarePlanKind, SessionKind
from app.domain.consent import ConsentFacts
from app.domain.errors import RuleViolation
from app.domain.pathway import AssessmentFacts, check_care_plan_basis, check_family_involvement
from app.domain.rulebook import Rulebook

# the manual's plans rest on the interview of the profession that draws them up (MAN II 5.3)
MANUAL_PLAN_BASIS: Mapping[CarePlanKind, AssessmentKind] = {
    CarePlanKind.REHABILITATION: AssessmentKind.PSYCHOLOGICAL,
    CarePlanKind.REINTEGRATION: AssessmentKind.REINTEGRATION,
}


def check_plan_basis(
    kind: CarePlanKind, basis: AssessmentFacts, victim_id: UUID, plan_organisation: UUID
) -> None:
    """SOP-CAREPLAN-BASIS for the SOP's care plan; MAN-REHAB-BASIS for the manual's plans: a
    rehabilitation plan rests on a completed psychological assessment, a reintegration plan on
    a completed reintegration assessment, of the same person by the plan's own organisation
    (no referral needed: the shelter plans for its own resident)."""
    if kind is CarePlanKind.CARE:
        check_care_plan_basis(basis, victim_id)
        return
    wanted = MANUAL_PLAN_BASIS[kind]
    if basis.victim_id != victim_id or basis.kind is not wanted:
        raise RuleViolation(
            "MAN-REHAB-BASIS",
            f"A {kind.value} plan is drawn up on this person's {wanted.value} assessment.",
            basis_kind=wanted.value,
        )
    if basis.organisation_id != plan_organisation:
        raise RuleViolation(
            "MAN-REHAB-BASIS",
            f"A {kind.value} plan rests on an assessment made by the plan's own organisation.",
        )
    if basis.status is not AssessmentStatus.COMPLETED:
        raise RuleViolation("MAN-REHAB-BASIS", f"The {wanted.value} assessment is not completed.")


def plan_review_due(activated_on: date, last_review_on: date | None, rulebook: Rulebook) -> date:
    """MAN-STAFF-MEETING: a plan review is due 7 days after the plan was activated or last
    reviewed (a review held before activation does not count)."""
    since = activated_on if last_review_on is None else max(activated_on, last_review_on)
    return since + timedelta(days=rulebook.plan_review_days)


@dataclass(frozen=True)
class SessionRequest:
    kind: SessionKind
    participants: int
    notes_given: bool
    author_reads_notes: bool  # MAN-SESSIONS: notes are psychological data


def check_session(request: SessionRequest) -> None:
    """MAN-SESSIONS: an individual or family session is with one person, a group session with
    several; notes are psychological data, written by those who may read them."""
    one_person = request.kind in (SessionKind.INDIVIDUAL, SessionKind.FAMILY)
    if one_person and request.participants != 1:
        raise RuleViolation(
            "MAN-SESSIONS",
            f"An {request.kind.value} session is with one person.",
            participants=request.participants,
        )
    if request.kind is SessionKind.GROUP and request.participants < 2:
        raise RuleViolation(
            "MAN-SESSIONS",
            "A group session names two or more persons.",
            participants=request.participants,
        )
    if request.notes_given and not request.author_reads_notes:
        raise RuleViolation(
            "MAN-SESSIONS",
            "Session notes are psychological data: the psychologist writes them.",
        )


def check_family_session(consents: Iterable[ConsentFacts], family_risk_completed: bool) -> None:
    """MAN-SESSIONS: a family session needs SOP-FAMILY (consent and a completed family risk
    assessment)."""
    check_family_involvement(consents, family_risk_completed)


@dataclass(frozen=True)
class PlanPeriod:
    activated_on: date | None
    ended_on: date | None


def check_session_in_plan(held_on: date, plan: PlanPeriod) -> None:
    """MAN-SESSIONS: a session realises a plan while the plan runs (from its activation to its
    end)."""
    started = plan.activated_on is not None and held_on >= plan.activated_on
    if not started or (plan.ended_on is not None and held_on > plan.ended_on):
        raise RuleViolation(
            "MAN-SESSIONS", "A session of a plan is held while the plan runs (active)."
        )


def check_exit_information(information: str | None) -> None:
    """MAN-EXIT: every exit records the information given to the person (leaflets, contacts),
    so that they can seek help again when they need it."""
    if not (information or "").strip():
        raise RuleViolation(
            "MAN-EXIT",
            "Record the information given to the person on leaving (leaflets, contacts).",
        )
