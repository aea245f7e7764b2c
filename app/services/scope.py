"""Object-level access: the one place that decides which persons' cases a caller sees.

Every read of a person's data filters with ``visible_victims`` (lists) or loads through
``victims.get_visible`` (one record), so a case outside the caller's scope is a 404. Records that
hang off a person (referrals aside) are visible exactly when their person is.
"""

from uuid import UUID

from sqlalchemy import ColumnElement, and_, exists, false, or_, true
from sqlalchemy.orm import Mapped
from sqlmodel import col

from app.domain.access import CaseScope, case_scope
from app.domain.consent import ConsentPurpose
from app.domain.pathway import SHARING_STATES
from app.models import Consent, Referral, Victim
from app.security import Principal


def visible_victims(principal: Principal) -> ColumnElement[bool]:
    """The coordinator sees every case. Staff and partner systems see their organisation's
    cases, and a case referred to their organisation once the referral is accepted, for as
    long as the person's consent to share with that organisation holds: a withdrawal hides
    the case at once (CONSENT-DISCLOSURE)."""
    scope = case_scope(principal.role)
    if scope is CaseScope.ALL:
        return true()
    if scope is CaseScope.ORGANISATION and principal.organisation_id is not None:
        org = principal.organisation_id
        return or_(col(Victim.organisation_id) == org, _shared_with(org))
    return false()


def _shared_with(organisation_id: UUID) -> ColumnElement[bool]:
    taken_on = exists().where(
        col(Referral.victim_id) == col(Victim.id),
        col(Referral.to_organisation_id) == organisation_id,
        col(Referral.status).in_(SHARING_STATES),
    )
    consented = exists().where(
        col(Consent.victim_id) == col(Victim.id),
        col(Consent.purpose) == ConsentPurpose.SHARE_WITH_ORGANISATION,
        col(Consent.recipient_organisation_id) == organisation_id,
        col(Consent.withdrawn_at).is_(None),
    )
    return and_(taken_on, consented)


def visible_referrals(principal: Principal) -> ColumnElement[bool]:
    """A referral is seen by the organisations at both ends (the receiving one must see it to
    answer it) and by the coordinator; seeing a referral is not seeing the person's case."""
    scope = case_scope(principal.role)
    if scope is CaseScope.ALL:
        return true()
    if scope is CaseScope.ORGANISATION and principal.organisation_id is not None:
        org = principal.organisation_id
        return or_(
            col(Referral.from_organisation_id) == org, col(Referral.to_organisation_id) == org
        )
    return false()


def victim_is_visible(principal: Principal, victim_column: Mapped[UUID]) -> ColumnElement[bool]:
    """For records that hang off a person: visible when their person is."""
    return exists().where(col(Victim.id) == victim_column, visible_victims(principal))
