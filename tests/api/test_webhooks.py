"""Partner webhooks: an organisation registers an endpoint and a secret; referral and consent
events addressed to it arrive through the outbox, signed, and the fake partner verifies them with
the documented algorithm. Deliveries and their failures are the organisation's manager's to see."""

import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import httpx
import pytest
from cryptography.fernet import Fernet
from fastapi import FastAPI
from pydantic import SecretStr
from sqlmodel import select

from app.config import Settings
from app.domain.access import Role
from app.domain.consent import ConsentPurpose
from app.domain.vocabulary import OrganisationKind
from app.integrations.fakes import FakePartner
from app.integrations.sending import Skip
from app.integrations.webhooks import checked_addresses
from app.models import OutboxMessage, Victim, WebhookEndpoint
from tests.factories import Actor, Actors, licence
from tests.fakes import PARTNER_SECRET, FakeDns, WorkerFactory
from tests.helpers import changed_settings, expect_problem

API = "/api/v1"
ENDPOINTS = f"{API}/webhook-endpoints"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "integrations.md"


@dataclass
class World:
    sender: Actor  # a social worker of the referring NGO
    sender_manager: Actor
    receiver: Actor  # the receiving NGO's shelter manager
    person: Victim


@pytest.fixture
async def world(actors: Actors) -> World:
    valid = [licence(actors.clock.today() + timedelta(days=365))]
    sending = await actors.organisation(OrganisationKind.NGO, licences=valid)
    receiving = await actors.organisation(OrganisationKind.NGO, licences=valid)
    person = await actors.victim(
        sending,
        identified_on=actors.clock.today() - timedelta(days=40),
        registered_address="5 Synthetic Avenue, Osh",
    )
    await actors.consent(person, ConsentPurpose.DATA_PROCESSING)
    await actors.consent(person, ConsentPurpose.SHARE_WITH_ORGANISATION, receiving)
    return World(
        sender=await actors.user(Role.SOCIAL_WORKER, sending),
        sender_manager=await actors.user(Role.SHELTER_MANAGER, sending),
        receiver=await actors.user(Role.SHELTER_MANAGER, receiving),
        person=person,
    )


async def register(
    client: httpx.AsyncClient, manager: Actor, url: str, secret: str = PARTNER_SECRET
) -> dict[str, Any]:
    answer = await client.post(
        ENDPOINTS, json={"url": url, "secret": secret}, headers=manager.headers
    )
    assert answer.status_code == 201, answer.text
    return dict(answer.json())


async def refer(client: httpx.AsyncClient, world: World) -> str:
    body = {
        "victim_id": str(world.person.id),
        "to_organisation_id": str(world.receiver.organisation_id),
        "service": "social_counselling",
        "funding": "project",
    }
    answer = await client.post(f"{API}/referrals", json=body, headers=world.sender.headers)
    assert answer.status_code == 201, answer.text
    return str(answer.json()["id"])


async def outbox(actors: Actors) -> list[OutboxMessage]:
    async with actors.sessionmaker() as session:
        return list((await session.exec(select(OutboxMessage))).all())


# --- registration -----------------------------------------------------------------------------


async def test_an_endpoint_is_registered_and_its_secret_never_shown(
    client: httpx.AsyncClient, world: World, partner_url: str
) -> None:
    created = await register(client, world.receiver, partner_url)
    assert set(created) == {"id", "organisation_id", "url", "active", "version", "created_at"}
    assert created["organisation_id"] == str(world.receiver.organisation_id)
    shown = await client.get(f"{ENDPOINTS}/{created['id']}", headers=world.receiver.headers)
    assert PARTNER_SECRET not in shown.text
    listed = await client.get(ENDPOINTS, headers=world.receiver.headers)
    assert [e["id"] for e in listed.json()["items"]] == [created["id"]]


async def test_another_organisation_does_not_see_the_endpoint(
    client: httpx.AsyncClient, world: World, partner_url: str
) -> None:
    created = await register(client, world.receiver, partner_url)
    other = world.sender_manager.headers
    expect_problem(
        await client.get(f"{ENDPOINTS}/{created['id']}", headers=other), 404, "not_found"
    )
    assert (await client.get(ENDPOINTS, headers=other)).json()["items"] == []


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"url": "https://partner.example/events", "secret": "short"}, 422, "validation_error"),
        ({"url": "https://partner.example/events"}, 422, "validation_error"),
        ({"url": "not a url", "secret": "s" * 40}, 422, "validation_error"),
    ],
)
async def test_bad_registrations_are_refused(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    body: dict[str, str],
    status: int,
    code: str,
) -> None:
    answer = await client.post(ENDPOINTS, json=body, headers=world.receiver.headers)
    expect_problem(answer, status, code)
    async with actors.sessionmaker() as session:
        assert (await session.exec(select(WebhookEndpoint))).all() == []


PUBLIC, ALSO_PUBLIC, PRIVATE = "93.184.215.14", "2606:4700:4700::1111", "10.0.0.5"


async def test_outside_development_an_endpoint_is_https_on_a_public_host(
    client: httpx.AsyncClient, app: FastAPI, world: World, fake_dns: FakeDns
) -> None:
    fake_dns.set("partner.example.org", [PUBLIC, ALSO_PUBLIC])
    with changed_settings(app, webhook_allow_http=False):
        for url in ("http://partner.example.org/events", "https://127.0.0.1/events"):
            answer = await client.post(
                ENDPOINTS, json={"url": url, "secret": "s" * 40}, headers=world.receiver.headers
            )
            expect_problem(answer, 422, "validation_error")
        good = {"url": "https://partner.example.org/events", "secret": "s" * 40}
        answer = await client.post(ENDPOINTS, json=good, headers=world.receiver.headers)
        assert answer.status_code == 201, answer.text
    assert fake_dns.lookups == ["partner.example.org"]  # asked once, at registration


@pytest.mark.parametrize(
    ("url", "answers"),
    [
        ("https://localhost.:8443/events", [PUBLIC]),  # refused by its form: DNS not asked
        ("https://LOCALHOST/events", [PUBLIC]),
        ("https://intranet/events", [PUBLIC]),
        ("https://intranet./events", [PUBLIC]),
        ("https://partner.test/events", [PUBLIC]),
        ("https://nas.lan/events", [PUBLIC]),
        ("https://printer.local/events", [PUBLIC]),
        ("https://[::ffff:10.0.0.5]/events", []),
        ("https://rebind.example.org/events", [PRIVATE]),  # a public name for a private address
        ("https://rebind.example.org/events", [PUBLIC, "127.0.0.1"]),  # one of them private
        ("https://rebind.example.org/events", ["::1"]),
        ("https://rebind.example.org/events", []),  # it does not resolve
    ],
)
async def test_outside_development_a_host_that_is_not_public_is_refused_at_registration(
    client: httpx.AsyncClient,
    actors: Actors,
    app: FastAPI,
    world: World,
    fake_dns: FakeDns,
    url: str,
    answers: list[str],
) -> None:
    fake_dns.set(urlsplit(url).hostname or "", answers)
    with changed_settings(app, webhook_allow_http=False):
        answer = await client.post(
            ENDPOINTS, json={"url": url, "secret": "s" * 40}, headers=world.receiver.headers
        )
    problem = expect_problem(answer, 422, "validation_error")
    assert [e["loc"] for e in problem["errors"]] == [["body", "url"]]
    async with actors.sessionmaker() as session:
        assert (await session.exec(select(WebhookEndpoint))).all() == []


async def test_the_secret_is_stored_encrypted_and_opens_with_the_key(
    client: httpx.AsyncClient, actors: Actors, world: World, partner_url: str, settings: Settings
) -> None:
    created = await register(client, world.receiver, partner_url)
    async with actors.sessionmaker() as session:
        endpoint = await session.get(WebhookEndpoint, UUID(created["id"]))
    assert endpoint is not None
    assert PARTNER_SECRET not in endpoint.secret
    key = Fernet(settings.webhook_secret_key_list[0])
    assert key.decrypt(endpoint.secret.encode()).decode() == PARTNER_SECRET


async def test_the_same_endpoint_twice_is_a_duplicate(
    client: httpx.AsyncClient, world: World, partner_url: str
) -> None:
    await register(client, world.receiver, partner_url)
    answer = await client.post(
        ENDPOINTS, json={"url": partner_url, "secret": "x" * 40}, headers=world.receiver.headers
    )
    expect_problem(answer, 409, "duplicate")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.SHELTER_MANAGER, True),
        (Role.PARTNER_SYSTEM, True),
        (Role.SOCIAL_WORKER, False),
        (Role.PSYCHOLOGIST, False),
        (Role.COORDINATOR, False),
        (Role.ADMIN, False),
        (Role.SCME_SYSTEM, False),
    ],
)
async def test_who_registers_endpoints(
    client: httpx.AsyncClient, actors: Actors, role: Role, allowed: bool
) -> None:
    caller = await actors.caller(role)
    body = {"url": "https://partner.example/events", "secret": "s" * 40}
    answer = await client.post(ENDPOINTS, json=body, headers=caller.headers)
    if allowed:
        assert answer.status_code == 201, answer.text
    else:
        expect_problem(answer, 403, "forbidden")


# --- deliveries -------------------------------------------------------------------------------


async def test_a_referral_reaches_the_receiver_signed_and_verified(
    client: httpx.AsyncClient,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
) -> None:
    await register(client, world.receiver, partner_url)
    referral_id = await refer(client, world)
    assert await outbox_worker().run_once() == 1
    assert fake_partner.refused == []
    [delivery] = fake_partner.kept.values()
    assert delivery.headers["vot-event"] == "referral.requested"
    assert delivery.key == delivery.body["id"]
    assert delivery.body["type"] == "referral.requested"
    assert delivery.body["organisation_id"] == str(world.receiver.organisation_id)
    assert delivery.body["data"] == {
        "referral_id": referral_id,
        "victim_id": str(world.person.id),
        "status": "requested",
    }
    # ids and states only: no name, address or phone travels in a webhook
    for value in (world.person.given_name, world.person.family_name, "Synthetic Avenue"):
        assert value.encode() not in delivery.raw


async def test_the_answer_goes_back_to_the_sender_only(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
) -> None:
    await register(client, world.sender_manager, partner_url)
    referral_id = await refer(client, world)  # the sender acted: nothing for it
    assert await outbox(actors) == []
    accepted = await client.post(
        f"{API}/referrals/{referral_id}/accept", headers=world.receiver.headers
    )
    assert accepted.status_code == 200, accepted.text
    await outbox_worker().run_once()
    assert [d.body["type"] for d in fake_partner.kept.values()] == ["referral.accepted"]
    assert [d.body["organisation_id"] for d in fake_partner.kept.values()] == [
        str(world.sender.organisation_id)
    ]


async def test_a_consent_withdrawal_is_told_to_the_recipient(
    client: httpx.AsyncClient,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
) -> None:
    await register(client, world.receiver, partner_url)
    base = f"{API}/victims/{world.person.id}/consents"
    items = (await client.get(base, headers=world.sender.headers)).json()["items"]
    [share] = [c for c in items if c["purpose"] == "share_with_organisation"]
    await client.post(f"{base}/{share['id']}/withdraw", headers=world.sender.headers)
    await outbox_worker().run_once()
    [delivery] = fake_partner.kept.values()
    assert delivery.body["type"] == "consent.withdrawn"
    assert delivery.body["data"]["consent_id"] == share["id"]


async def test_a_wrong_secret_is_refused_by_the_partner_and_its_manager_sees_why(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
    coordinator: Actor,
) -> None:
    await register(client, world.receiver, partner_url, secret="not-the-partners-secret-" * 2)
    await refer(client, world)
    await outbox_worker().run_once()
    assert fake_partner.kept == {}
    assert len(fake_partner.refused) == 1
    receiving_system = await actors.client(
        Role.PARTNER_SYSTEM, await actors.home_of(world.receiver)
    )
    for reader in (world.receiver, receiving_system, coordinator):
        listed = await client.get(f"{API}/outbox-messages", headers=reader.headers)
        [failed] = listed.json()["items"]
        assert (failed["status"], failed["last_status_code"], failed["event"]) == (
            "dead",
            401,
            "referral.requested",
        )
    other = await client.get(f"{API}/outbox-messages", headers=world.sender_manager.headers)
    assert other.json()["items"] == []
    expect_problem(
        await client.get(
            f"{API}/outbox-messages/{failed['id']}", headers=world.sender_manager.headers
        ),
        404,
        "not_found",
    )


async def test_the_manager_retries_a_dead_delivery_of_its_organisation(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
) -> None:
    await register(client, world.receiver, partner_url)
    fake_partner.script(statuses=[400])
    await refer(client, world)
    await outbox_worker().run_once()
    [dead] = await outbox(actors)
    assert dead.status == "dead"
    answer = await client.post(
        f"{API}/outbox-messages/{dead.id}/retry", headers=world.receiver.headers
    )
    assert answer.status_code == 200, answer.text
    await outbox_worker().run_once()
    assert len(fake_partner.kept) == 1


async def test_a_deactivated_endpoint_gets_nothing_more(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
) -> None:
    endpoint = await register(client, world.receiver, partner_url)
    await refer(client, world)
    answer = await client.post(
        f"{ENDPOINTS}/{endpoint['id']}/deactivate", headers=world.receiver.headers
    )
    assert answer.status_code == 200 and answer.json()["active"] is False
    assert [m.status for m in await outbox(actors)] == ["cancelled"]
    await refer(client, world)  # a second request: no endpoint to tell
    assert len(await outbox(actors)) == 1
    assert await outbox_worker().run_once() == 0
    assert fake_partner.hits == []


# --- the documented check ---------------------------------------------------------------------


def documented_verify() -> Callable[..., bool]:
    """The verification snippet of docs/integrations.md, run as an integrator would copy it."""
    text = DOCS.read_text()
    section = text[text.index("## Verifying a delivery") :]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None, "docs/integrations.md shows the check in Python"
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOCS), "exec"), namespace)  # noqa: S102 - our own docs
    verify: Callable[..., bool] = namespace["verify"]
    return verify


async def test_the_documented_check_verifies_a_real_delivery_and_refuses_tampering(
    client: httpx.AsyncClient,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
) -> None:
    await register(client, world.receiver, partner_url)
    await refer(client, world)
    await outbox_worker().run_once()
    [delivery] = fake_partner.kept.values()
    header, raw = delivery.headers["vot-signature"], delivery.raw
    verify = documented_verify()
    assert verify(PARTNER_SECRET, header, raw)
    assert not verify("another-secret", header, raw)
    assert not verify(PARTNER_SECRET, header, raw.replace(b"requested", b"accepted"))
    timestamp = int(header.split(",")[0].removeprefix("t="))
    # a captured delivery replayed ten minutes later is refused
    assert not verify(PARTNER_SECRET, header, raw, now=timestamp + 600)
    assert verify(PARTNER_SECRET, header, raw, now=time.time())


# --- the keys of the secrets -------------------------------------------------------------------

NEW_KEY, OTHER_KEY = Fernet.generate_key().decode(), Fernet.generate_key().decode()


async def test_a_new_key_put_first_re_encrypts_the_secrets_and_the_old_one_can_go(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
    settings: Settings,
) -> None:
    created = await register(client, world.receiver, partner_url)  # under the development key
    old_key = settings.webhook_secret_key_list[0]
    rotating = outbox_worker(webhook_secret_keys=SecretStr(f"{NEW_KEY},{old_key}"))
    assert await rotating.reencrypt_secrets() == 1
    assert await rotating.reencrypt_secrets() == 0  # under the first key already
    async with actors.sessionmaker() as session:
        endpoint = await session.get(WebhookEndpoint, UUID(created["id"]))
    assert endpoint is not None and endpoint.version == created["version"]
    assert Fernet(NEW_KEY).decrypt(endpoint.secret.encode()).decode() == PARTNER_SECRET
    # the old key dropped: the delivery is signed with the secret, as before
    await refer(client, world)
    assert await outbox_worker(webhook_secret_keys=SecretStr(NEW_KEY)).run_once() == 1
    assert fake_partner.refused == [] and len(fake_partner.kept) == 1


async def test_a_secret_no_key_opens_is_not_sent_and_the_manager_sees_why(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
) -> None:
    await register(client, world.receiver, partner_url)
    await refer(client, world)
    await outbox_worker(webhook_secret_keys=SecretStr(OTHER_KEY)).run_once()
    [message] = await outbox(actors)
    assert message.status == "dead"
    assert message.last_error is not None and "APP_WEBHOOK_SECRET_KEYS" in message.last_error
    assert fake_partner.hits == []


# --- the address a delivery connects to ---------------------------------------------------------


class Recorder:
    """A transport that answers 200 and keeps what would have been sent: the address the
    connection would be made to, the Host header, the TLS SNI name."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self._answer))

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200)


async def registered_while_public(
    client: httpx.AsyncClient, app: FastAPI, world: World, fake_dns: FakeDns, *later: list[str]
) -> None:
    """rebind.example.org, registered while it resolved to a public address; ``later``, what
    it resolves to at each lookup after that."""
    fake_dns.set("rebind.example.org", [PUBLIC], *later)
    with changed_settings(app, webhook_allow_http=False):
        body = {"url": "https://rebind.example.org/events", "secret": PARTNER_SECRET}
        answer = await client.post(ENDPOINTS, json=body, headers=world.receiver.headers)
    assert answer.status_code == 201, answer.text


async def test_a_delivery_connects_to_the_address_checked_not_to_the_name_again(
    client: httpx.AsyncClient,
    actors: Actors,
    app: FastAPI,
    world: World,
    fake_dns: FakeDns,
    outbox_worker: WorkerFactory,
) -> None:
    """DNS rebinding: the name is public when the delivery is checked, private a moment later.
    The connection goes to the address that was checked; the name travels in the Host header
    and as the TLS SNI name, against which the certificate is verified
    (tests/integration/test_pinned_tls.py makes that handshake)."""
    await registered_while_public(client, app, world, fake_dns, [ALSO_PUBLIC], [PRIVATE])
    await refer(client, world)
    recorder = Recorder()
    worker = outbox_worker(client=recorder.client(), webhook_allow_http=False)
    assert await worker.run_once() == 1
    [sent] = recorder.requests
    assert sent.url.host == ALSO_PUBLIC and sent.url.port is None
    assert sent.url.scheme == "https" and sent.url.path == "/events"
    assert sent.headers["host"] == "rebind.example.org"
    assert sent.extensions["sni_hostname"] == "rebind.example.org"
    assert sent.headers["connection"] == "close"  # never pooled for another name
    assert fake_dns.lookups == ["rebind.example.org"] * 2  # the registration, the delivery
    [message] = await outbox(actors)
    assert message.status == "sent"


async def test_a_name_that_now_resolves_to_a_private_address_is_refused_before_connecting(
    client: httpx.AsyncClient,
    actors: Actors,
    app: FastAPI,
    world: World,
    fake_dns: FakeDns,
    outbox_worker: WorkerFactory,
) -> None:
    await registered_while_public(client, app, world, fake_dns, [PUBLIC, PRIVATE])
    await refer(client, world)
    recorder = Recorder()
    await outbox_worker(client=recorder.client(), webhook_allow_http=False).run_once()
    assert recorder.requests == []
    [message] = await outbox(actors)
    assert message.status == "dead"
    assert message.last_error is not None and "public address" in message.last_error


async def test_a_name_that_does_not_resolve_when_sending_is_tried_again_later(
    client: httpx.AsyncClient,
    actors: Actors,
    app: FastAPI,
    world: World,
    fake_dns: FakeDns,
    outbox_worker: WorkerFactory,
) -> None:
    await registered_while_public(client, app, world, fake_dns, [])
    await refer(client, world)
    recorder = Recorder()
    await outbox_worker(client=recorder.client(), webhook_allow_http=False).run_once()
    assert recorder.requests == []
    [message] = await outbox(actors)
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error is not None and "did not resolve" in message.last_error


async def test_outside_development_an_endpoint_resolving_to_a_local_address_gets_nothing(
    client: httpx.AsyncClient,
    actors: Actors,
    world: World,
    partner_url: str,
    fake_partner: FakePartner,
    outbox_worker: WorkerFactory,
) -> None:
    """Registered while local addresses were allowed (or a name that now resolves to one):
    when the address is checked at send time, the delivery is refused, and nothing is sent."""
    await register(client, world.receiver, partner_url)
    await refer(client, world)
    await outbox_worker(webhook_allow_http=False).run_once()
    [message] = await outbox(actors)
    assert message.status == "dead"
    assert message.last_error is not None and "public address" in message.last_error
    assert fake_partner.hits == []


@pytest.mark.parametrize(
    ("url", "public"),
    [
        ("https://127.0.0.1/events", False),
        ("https://localhost/events", False),  # resolved by the system: /etc/hosts
        ("https://[::1]/events", False),
        ("https://8.8.8.8/events", True),
    ],
)
async def test_what_counts_as_a_public_address_when_sending(url: str, public: bool) -> None:
    found = await checked_addresses(url, public_only=True)
    assert (found == (urlsplit(url).hostname,)) if public else isinstance(found, Skip)
