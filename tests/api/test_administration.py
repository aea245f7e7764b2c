"""Organisations, users and machine clients: the admin's work, and nobody else's."""

import httpx
import pytest

from app.domain.access import Role
from app.domain.vocabulary import OrganisationKind
from tests.factories import PASSWORD, Actor, Actors
from tests.helpers import expect_problem

ORGS, USERS, CLIENTS = "/api/v1/organisations", "/api/v1/users", "/api/v1/clients"


async def test_admin_creates_an_organisation_with_licences(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    body = {
        "name": "Licensed Provider",
        "kind": "service_provider",
        "funding": "state_delegated",
        "licences": [
            {"target_group": "trafficking_victims", "number": "L-1", "valid_until": "2027-12-31"}
        ],
    }
    answer = await client.post(ORGS, json=body, headers=admin.headers)
    assert answer.status_code == 201, answer.text
    assert answer.json()["licences"][0]["valid_until"] == "2027-12-31"
    read = await client.get(answer.headers["location"], headers=admin.headers)
    assert read.json()["name"] == "Licensed Provider"
    duplicate = await client.post(
        ORGS, json=body | {"name": "licensed provider"}, headers=admin.headers
    )
    expect_problem(duplicate, 409, "duplicate")


async def test_admin_updates_an_organisation_with_if_match(
    client: httpx.AsyncClient, admin: Actor
) -> None:
    created = await client.post(
        ORGS, json={"name": "NGO One", "kind": "ngo"}, headers=admin.headers
    )
    url = created.headers["location"]
    lic = [{"target_group": "violence_victims", "number": "L-2", "valid_until": "2028-01-01"}]
    answer = await client.patch(
        url, json={"licences": lic}, headers=admin.headers | {"If-Match": '"1"'}
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["licences"][0]["number"] == "L-2"
    stale = await client.patch(
        url, json={"name": "NGO Renamed"}, headers=admin.headers | {"If-Match": '"1"'}
    )
    expect_problem(stale, 412, "version_mismatch")
    expect_problem(
        await client.patch(url, json={"kind": "international"}, headers=admin.headers),
        422,
        "validation_error",
    )


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.ADMIN], ids=lambda r: r.value)
async def test_only_the_admin_writes_the_directory_and_manages_accounts(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    org_body = {"name": "Not allowed", "kind": "ngo"}
    expect_problem(await client.post(ORGS, json=org_body, headers=caller.headers), 403, "forbidden")
    expect_problem(await client.get(USERS, headers=caller.headers), 403, "forbidden")
    expect_problem(await client.get(CLIENTS, headers=caller.headers), 403, "forbidden")


@pytest.mark.parametrize(
    "role", [r for r in Role if r is not Role.SCME_SYSTEM], ids=lambda r: r.value
)
async def test_the_directory_is_readable_by_everyone_who_refers(
    client: httpx.AsyncClient, actors: Actors, role: Role
) -> None:
    caller = await actors.caller(role)
    answer = await client.get(ORGS, headers=caller.headers)
    assert answer.status_code == 200


async def test_admin_creates_a_user_who_can_sign_in(
    client: httpx.AsyncClient, actors: Actors, admin: Actor
) -> None:
    ngo = await actors.organisation(OrganisationKind.NGO)
    body = {
        "username": "New.Worker",
        "password": PASSWORD,
        "role": "social_worker",
        "organisation_id": str(ngo.id),
    }
    answer = await client.post(USERS, json=body, headers=admin.headers)
    assert answer.status_code == 201, answer.text
    user = answer.json()
    assert user["username"] == "new.worker"
    assert "password" not in user and "password_hash" not in user
    login = {"grant_type": "password", "username": "new.worker", "password": PASSWORD}
    assert (await client.post("/api/v1/auth/token", data=login)).status_code == 200
    expect_problem(await client.post(USERS, json=body, headers=admin.headers), 409, "duplicate")


@pytest.mark.parametrize(
    ("role", "kind", "field"),
    [
        ("coordinator", "ngo", "organisation_id"),
        ("social_worker", "international", "organisation_id"),
        ("admin", "ngo", "organisation_id"),
        ("partner_system", "ngo", "role"),
    ],
)
async def test_a_role_must_fit_its_organisation(
    client: httpx.AsyncClient, actors: Actors, admin: Actor, role: str, kind: str, field: str
) -> None:
    org = await actors.organisation(OrganisationKind(kind))
    body = {
        "username": "misfit",
        "password": PASSWORD,
        "role": role,
        "organisation_id": str(org.id),
    }
    problem = expect_problem(
        await client.post(USERS, json=body, headers=admin.headers), 422, "validation_error"
    )
    assert field in {e["loc"][-1] for e in problem["errors"]}


async def test_short_passwords_and_unknown_organisations_are_refused(
    client: httpx.AsyncClient, actors: Actors, admin: Actor
) -> None:
    ngo = await actors.organisation(OrganisationKind.NGO)
    short = {
        "username": "short.pw",
        "password": "short",
        "role": "social_worker",
        "organisation_id": str(ngo.id),
    }
    expect_problem(
        await client.post(USERS, json=short, headers=admin.headers), 422, "validation_error"
    )
    unknown = short | {
        "password": PASSWORD,
        "organisation_id": "01a2061d-0000-7000-8000-000000000000",
    }
    expect_problem(
        await client.post(USERS, json=unknown, headers=admin.headers), 422, "validation_error"
    )


async def test_a_password_change_ends_existing_sessions(
    client: httpx.AsyncClient, actors: Actors, admin: Actor
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    login = {"grant_type": "password", "username": worker.name, "password": PASSWORD}
    refresh = (await client.post("/api/v1/auth/token", data=login)).json()["refresh_token"]
    new_password = "another long password"
    answer = await client.patch(
        f"{USERS}/{worker.id}", json={"password": new_password}, headers=admin.headers
    )
    assert answer.status_code == 200
    data = {"grant_type": "refresh_token", "refresh_token": refresh}
    expect_problem(await client.post("/api/v1/auth/token", data=data), 401, "token_invalid")
    new_login = login | {"password": new_password}
    assert (await client.post("/api/v1/auth/token", data=new_login)).status_code == 200


async def test_deactivating_twice_is_an_invalid_transition(
    client: httpx.AsyncClient, actors: Actors, admin: Actor
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    url = f"{USERS}/{worker.id}/deactivate"
    assert (await client.post(url, headers=admin.headers)).status_code == 200
    expect_problem(await client.post(url, headers=admin.headers), 409, "invalid_transition")


async def test_users_list_filters_by_role(
    client: httpx.AsyncClient, actors: Actors, admin: Actor
) -> None:
    worker = await actors.user(Role.SOCIAL_WORKER)
    await actors.user(Role.PSYCHOLOGIST)
    answer = await client.get(USERS, params={"role": "social_worker"}, headers=admin.headers)
    assert [u["id"] for u in answer.json()["items"]] == [str(worker.id)]


async def test_admin_creates_a_client_whose_secret_works_once_shown(
    client: httpx.AsyncClient, actors: Actors, admin: Actor
) -> None:
    agency = await actors.organisation(OrganisationKind.STATE_AGENCY)
    body = {"name": "SCME exchange", "role": "scme_system", "organisation_id": str(agency.id)}
    answer = await client.post(CLIENTS, json=body, headers=admin.headers)
    assert answer.status_code == 201, answer.text
    created = answer.json()
    data = {
        "grant_type": "client_credentials",
        "client_id": created["id"],
        "client_secret": created["client_secret"],
    }
    assert (await client.post("/api/v1/auth/token", data=data)).status_code == 200
    read = (await client.get(f"{CLIENTS}/{created['id']}", headers=admin.headers)).json()
    assert "client_secret" not in read
    listed = (await client.get(CLIENTS, headers=admin.headers)).json()["items"]
    assert [c["id"] for c in listed] == [created["id"]]


async def test_clients_have_machine_roles_only(
    client: httpx.AsyncClient, actors: Actors, admin: Actor
) -> None:
    ngo = await actors.organisation(OrganisationKind.NGO)
    body = {"name": "Sneaky", "role": "coordinator", "organisation_id": str(ngo.id)}
    expect_problem(
        await client.post(CLIENTS, json=body, headers=admin.headers), 422, "validation_error"
    )


async def test_admin_sees_no_case_data(
    client: httpx.AsyncClient, actors: Actors, admin: Actor
) -> None:
    victim = await actors.victim(await actors.organisation())
    expect_problem(await client.get("/api/v1/victims", headers=admin.headers), 403, "forbidden")
    expect_problem(
        await client.get(f"/api/v1/victims/{victim.id}", headers=admin.headers), 403, "forbidden"
    )
