"""Identity documents over HTTP (MAN-IDENTITY): tracked needed → applied → obtained, never
back, by the organisation that restores them; in the person's export."""

import httpx

from app.domain.access import Role
from tests.factories import Actors
from tests.helpers import expect_problem

API = "/api/v1"


async def test_a_document_is_needed_applied_for_and_obtained(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    ngo = await actors.organisation()
    worker = await actors.user(Role.SOCIAL_WORKER, ngo)
    person = await actors.victim(ngo)
    base = f"{API}/victims/{person.id}/identity-documents"
    made = await client.post(base, json={"kind": "birth_certificate"}, headers=worker.headers)
    assert made.status_code == 201, made.text
    assert made.json()["status"] == "needed"
    url = made.headers["Location"]
    today = actors.clock.today().isoformat()

    applied = await client.patch(url, json={"status": "applied"}, headers=worker.headers)
    assert (applied.json()["status"], applied.json()["applied_on"]) == ("applied", today)
    back = await client.patch(url, json={"status": "needed"}, headers=worker.headers)
    expect_problem(back, 409, "invalid_transition", "MAN-IDENTITY")
    undated = await client.patch(url, json={"status": "obtained"}, headers=worker.headers)
    expect_problem(undated, 422, "validation_error")
    obtained = await client.patch(
        url, json={"status": "obtained", "obtained_on": today}, headers=worker.headers
    )
    assert obtained.json()["status"] == "obtained"

    exported = await client.get(f"{API}/victims/{person.id}/export", headers=worker.headers)
    assert [d["kind"] for d in exported.json()["identity_documents"]] == ["birth_certificate"]
    listed = await client.get(base, headers=worker.headers)
    assert [d["status"] for d in listed.json()["items"]] == ["obtained"]


async def test_another_organisations_case_and_documents_stay_unknown(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    ngo = await actors.organisation()
    worker = await actors.user(Role.SOCIAL_WORKER, ngo)
    person = await actors.victim(ngo)
    made = await client.post(
        f"{API}/victims/{person.id}/identity-documents",
        json={"kind": "internal_id"},
        headers=worker.headers,
    )
    outsider = await actors.user(Role.SOCIAL_WORKER)
    answer = await client.get(made.headers["Location"], headers=outsider.headers)
    expect_problem(answer, 404, "not_found")
    medic = await actors.user(Role.MEDICAL_OFFICER, ngo)
    refused = await client.patch(
        made.headers["Location"], json={"status": "applied"}, headers=medic.headers
    )
    expect_problem(refused, 403, "forbidden")


async def test_a_document_is_obtained_once_after_its_application(
    client: httpx.AsyncClient, actors: Actors
) -> None:
    """Regression: an obtained document could be obtained again on another day, and its
    application was always dated the day it was entered."""
    ngo = await actors.organisation()
    worker = await actors.user(Role.SOCIAL_WORKER, ngo)
    person = await actors.victim(ngo)
    base = f"{API}/victims/{person.id}/identity-documents"
    made = await client.post(
        base, json={"kind": "diploma", "status": "applied", "applied_on": "2026-02-10"},
        headers=worker.headers,
    )  # fmt: skip
    assert made.json()["applied_on"] == "2026-02-10", made.text
    url = made.headers["Location"]
    early = await client.patch(
        url, json={"status": "obtained", "obtained_on": "2026-02-09"}, headers=worker.headers
    )
    expect_problem(early, 422, "validation_error")
    obtained = await client.patch(
        url, json={"status": "obtained", "obtained_on": "2026-03-01"}, headers=worker.headers
    )
    assert obtained.json()["status"] == "obtained", obtained.text
    again = await client.patch(
        url, json={"status": "obtained", "obtained_on": "2026-03-05"}, headers=worker.headers
    )
    expect_problem(again, 409, "invalid_transition", "MAN-IDENTITY")
    read = await client.get(url, headers=worker.headers)
    assert (read.json()["applied_on"], read.json()["obtained_on"]) == ("2026-02-10", "2026-03-01")
