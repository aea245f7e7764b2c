"""The permission table, case scope, field-level views and account membership."""

import pytest

from app.domain.access import (
    MACHINE_ROLES,
    PERMISSIONS,
    STAFF_ROLES,
    Action,
    CaseScope,
    Role,
    VictimView,
    can,
    case_scope,
    check_membership,
    victim_view,
)
from app.domain.errors import InvalidValue
from app.domain.vocabulary import OrganisationKind as Kind

CASE_ACTIONS = {a for a in Action if a.value.split(":")[0] in {"victim", "consent"}}


def test_every_role_has_a_row() -> None:
    assert set(PERMISSIONS) == set(Role)


@pytest.mark.parametrize("role", [Role.ADMIN, Role.AUDITOR, Role.SCME_SYSTEM])
def test_roles_without_case_data_have_no_case_action(role: Role) -> None:
    assert not any(can(role, action) for action in CASE_ACTIONS)
    assert case_scope(role) is CaseScope.NONE


def test_only_admin_manages_accounts_and_the_directory() -> None:
    for action in (Action.USER_MANAGE, Action.CLIENT_MANAGE, Action.ORGANISATION_WRITE):
        assert {r for r in Role if can(r, action)} == {Role.ADMIN}


def test_audit_trail_is_for_coordinator_and_admin() -> None:
    assert {r for r in Role if can(r, Action.AUDIT_READ)} == {Role.ADMIN, Role.COORDINATOR}


@pytest.mark.parametrize(
    ("role", "scope"),
    [(Role.COORDINATOR, CaseScope.ALL), (Role.PARTNER_SYSTEM, CaseScope.ORGANISATION)]
    + [(r, CaseScope.ORGANISATION) for r in sorted(STAFF_ROLES)],
)
def test_case_scope(role: Role, scope: CaseScope) -> None:
    assert case_scope(role) is scope


def test_machine_clients_get_the_exchange_view_and_people_the_full_one() -> None:
    for role in Role:
        expected = VictimView.EXCHANGE if role in MACHINE_ROLES else VictimView.FULL
        assert victim_view(role) is expected


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.ADMIN, None),
        (Role.COORDINATOR, Kind.INTERNATIONAL),
        (Role.SOCIAL_WORKER, Kind.STATE_AGENCY),
        (Role.PSYCHOLOGIST, Kind.NGO),
        (Role.MEDICAL_OFFICER, Kind.SERVICE_PROVIDER),
        (Role.PARTNER_SYSTEM, Kind.NGO),
        (Role.SCME_SYSTEM, Kind.STATE_AGENCY),
        (Role.AUDITOR, None),
        (Role.AUDITOR, Kind.INTERNATIONAL),
    ],
)
def test_membership_that_fits(role: Role, kind: Kind | None) -> None:
    check_membership(role, kind)


@pytest.mark.parametrize(
    ("role", "kind"),
    [
        (Role.ADMIN, Kind.NGO),
        (Role.COORDINATOR, Kind.NGO),
        (Role.COORDINATOR, None),
        (Role.SOCIAL_WORKER, Kind.INTERNATIONAL),
        (Role.SHELTER_MANAGER, None),
        (Role.PARTNER_SYSTEM, Kind.STATE_AGENCY),
        (Role.SCME_SYSTEM, Kind.NGO),
    ],
)
def test_membership_that_does_not_fit(role: Role, kind: Kind | None) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_membership(role, kind)
    assert refused.value.field == "organisation_id"
