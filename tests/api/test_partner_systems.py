"""A partner NGO's system: refers from its organisation, reads what is addressed to it and the
cases shared with it under consent, accepts or declines — with an Idempotency-Key on every POST."""

from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest

from app.domain.access import Role
from app.domain.vocabulary import OrganisationKind
from app.models import Organisation
from tests.factories import Actor, Actors, licence, victim_body
from tests.helpers import expect_problem

API = "/api/v1"


@dataclass
class Partners:
    sender: Actor  # partner_system of the referring NGO
    receiver: Actor  # partner_system of the receiving NGO
    outsider: Actor  # partner_system of a third NGO
    receiving_org: Organisation


@pytest.fixture
async def partners(actors: Actors) -> Partners:
    valid = [licence(actors.clock.today() + timedelta(days=365))]
    sending = await actors.organisation(OrganisationKind.NGO, licences=valid)
    receiving = await actors.organisation(OrganisationKind.NGO, licences=valid)
    third = await actors.organisation(OrganisationKind.NGO, licences=valid)
    return Partners(
        sender=await actors.client(Role.PARTNER_SYSTEM, sending),
        receiver=await actors.client(Role.PARTNER_SYSTEM, receiving),
        outsider=await actors.client(Role.PARTNER_SYSTEM, third),
        receiving_org=receiving,
    )


async def registered_case(client: httpx.AsyncClient, partners: Partners) -> str:
    """The sending partner registers a person and the consents it collected."""
    headers = partners.sender.headers
    created = await client.post(f"{API}/victims", json=victim_body(), headers=headers)
    assert created.status_code == 201, created.text
    victim_id = str(created.json()["id"])
    for body in (
        {"purpose": "data_processing"},
        {
            "purpose": "share_with_organisation",
            "recipient_organisation_id": str(partners.receiving_org.id),
        },
    ):
        answer = await client.post(
            f"{API}/victims/{victim_id}/consents", json=body, headers=partners.sender.headers
        )
        assert answer.status_code == 201, answer.text
    return victim_id


def referral_body(victim_id: str, partners: Partners) -> dict[str, str]:
    return {
        "victim_id": victim_id,
        "to_organisation_id": str(partners.receiving_org.id),
        "service": "social_counselling",
        "funding": "project",
    }


async def referral(client: httpx.AsyncClient, partners: Partners) -> tuple[str, str]:
    victim_id = await registered_case(client, partners)
    answer = await client.post(
        f"{API}/referrals", json=referral_body(victim_id, partners), headers=partners.sender.headers
    )
    assert answer.status_code == 201, answer.text
    return victim_id, str(answer.json()["id"])


async def test_a_partner_refers_a_case_of_its_organisation(
    client: httpx.AsyncClient, partners: Partners
) -> None:
    _, referral_id = await referral(client, partners)
    shown = await client.get(f"{API}/referrals/{referral_id}", headers=partners.sender.headers)
    assert shown.json()["from_organisation_id"] == str(partners.sender.organisation_id)
    assert shown.json()["status"] == "requested"


async def test_a_post_without_an_idempotency_key_is_refused_and_writes_nothing(
    client: httpx.AsyncClient, partners: Partners
) -> None:
    victim_id = await registered_case(client, partners)
    bare = {"Authorization": partners.sender.headers["Authorization"]}
    answer = await client.post(
        f"{API}/referrals", json=referral_body(victim_id, partners), headers=bare
    )
    problem = expect_problem(answer, 422, "validation_error")
    assert problem["errors"][0]["loc"] == ["header", "Idempotency-Key"]
    listed = await client.get(f"{API}/referrals", headers=partners.sender.headers)
    assert listed.json()["items"] == []


async def test_a_retried_referral_is_written_once(
    client: httpx.AsyncClient, partners: Partners
) -> None:
    victim_id = await registered_case(client, partners)
    headers = partners.sender.headers  # one key for both tries
    body = referral_body(victim_id, partners)
    first = await client.post(f"{API}/referrals", json=body, headers=headers)
    again = await client.post(f"{API}/referrals", json=body, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    listed = await client.get(f"{API}/referrals", headers=partners.sender.headers)
    assert len(listed.json()["items"]) == 1


async def test_the_receiving_partner_sees_what_is_addressed_to_it_and_no_one_else_does(
    client: httpx.AsyncClient, partners: Partners
) -> None:
    victim_id, referral_id = await referral(client, partners)
    received = await client.get(f"{API}/referrals", headers=partners.receiver.headers)
    assert [r["id"] for r in received.json()["items"]] == [referral_id]
    outsider = partners.outsider.headers
    assert (await client.get(f"{API}/referrals", headers=outsider)).json()["items"] == []
    for path in (f"/referrals/{referral_id}", f"/victims/{victim_id}"):
        expect_problem(await client.get(API + path, headers=outsider), 404, "not_found")


async def test_the_receiving_partner_accepts_and_then_reads_the_shared_case(
    client: httpx.AsyncClient, partners: Partners
) -> None:
    victim_id, referral_id = await referral(client, partners)
    headers = partners.receiver.headers
    before = await client.get(f"{API}/victims/{victim_id}", headers=headers)
    expect_problem(before, 404, "not_found")  # a request is not yet a shared case
    accepted = await client.post(f"{API}/referrals/{referral_id}/accept", headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    case = await client.get(f"{API}/victims/{victim_id}", headers=partners.receiver.headers)
    assert case.status_code == 200, case.text
    assert case.json()["view"] == "exchange"
    assert "exploitation_types" not in case.json()


async def test_the_receiving_partner_declines_with_a_reason(
    client: httpx.AsyncClient, partners: Partners
) -> None:
    _, referral_id = await referral(client, partners)
    answer = await client.post(
        f"{API}/referrals/{referral_id}/decline",
        json={"reason": "No place this month.", "exit_information": "Our hotline's number."},
        headers=partners.receiver.headers,
    )
    assert answer.status_code == 200, answer.text
    assert (answer.json()["status"], answer.json()["reason"]) == (
        "declined",
        "No place this month.",
    )


async def test_only_the_receiver_answers_and_a_partner_does_not_cancel(
    client: httpx.AsyncClient, partners: Partners
) -> None:
    _, referral_id = await referral(client, partners)
    accept = f"{API}/referrals/{referral_id}/accept"
    expect_problem(await client.post(accept, headers=partners.sender.headers), 403, "forbidden")
    cancel = await client.post(
        f"{API}/referrals/{referral_id}/cancel", json={}, headers=partners.receiver.headers
    )
    expect_problem(cancel, 403, "forbidden")


async def test_a_withdrawn_consent_closes_the_shared_case_to_the_partner(
    client: httpx.AsyncClient, actors: Actors, partners: Partners
) -> None:
    victim_id, referral_id = await referral(client, partners)
    await client.post(f"{API}/referrals/{referral_id}/accept", headers=partners.receiver.headers)
    consents = await client.get(
        f"{API}/victims/{victim_id}/consents", headers=partners.sender.headers
    )
    [share] = [c for c in consents.json()["items"] if c["purpose"] == "share_with_organisation"]
    # the person withdraws it with the referring NGO's staff
    home = await actors.user(Role.SOCIAL_WORKER, await actors.home_of(partners.sender))
    withdrawn = await client.post(
        f"{API}/victims/{victim_id}/consents/{share['id']}/withdraw", headers=home.headers
    )
    assert withdrawn.status_code == 200, withdrawn.text
    answer = await client.get(f"{API}/victims/{victim_id}", headers=partners.receiver.headers)
    expect_problem(answer, 404, "not_found")
