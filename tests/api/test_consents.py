"""Recording and withdrawing consents (CONSENT-DISCLOSURE)."""

import httpx
import pytest

from tests.factories import Actor, Actors
from tests.helpers import expect_problem


@pytest.fixture
async def consents_url(actors: Actors, worker: Actor) -> str:
    home = await actors.home_of(worker)
    victim = await actors.victim(home)
    return f"/api/v1/victims/{victim.id}/consents"


async def test_a_sharing_consent_names_an_existing_recipient(
    client: httpx.AsyncClient, actors: Actors, worker: Actor, consents_url: str
) -> None:
    provider = await actors.organisation()
    body = {"purpose": "share_with_organisation", "recipient_organisation_id": str(provider.id)}
    answer = await client.post(consents_url, json=body, headers=worker.headers)
    assert answer.status_code == 201, answer.text
    consent = answer.json()
    assert consent["active"] is True
    assert consent["given_at"]
    assert answer.headers["location"].endswith(consent["id"])


async def test_sharing_without_recipient_or_with_an_unknown_one_is_refused(
    client: httpx.AsyncClient, worker: Actor, consents_url: str
) -> None:
    missing = await client.post(
        consents_url, json={"purpose": "share_with_organisation"}, headers=worker.headers
    )
    body = expect_problem(missing, 422, "validation_error")
    assert body["errors"][0]["loc"] == ["body", "recipient_organisation_id"]
    unknown = {
        "purpose": "share_with_organisation",
        "recipient_organisation_id": "01a2061d-0000-7000-8000-000000000000",
    }
    expect_problem(
        await client.post(consents_url, json=unknown, headers=worker.headers),
        422,
        "validation_error",
    )
    assert (await client.get(consents_url, headers=worker.headers)).json()["items"] == []


async def test_the_same_active_consent_is_not_recorded_twice(
    client: httpx.AsyncClient, worker: Actor, consents_url: str
) -> None:
    body = {"purpose": "scme_job_referral"}
    assert (await client.post(consents_url, json=body, headers=worker.headers)).status_code == 201
    expect_problem(
        await client.post(consents_url, json=body, headers=worker.headers), 409, "duplicate"
    )


async def test_withdrawal_is_stamped_once_and_the_consent_can_be_given_anew(
    client: httpx.AsyncClient, worker: Actor, consents_url: str
) -> None:
    consent = (
        await client.post(
            consents_url, json={"purpose": "family_involvement"}, headers=worker.headers
        )
    ).json()
    withdraw = f"{consents_url}/{consent['id']}/withdraw"
    answer = await client.post(withdraw, headers=worker.headers)
    assert answer.status_code == 200
    assert answer.json()["active"] is False
    assert answer.json()["withdrawn_at"]
    body = expect_problem(
        await client.post(withdraw, headers=worker.headers), 409, "invalid_transition"
    )
    assert body["state"] == "withdrawn"
    again = await client.post(
        consents_url, json={"purpose": "family_involvement"}, headers=worker.headers
    )
    assert again.status_code == 201


async def test_a_consent_of_another_person_is_not_found(
    client: httpx.AsyncClient, actors: Actors, worker: Actor, consents_url: str
) -> None:
    consent = (
        await client.post(consents_url, json={"purpose": "data_processing"}, headers=worker.headers)
    ).json()
    home = await actors.home_of(worker)
    other_person = await actors.victim(home)
    url = f"/api/v1/victims/{other_person.id}/consents/{consent['id']}"
    expect_problem(await client.get(url, headers=worker.headers), 404, "not_found")
