"""The worklist: what the caller's organisation must do next, across the cases it sees. A closed
case leaves it, but for its follow-up contacts, its monitoring reports and an alert not yet
acknowledged (MAN-CASE-CLOSE, MAN-PSYCHIATRIC-ALERT).

Served by the database in keyset pages: each kind of item is one SELECT of (due date, record,
person), cut at the cursor and at the page size, and their UNION ALL is ordered and cut again.
One statement per page, whatever the caseload; nothing is sorted in Python.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from sqlalchemy import (
    Date,
    Integer,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    exists,
    literal,
    null,
    or_,
    tuple_,
    union_all,
)
from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Action, can
from app.domain.casework import (
    AgreementStatus,
    AssessmentKind,
    AssessmentStatus,
    CarePlanKind,
    CarePlanStatus,
    FollowUpStatus,
    ReferralStatus,
)
from app.domain.errors import InvalidValue
from app.domain.protection import ComplaintStatus
from app.domain.reintegration import OPEN_RETURN_STATES, TrainingStatus
from app.domain.roles import Role
from app.domain.rulebook import Rulebook
from app.domain.shelter import StayStatus
from app.domain.worklist import (
    WorkItem,
    WorkKind,
    agreement_ending_horizon,
    escalated_before,
    return_horizon,
    training_ending_horizon,
    work_item,
)
from app.models import (
    Alert,
    Assessment,
    CarePlan,
    CarePlanReview,
    CaseAssignment,
    Complaint,
    FollowUpContact,
    Incident,
    MonitoringReport,
    PossibleDuplicate,
    Referral,
    Return,
    ServiceAgreement,
    Shelter,
    ShelterStay,
    Training,
)
from app.security import Principal
from app.services import audit
from app.services.pagination import PageParams
from app.services.scope import kept_by_caller, person_seen_per_record, victim_in_work
from app.services.sql import add_days


@dataclass(frozen=True)
class _Source:
    """One kind of item: its due date, the record to act on and the person, and the
    conditions that make it open for the caller."""

    kind: WorkKind
    due_on: Any
    record_id: Any
    victim_id: Any
    conditions: Sequence[Any]
    joins: Sequence[tuple[Any, Any]] = ()


@dataclass(frozen=True)
class _After:
    due_on: date
    kind: str
    record_id: UUID


# the values a page changes; the statement around them is built once per caller's scope
_HORIZON = bindparam("worklist_horizon", type_=Date())
_PLAN_REVIEW_DAYS = bindparam("worklist_plan_review_days", type_=Integer())
_SIZE = bindparam("worklist_size", type_=Integer())
_AFTER_DUE = bindparam("worklist_after_due", type_=Date())
_AFTER_KIND = bindparam("worklist_after_kind", type_=String())
_AFTER_RECORD = bindparam("worklist_after_record", type_=Uuid())
_TRAINING_HORIZON = bindparam("worklist_training_horizon", type_=Date())
_RETURN_HORIZON = bindparam("worklist_return_horizon", type_=Date())
_ACTOR = bindparam("worklist_actor", type_=Uuid())  # a complaint never reaches whom it names
_UNANSWERED_BEFORE = bindparam("worklist_unanswered_before", type_=Date())
_NO_CONTACT_BEFORE = bindparam("worklist_no_contact_before", type_=Date())
_ANSWER_DAYS = bindparam("worklist_answer_days", type_=Integer())
_CONTACT_DAYS = bindparam("worklist_contact_days", type_=Integer())
_TODAY = bindparam("worklist_today", type_=Date())  # the counts' overdue line


async def page_for(
    session: AsyncSession,
    principal: Principal,
    today: date,
    rulebook: Rulebook,
    page: PageParams,
    mine: bool = False,
) -> tuple[list[WorkItem], str | None]:
    """One page of the caller's items, soonest first; each person shown is an audited read.
    ``mine``: only the items of the cases the caller holds (CASELOAD-TRANSFER)."""
    after = _decode(page.cursor) if page.cursor is not None else None
    query = _statement(principal.role, principal.organisation_id, after is not None, mine)
    values = _values(principal, today, rulebook) | {"worklist_size": page.limit + 1}
    if after is not None:
        values |= {
            "worklist_after_due": after.due_on,
            "worklist_after_kind": after.kind,
            "worklist_after_record": after.record_id,
        }
    rows = (await session.exec(query, params=values)).all()
    shown = [work_item(WorkKind(k), record, victim, due, today) for due, k, record, victim in rows]
    shown, more = shown[: page.limit], len(shown) > page.limit
    reads = [(i.record_id, i.victim_id) for i in shown if i.victim_id is not None]
    audit.record_reads(session, principal, "work_item", reads)
    return shown, _encode(shown[-1]) if more else None


async def counts_for(
    session: AsyncSession, principal: Principal, today: date, rulebook: Rulebook
) -> list[tuple[WorkKind, int, int]]:
    """How many items of each kind the caller has, and how many of them are overdue: counted by
    the database, naming nobody (the daily digest's numbers)."""
    query = _count_statement(principal.role, principal.organisation_id)
    values = _values(principal, today, rulebook) | {"worklist_today": today}
    rows = (await session.exec(query, params=values)).all()
    return [(WorkKind(kind), total, overdue) for kind, total, overdue in rows]


def _values(principal: Principal, today: date, rulebook: Rulebook) -> dict[str, Any]:
    return {
        "worklist_horizon": agreement_ending_horizon(today, rulebook),
        "worklist_plan_review_days": rulebook.plan_review_days,
        "worklist_actor": principal.actor_id,
        "worklist_training_horizon": training_ending_horizon(today, rulebook),
        "worklist_return_horizon": return_horizon(today, rulebook),
        "worklist_unanswered_before": escalated_before(today, rulebook.referral_answer_days),
        "worklist_no_contact_before": escalated_before(today, rulebook.referral_contact_days),
        "worklist_answer_days": rulebook.referral_answer_days,
        "worklist_contact_days": rulebook.referral_contact_days,
    }


@lru_cache(maxsize=64)
def _count_statement(role: Role, organisation_id: UUID | None) -> Any:
    caller = Principal("user", UUID(int=0), role, organisation_id, None)
    branches = [_select(s, paged=False, limited=False).subquery() for s in _sources(caller)]
    items = union_all(*(select(*branch.c) for branch in branches)).subquery()
    overdue = func.sum(case((items.c.due_on < _TODAY, 1), else_=0))
    return (
        select(items.c.kind, func.count(), func.coalesce(overdue, 0))
        .group_by(items.c.kind)
        .order_by(items.c.kind)
    )


@lru_cache(maxsize=256)
def _statement(role: Role, organisation_id: UUID | None, paged: bool, mine: bool) -> Any:
    """The worklist of one role in one organisation, with or without a cursor, built once and
    kept: building it and its cache key cost 5 ms of Python a request (bench/README.md). The
    sources read the caller's role and organisation only, so these are the key."""
    caller = Principal("user", UUID(int=0), role, organisation_id, None)
    sources = _sources(caller)
    held = _held_by_caller(organisation_id) if mine else None
    branches = [_select(source, paged, held).subquery() for source in sources]
    items = union_all(*(select(*branch.c) for branch in branches)).subquery()
    return (
        select(items.c.due_on, items.c.kind, items.c.record_id, items.c.victim_id)
        .order_by(items.c.due_on, items.c.kind, items.c.record_id)
        .limit(_SIZE)
    )


def _held_by_caller(organisation_id: UUID | None) -> Any:
    """The person's case is held by the caller for their organisation."""

    def held(victim_id: Any) -> Any:
        return exists().where(
            col(CaseAssignment.organisation_id) == organisation_id,
            col(CaseAssignment.victim_id) == victim_id,
            col(CaseAssignment.user_id) == _ACTOR,
        )

    return held


def _select(source: _Source, paged: bool, held: Any = None, limited: bool = True) -> Any:
    kind = literal(source.kind.value, type_=String())
    query = select(
        source.due_on.label("due_on"),
        kind.label("kind"),
        source.record_id.label("record_id"),
        source.victim_id.label("victim_id"),
    )
    for target, on in source.joins:
        query = query.join(target, on)
    query = query.where(*source.conditions)
    if held is not None:  # an item that names no person is nobody's own
        query = query.where(held(source.victim_id))
    if paged:  # past the cursor in (due date, kind, record) order
        beyond = tuple_(source.due_on, kind, source.record_id)
        query = query.where(beyond > tuple_(_AFTER_DUE, _AFTER_KIND, _AFTER_RECORD))
    if not limited:
        return query
    return query.order_by(source.due_on, source.record_id).limit(_SIZE)


def _sources(principal: Principal) -> list[_Source]:
    sources = [
        _individual_assessments(principal),
        _follow_ups(principal),
        _agreements_ending(principal),
        _medical_examinations(principal),
        _monitoring_reports(principal),
        _plan_reviews(principal),
        _trainings_ending(principal),
        _returns_due(principal),
        _referrals_unanswered(principal),
        _referrals_without_contact(principal),
    ]
    # what reaches the shelter manager and the coordinator at once
    if can(principal.role, Action.ALERT_ACKNOWLEDGE):  # MAN-PSYCHIATRIC-ALERT
        sources.append(_psychiatric_alerts(principal))
    if can(principal.role, Action.INCIDENT_ACKNOWLEDGE):  # MAN-INCIDENT
        sources.append(_incidents(principal))
    if can(principal.role, Action.COMPLAINT_HANDLE):  # MAN-COMPLAINT
        sources.append(_complaints(principal))
    if can(principal.role, Action.DUPLICATE_RESOLVE):  # DATA-DUPLICATE: the coordinator's
        sources.append(_possible_duplicates(principal))
    return sources


def _individual_assessments(principal: Principal) -> _Source:
    """SOP-INDIVIDUAL-20D: the service that made the initial contact owes the assessment."""
    done = exists().where(
        col(Assessment.referral_id) == col(Referral.id),
        col(Assessment.kind) == AssessmentKind.INDIVIDUAL_NEEDS,
        col(Assessment.status) == AssessmentStatus.COMPLETED,
    )
    return _Source(
        WorkKind.INDIVIDUAL_NEEDS_ASSESSMENT,
        col(Referral.individual_assessment_due_on),
        col(Referral.id),
        col(Referral.victim_id),
        [
            col(Referral.status) == ReferralStatus.IN_PROGRESS,
            col(Referral.individual_assessment_due_on).is_not(None),
            kept_by_caller(principal, Referral.to_organisation_id),
            victim_in_work(principal, col(Referral.victim_id)),
            ~done,
        ],
    )


def _follow_ups(principal: Principal) -> _Source:
    """SOP-FOLLOW-UP: on a closed case too (MAN-CASE-CLOSE)."""
    return _Source(
        WorkKind.FOLLOW_UP_CONTACT,
        col(FollowUpContact.due_on),
        col(FollowUpContact.id),
        col(FollowUpContact.victim_id),
        [
            col(FollowUpContact.status) == FollowUpStatus.DUE,
            kept_by_caller(principal, FollowUpContact.organisation_id),
            person_seen_per_record(principal, col(FollowUpContact.victim_id)),
        ],
    )


def _agreements_ending(principal: Principal) -> _Source:
    """SOP-TERM: an active agreement ending within the notice period (or run out)."""
    return _Source(
        WorkKind.AGREEMENT_ENDING,
        col(ServiceAgreement.ends_on),
        col(ServiceAgreement.id),
        col(ServiceAgreement.victim_id),
        [
            col(ServiceAgreement.status) == AgreementStatus.ACTIVE,
            col(ServiceAgreement.ends_on) <= _HORIZON,
            kept_by_caller(principal, ServiceAgreement.organisation_id)
            | kept_by_caller(principal, ServiceAgreement.provider_organisation_id),
            victim_in_work(principal, col(ServiceAgreement.victim_id)),
        ],
    )


_AT_OUR_SHELTERS = ((Shelter, col(Shelter.id) == col(ShelterStay.shelter_id)),)


def _medical_examinations(principal: Principal) -> _Source:
    """MAN-MEDICAL-EXAM: admitted, and no medical assessment completed since admission."""
    examined = exists().where(
        col(Assessment.victim_id) == col(ShelterStay.victim_id),
        col(Assessment.kind) == AssessmentKind.MEDICAL,
        col(Assessment.status) == AssessmentStatus.COMPLETED,
        col(Assessment.performed_on) >= col(ShelterStay.admitted_on),
    )
    return _Source(
        WorkKind.MEDICAL_EXAMINATION,
        col(ShelterStay.medical_exam_due_on),
        col(ShelterStay.id),
        col(ShelterStay.victim_id),
        [
            col(ShelterStay.status) == StayStatus.ADMITTED,
            col(ShelterStay.medical_exam_due_on).is_not(None),
            kept_by_caller(principal, Shelter.organisation_id),
            victim_in_work(principal, col(ShelterStay.victim_id)),
            ~examined,
        ],
        _AT_OUR_SHELTERS,
    )


def _monitoring_reports(principal: Principal) -> _Source:
    """MAN-MONITORING-6M: discharged, and no Annex 7 report yet; on a closed case too."""
    reported = exists().where(col(MonitoringReport.stay_id) == col(ShelterStay.id))
    return _Source(
        WorkKind.MONITORING_REPORT,
        col(ShelterStay.monitoring_due_on),
        col(ShelterStay.id),
        col(ShelterStay.victim_id),
        [
            col(ShelterStay.status) == StayStatus.DISCHARGED,
            col(ShelterStay.monitoring_due_on).is_not(None),
            kept_by_caller(principal, Shelter.organisation_id),
            person_seen_per_record(principal, col(ShelterStay.victim_id)),
            ~reported,
        ],
        _AT_OUR_SHELTERS,
    )


def _psychiatric_alerts(principal: Principal) -> _Source:
    """MAN-PSYCHIATRIC-ALERT: due at once, closed case or not, until acknowledged."""
    return _Source(
        WorkKind.PSYCHIATRIC_ALERT,
        col(Alert.raised_on),
        col(Alert.id),
        col(Alert.victim_id),
        [
            col(Alert.acknowledged_at).is_(None),
            kept_by_caller(principal, Alert.organisation_id),
            person_seen_per_record(principal, col(Alert.victim_id)),
        ],
    )


def _trainings_ending(principal: Principal) -> _Source:
    """MAN-TRAINING: a training in progress ending within the notice (or run out): its
    completion or drop is for the organisation that arranged it to record."""
    return _Source(
        WorkKind.TRAINING_ENDING,
        col(Training.ends_on),
        col(Training.id),
        col(Training.victim_id),
        [
            col(Training.status) == TrainingStatus.IN_PROGRESS,
            col(Training.ends_on) <= _TRAINING_HORIZON,
            kept_by_caller(principal, Training.organisation_id),
            victim_in_work(principal, col(Training.victim_id)),
        ],
    )


def _returns_due(principal: Principal) -> _Source:
    """MAN-RETURN: a planned or travelling return whose day is within the notice (or past): the
    documents, the escort and the meeting at arrival to arrange, then the arrival to record."""
    return _Source(
        WorkKind.RETURN_ARRIVAL,
        col(Return.planned_on),
        col(Return.id),
        col(Return.victim_id),
        [
            col(Return.status).in_(OPEN_RETURN_STATES),
            col(Return.planned_on) <= _RETURN_HORIZON,
            kept_by_caller(principal, Return.organisation_id),
            victim_in_work(principal, col(Return.victim_id)),
        ],
    )


def _referrals_unanswered(principal: Principal) -> _Source:
    """REFERRAL-ANSWER-14D: a referral still requested after the rulebook's days is escalated
    to the organisation that made it (and the coordinator): nobody has answered it."""
    return _Source(
        WorkKind.REFERRAL_UNANSWERED,
        add_days(col(Referral.referred_on), _ANSWER_DAYS),
        col(Referral.id),
        col(Referral.victim_id),
        [
            col(Referral.status) == ReferralStatus.REQUESTED,
            col(Referral.referred_on) < _UNANSWERED_BEFORE,
            kept_by_caller(principal, Referral.from_organisation_id),
            victim_in_work(principal, col(Referral.victim_id)),
        ],
    )


def _referrals_without_contact(principal: Principal) -> _Source:
    """REFERRAL-CONTACT-14D: a referral accepted that long ago with no initial contact yet is
    escalated to the organisation that made it (and the coordinator)."""
    return _Source(
        WorkKind.REFERRAL_NO_CONTACT,
        add_days(col(Referral.accepted_on), _CONTACT_DAYS),
        col(Referral.id),
        col(Referral.victim_id),
        [
            col(Referral.status) == ReferralStatus.ACCEPTED,
            col(Referral.contact_on).is_(None),
            col(Referral.accepted_on) < _NO_CONTACT_BEFORE,
            kept_by_caller(principal, Referral.from_organisation_id),
            victim_in_work(principal, col(Referral.victim_id)),
        ],
    )


def _possible_duplicates(principal: Principal) -> _Source:
    """DATA-DUPLICATE: a pair the matcher found, due the day it was found, until merged or
    told apart; on the record that was registered, while both are in work."""
    return _Source(
        WorkKind.POSSIBLE_DUPLICATE,
        col(PossibleDuplicate.found_on),
        col(PossibleDuplicate.id),
        col(PossibleDuplicate.victim_id),
        [
            col(PossibleDuplicate.resolution).is_(None),
            person_seen_per_record(principal, col(PossibleDuplicate.victim_id)),
            person_seen_per_record(principal, col(PossibleDuplicate.candidate_id)),
        ],
    )


def _incidents(principal: Principal) -> _Source:
    """MAN-INCIDENT: due the day it was recorded, until acknowledged; it names no one person."""
    return _Source(
        WorkKind.INCIDENT,
        col(Incident.reported_on),
        col(Incident.id),
        cast(null(), Uuid()),
        [
            col(Incident.acknowledged_at).is_(None),
            kept_by_caller(principal, Incident.organisation_id),
        ],
    )


def _complaints(principal: Principal) -> _Source:
    """MAN-COMPLAINT: the private meeting is due within the set days; never on the worklist of
    the member of staff it names. On a closed case too: the complaint still stands."""
    not_named = or_(col(Complaint.about_user_id).is_(None), col(Complaint.about_user_id) != _ACTOR)
    return _Source(
        WorkKind.COMPLAINT,
        col(Complaint.meeting_due_on),
        col(Complaint.id),
        col(Complaint.victim_id),
        [
            col(Complaint.status) == ComplaintStatus.OPEN,
            and_(not_named, kept_by_caller(principal, Complaint.organisation_id)),
            person_seen_per_record(principal, col(Complaint.victim_id)),
        ],
    )


def _plan_reviews(principal: Principal) -> _Source:
    """MAN-STAFF-MEETING: each admitted resident's active rehabilitation plan, at the weekly
    staff meeting of the organisation that keeps it: due a week after the plan was activated
    or last reviewed (a review before activation does not count; domain.care.plan_review_due)."""
    last_review = (
        select(func.max(CarePlanReview.held_on))
        .where(col(CarePlanReview.care_plan_id) == col(CarePlan.id))
        .scalar_subquery()
    )
    activated = col(CarePlan.activated_on)
    since = case((last_review > activated, last_review), else_=activated)
    admitted_here = exists().where(  # at a shelter of the organisation that keeps the plan
        col(ShelterStay.victim_id) == col(CarePlan.victim_id),
        col(ShelterStay.status) == StayStatus.ADMITTED,
        col(Shelter.id) == col(ShelterStay.shelter_id),
        col(Shelter.organisation_id) == col(CarePlan.organisation_id),
    )
    return _Source(
        WorkKind.PLAN_REVIEW,
        add_days(since, _PLAN_REVIEW_DAYS),
        col(CarePlan.id),
        col(CarePlan.victim_id),
        [
            col(CarePlan.status) == CarePlanStatus.ACTIVE,
            col(CarePlan.kind) == CarePlanKind.REHABILITATION,
            activated.is_not(None),
            kept_by_caller(principal, CarePlan.organisation_id),
            victim_in_work(principal, col(CarePlan.victim_id)),
            admitted_here,
        ],
    )


def _encode(item: WorkItem) -> str:
    key = [item.due_on.isoformat(), item.kind.value, str(item.record_id)]
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode().rstrip("=")


def _decode(cursor: str) -> _After:
    try:
        due, kind, record = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return _After(date.fromisoformat(due), WorkKind(kind).value, UUID(record))
    except (ValueError, TypeError, binascii.Error):
        raise InvalidValue(
            "cursor", "The cursor is not one this API returned.", source="query"
        ) from None
