"""Every route's permission, as the contract publishes it (``x-permission``, ``x-roles``), is the
one the code enforces: each role outside ``x-roles`` is refused with 403 before anything else
is looked at (no record loaded, no body read)."""

import re
from typing import Any
from uuid import uuid4

import httpx
import pytest
from fastapi import FastAPI

from app.deps import require
from app.domain.access import FOR_AN_ORGANISATION, PERMISSIONS, Action, Role, check_membership
from app.domain.errors import InvalidValue
from app.errors import Forbidden
from app.security import Principal
from tests.factories import Actor, Actors
from tests.helpers import expect_problem


def _operations(app: FastAPI) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in app.openapi()["paths"].items()
        for method, operation in item.items()
        if "x-roles" in operation
    ]


async def test_the_contract_names_the_permission_of_every_route_that_needs_one(
    app: FastAPI,
) -> None:
    operations = _operations(app)
    assert len(operations) > 90
    for _, _, operation in operations:
        action = Action(operation["x-permission"])
        assert operation["x-roles"] == sorted(r.value for r in Role if action in PERMISSIONS[r])
    admit = app.openapi()["paths"]["/api/v1/shelter-stays/{stay_id}/admit"]["post"]
    assert (admit["x-permission"], admit["x-roles"]) == ("stay:admit", ["coordinator"])


async def test_every_role_outside_a_routes_roles_is_refused_first(
    client: httpx.AsyncClient, app: FastAPI, actors: Actors
) -> None:
    callers: dict[Role, Actor] = {role: await actors.caller(role) for role in Role}
    refused = 0
    for method, path, operation in _operations(app):
        url = re.sub(r"\{[^}]+\}", lambda _: str(uuid4()), path)
        body = {} if method in ("post", "put", "patch") else None
        for role in set(Role) - {Role(r) for r in operation["x-roles"]}:
            answer = await client.request(
                method.upper(), url, json=body, headers=callers[role].headers
            )
            problem = expect_problem(answer, 403, "forbidden")
            if operation["x-permission"] == "stay:admit":
                assert problem["rule"] == "MAN-ADMISSION-AGREED"
            refused += 1
    assert refused > 500


@pytest.mark.parametrize("action", sorted(FOR_AN_ORGANISATION))
def test_every_role_that_works_for_an_organisation_belongs_to_one(action: Action) -> None:
    """So the route's membership check never turns away a caller the table lets in."""
    for role in Role:
        if action in PERMISSIONS[role]:
            with pytest.raises(InvalidValue):
                check_membership(role, None)


async def test_a_caller_without_an_organisation_does_no_organisations_work() -> None:
    principal = Principal("user", uuid4(), Role.SOCIAL_WORKER, None, None, True)
    allowed = require(Action.VICTIM_CREATE).dependency
    with pytest.raises(Forbidden):
        await allowed(principal)
    assert await require(Action.VICTIM_READ).dependency(principal) is principal
