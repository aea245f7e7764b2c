"""Object-level access: the one place that decides which persons' cases a caller sees.

Every read of a person's data filters with ``visible_victims`` (lists) or loads through
``victims.get_visible`` (one record), so a case outside the caller's scope is a 404. Records that
hang off a person (referrals aside) are visible exactly when their person is.
"""

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    exists,
    false,
    literal,
    or_,
    select,
    true,
    union,
)
from sqlalchemy.orm import Mapped
from sqlmodel import col

from app.domain.access import CaseScope, case_scope
from app.domain.casework import SHARING_STATES
from app.domain.consent import ConsentPurpose
from app.domain.vocabulary import VictimStatus
from app.models import Consent, Referral, Victim
from app.security import Principal

_GONE = (VictimStatus.ERASED, VictimStatus.MERGED)


def visible_victims(principal: Principal, *, merged: bool = False) -> ColumnElement[bool]:
    """The coordinator sees every case. Staff and partner systems see their organisation's
    cases, and a case referred to their organisation once the referral is accepted, for as
    long as the person's consent to share with that organisation holds: a withdrawal hides
    the case at once (CONSENT-DISCLOSURE). Once erased (MAN-RETENTION-6M) a person is no
    one's case: nothing is read or written about them any more; nor once merged into another
    record of theirs (DATA-DUPLICATE), which ``merged`` finds, to point at the other one."""
    scope = case_scope(principal.role)
    gone = _GONE if not merged else (VictimStatus.ERASED,)
    in_case_work = col(Victim.status).not_in(gone)  # an erased person is no one's case
    if scope is CaseScope.ALL:
        return in_case_work
    if scope is CaseScope.ORGANISATION and principal.organisation_id is not None:
        return and_(in_case_work, organisation_sees(principal.organisation_id))
    return false()


def organisation_sees(organisation_id: UUID) -> ColumnElement[bool]:
    """The person is the organisation's case, or shared with it (whatever their status)."""
    return or_(col(Victim.organisation_id) == organisation_id, _shared_with(organisation_id))


def on_visible_page(
    principal: Principal, conditions: Sequence[ColumnElement[bool]], before: UUID | None, size: int
) -> ColumnElement[bool]:
    """``visible_victims`` for one keyset page (newest first, ids below ``before``): the
    organisation's own cases and the cases shared with it are each read off their index, at
    most ``size`` of each, so a page costs the same at any caseload."""
    org = principal.organisation_id
    if case_scope(principal.role) is not CaseScope.ORGANISATION or org is None:
        return visible_victims(principal)
    in_case_work = col(Victim.status).not_in(_GONE)
    own: Select[tuple[UUID]] = select(col(Victim.id).label("id")).where(
        col(Victim.organisation_id) == org, in_case_work, *conditions
    )
    shared: Select[tuple[UUID]] = (
        select(col(Referral.victim_id).label("id"))
        .join(Victim, col(Victim.id) == col(Referral.victim_id))
        .where(
            col(Referral.to_organisation_id) == org,
            col(Referral.status).in_(SHARING_STATES),
            _consent_row_to_share(col(Victim.id), org),
            in_case_work,
            *conditions,
        )
        .distinct()
    )
    if before is not None:
        own = own.where(col(Victim.id) < before)
        shared = shared.where(col(Referral.victim_id) < before)
    # each branch limited inside a subquery: SQLite allows no LIMIT on a UNION's members
    branches = [
        own.order_by(col(Victim.id).desc()).limit(size).subquery(),
        shared.order_by(col(Referral.victim_id).desc()).limit(size).subquery(),
    ]
    return col(Victim.id).in_(union(*(select(branch.c.id) for branch in branches)))


def _shared_with(organisation_id: UUID) -> ColumnElement[bool]:
    taken_on = exists().where(
        col(Referral.victim_id) == col(Victim.id),
        col(Referral.to_organisation_id) == organisation_id,
        col(Referral.status).in_(SHARING_STATES),
    )
    return and_(taken_on, _consent_to_share(col(Victim.id), organisation_id))


def _consent_to_share(victim_id: Any, organisation_id: UUID) -> ColumnElement[bool]:
    """CONSENT-DISCLOSURE: the person's active consent to share with this organisation."""
    return exists().where(
        col(Consent.victim_id) == victim_id,
        col(Consent.purpose) == ConsentPurpose.SHARE_WITH_ORGANISATION,
        col(Consent.recipient_organisation_id) == organisation_id,
        col(Consent.withdrawn_at).is_(None),
    )


def _consent_row_to_share(victim_id: Any, organisation_id: UUID) -> ColumnElement[bool]:
    """``_consent_to_share`` as a subquery looked up per referral (LIMIT 1 keeps PostgreSQL
    from turning it into a join that reads every sharing consent of the organisation first:
    at a million persons that was 290 ms a page instead of 2; bench/README.md)."""
    return (
        select(literal(1))
        .where(
            col(Consent.victim_id) == victim_id,
            col(Consent.purpose) == ConsentPurpose.SHARE_WITH_ORGANISATION,
            col(Consent.recipient_organisation_id) == organisation_id,
            col(Consent.withdrawn_at).is_(None),
        )
        .limit(1)
        .scalar_subquery()
        .is_not(None)
    )


def visible_referrals(principal: Principal) -> ColumnElement[bool]:
    """A referral is seen by the coordinator, by the organisation whose case it is and the one
    that sent it, and by the receiving organisation while the person's consent to share with it
    holds (it must see a request to answer it; a withdrawal hides it at once)."""
    scope = case_scope(principal.role)
    if scope is CaseScope.ALL:
        return true()
    if scope is not CaseScope.ORGANISATION or principal.organisation_id is None:
        return false()
    org = principal.organisation_id
    case_is_ours = exists().where(
        col(Victim.id) == col(Referral.victim_id), col(Victim.organisation_id) == org
    )
    received_with_consent = and_(
        col(Referral.to_organisation_id) == org, _consent_to_share(col(Referral.victim_id), org)
    )
    return or_(col(Referral.from_organisation_id) == org, case_is_ours, received_with_consent)


def victim_is_visible(principal: Principal, victim_column: Mapped[UUID]) -> ColumnElement[bool]:
    """For records that hang off a person: visible when their person is."""
    return exists().where(col(Victim.id) == victim_column, visible_victims(principal))


def victim_in_work(principal: Principal, victim_column: Mapped[UUID]) -> ColumnElement[bool]:
    """Visible, and not closed (MAN-CASE-CLOSE): a closed case leaves the worklist. Looked up
    per record, as ``person_seen_per_record``."""
    return person_seen_per_record(
        principal, victim_column, col(Victim.status) == VictimStatus.ACTIVE
    )


def person_seen_per_record(
    principal: Principal, victim_column: Mapped[UUID], *conditions: ColumnElement[bool]
) -> ColumnElement[bool]:
    """``victim_is_visible`` for records an organisation's own index already narrows (its
    worklist): the person is looked up per record (LIMIT 1 keeps PostgreSQL from joining every
    person first; at a million persons that turned the worklist's stays into a full scan)."""
    return (
        select(literal(1))
        .where(col(Victim.id) == victim_column, visible_victims(principal), *conditions)
        .limit(1)
        .scalar_subquery()
        .is_not(None)
    )


def kept_by_caller(principal: Principal, organisation_column: Any) -> ColumnElement[bool]:
    """Records an organisation keeps (its work, its shelters' logs, its alerts) are its own;
    the coordinator oversees all of them."""
    if case_scope(principal.role) is CaseScope.ALL:
        return true()
    return col(organisation_column) == principal.organisation_id
