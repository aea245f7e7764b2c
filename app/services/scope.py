"""Object-level access: the one place that decides which persons' cases a caller sees.

Every read of a person's data filters with ``visible_victims`` (lists) or loads through
``victims.get_visible`` (one record), so a case outside the caller's scope is a 404.
"""

from sqlalchemy import ColumnElement, false, true
from sqlmodel import col

from app.domain.access import CaseScope, case_scope
from app.models import Victim
from app.security import Principal


def visible_victims(principal: Principal) -> ColumnElement[bool]:
    """The coordinator sees every case; staff and partner systems their organisation's."""
    scope = case_scope(principal.role)
    if scope is CaseScope.ALL:
        return true()
    if scope is CaseScope.ORGANISATION and principal.organisation_id is not None:
        return col(Victim.organisation_id) == principal.organisation_id
    return false()
