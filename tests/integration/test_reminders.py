"""The daily digest (issue 19): a member who asks for it gets, through the outbox, an email over
TLS from a local SMTP server these tests start (aiosmtpd) with the counts of their worklist and
links into the frontend — and no name, registration number or id of any person in it. A
transient refusal is tried again, a permanent one ends the message dead."""

import datetime as dt
import email
import ipaddress
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from fastapi import FastAPI
from sqlmodel import select

from app.config import Settings
from app.domain.access import Role
from app.domain.casework import FollowUpTrigger
from app.domain.exchange import OutboxStatus, Topic
from app.domain.reminders import LABELS
from app.domain.vocabulary import OrganisationKind
from app.domain.worklist import WorkKind
from app.integrations.worker import OutboxWorker
from app.models import FollowUpContact, OutboxMessage, Victim
from app.services import reminders
from tests.api.pathway import API
from tests.conftest import FakeClock
from tests.factories import Actor, Actors

FRONTEND = "https://cases.example"


class Inbox:
    """The local mail server's handler: what it accepted, and over what."""

    def __init__(self) -> None:
        self.accepted: list[tuple[Envelope, bool]] = []
        self.reply: str | None = None  # a refusal to answer DATA with, instead of accepting

    async def handle_DATA(self, _server: SMTP, session: Session, envelope: Envelope) -> str:
        if self.reply is not None:
            return self.reply
        self.accepted.append((envelope, session.ssl is not None))
        return "250 OK"

    def messages(self) -> list[Message]:
        return [email.message_from_bytes(e.content) for e, _ in self.accepted]  # type: ignore[arg-type]


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1: the server's, and the CA the sender trusts."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "smtp.pem", folder / "smtp.key"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class MailServer:
    inbox: Inbox
    port: int
    ca_file: Path


@pytest.fixture(scope="module")
def mail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailServer]:
    """aiosmtpd on loopback, refusing mail before STARTTLS."""
    cert, key = _certificate(tmp_path_factory.mktemp("smtp"))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    inbox, port = Inbox(), _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    try:
        yield MailServer(inbox, port, cert)
    finally:
        controller.stop()


@pytest.fixture
def inbox(mail_server: MailServer) -> Iterator[Inbox]:
    mail_server.inbox.accepted.clear()
    mail_server.inbox.reply = None
    yield mail_server.inbox
    mail_server.inbox.reply = None


@pytest.fixture
def mailing(settings: Settings, mail_server: MailServer) -> Settings:
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": mail_server.port,
            "smtp_security": "starttls",
            "smtp_ca_file": mail_server.ca_file,
            "smtp_sender": "reminders@cases.example",
            "frontend_url": FRONTEND,
            "outbox_timeout_seconds": 5.0,
        }
    )


@dataclass
class Desk:
    member: Actor
    victim: Victim


@pytest.fixture
async def desk(actors: Actors, clock: FakeClock) -> Desk:
    """A social worker with one follow-up contact overdue and one due today, of a person with
    names nobody else has."""
    ngo = await actors.organisation(OrganisationKind.NGO)
    member = await actors.user(Role.SOCIAL_WORKER, ngo)
    victim: Victim = await actors.victim(ngo, given_name="Zuhra", family_name="Qalandarova")
    today = clock.today()
    for due in (today - dt.timedelta(days=3), today):
        await actors.add(
            FollowUpContact(
                victim_id=victim.id,
                trigger=FollowUpTrigger.CASE_CLOSED,
                organisation_id=ngo.id,
                due_on=due,
                rulebook_version="test",
            )
        )
    return Desk(member, victim)


async def ask_for_digest(client: httpx.AsyncClient, member: Actor, **body: Any) -> None:
    body = {"daily_digest": True, "email": "worker@ngo.example"} | body
    answer = await client.put(f"{API}/worklist/reminders", json=body, headers=member.headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == body


async def queue(app: FastAPI, clock: FakeClock) -> int:
    async with app.state.sessionmaker() as session, session.begin():
        return await reminders.queue_daily(session, clock.today(), clock.now())


async def send(app: FastAPI, mailing: Settings, clock: FakeClock) -> None:
    worker = OutboxWorker(app.state.sessionmaker, mailing, clock, jitter=lambda: 0.0)
    try:
        await worker.run_once()
    finally:
        await worker.aclose()


async def digests(app: FastAPI) -> list[OutboxMessage]:
    async with app.state.sessionmaker() as session:
        query = select(OutboxMessage).where(OutboxMessage.topic == Topic.DIGEST)
        return list((await session.exec(query)).all())


async def test_the_digest_reaches_the_member_over_tls_and_names_no_one(
    app: FastAPI,
    client: httpx.AsyncClient,
    clock: FakeClock,
    desk: Desk,
    inbox: Inbox,
    mailing: Settings,
) -> None:
    await ask_for_digest(client, desk.member)
    assert await queue(app, clock) == 1
    await send(app, mailing, clock)
    [(envelope, over_tls)] = inbox.accepted
    assert over_tls
    assert envelope.rcpt_tos == ["worker@ngo.example"]
    [message] = inbox.messages()
    today = clock.today().isoformat()
    assert message["Subject"] == f"Worklist {today}: 1 overdue, 1 due"
    text = message.get_payload(decode=True).decode()  # type: ignore[union-attr]
    assert f"{LABELS[WorkKind.FOLLOW_UP_CONTACT]}: 1 overdue, 1 due" in text
    assert f"{FRONTEND}/worklist?kind=follow_up_contact" in text
    raw = envelope.content.decode()  # type: ignore[union-attr]
    for secret in (
        desk.victim.given_name,
        desk.victim.family_name,
        desk.victim.registration_number,
        str(desk.victim.id),
    ):
        assert secret not in raw
    [sent] = await digests(app)
    assert sent.status is OutboxStatus.SENT
    assert sent.payload == {}  # the outbox holds no personal data either


async def test_a_day_queues_one_digest_for_each_member_who_asks_for_one(
    app: FastAPI, client: httpx.AsyncClient, clock: FakeClock, actors: Actors, desk: Desk
) -> None:
    await ask_for_digest(client, desk.member)
    silent = await actors.user(Role.SOCIAL_WORKER)  # never asked
    gone = await actors.user(Role.PSYCHOLOGIST)
    await ask_for_digest(client, gone, email="gone@ngo.example")
    admin = await actors.user(Role.ADMIN)
    left = await client.post(f"{API}/users/{gone.id}/deactivate", headers=admin.headers)
    assert left.status_code == 200, left.text
    assert await queue(app, clock) == 1
    assert await queue(app, clock) == 0  # the same day again: nothing more
    assert [m.record_id for m in await digests(app)] == [desk.member.id]
    assert silent.id not in {m.record_id for m in await digests(app)}
    clock.set(clock.now() + dt.timedelta(days=1))
    assert await queue(app, clock) == 1  # the next day's


async def test_a_member_who_stops_the_digest_before_it_leaves_is_not_sent_it(
    app: FastAPI,
    client: httpx.AsyncClient,
    clock: FakeClock,
    desk: Desk,
    inbox: Inbox,
    mailing: Settings,
) -> None:
    await ask_for_digest(client, desk.member)
    await queue(app, clock)
    await ask_for_digest(client, desk.member, daily_digest=False)
    await send(app, mailing, clock)
    assert inbox.accepted == []
    [cancelled] = await digests(app)
    assert cancelled.status is OutboxStatus.CANCELLED


@pytest.mark.parametrize(
    ("reply", "status", "attempts"),
    [
        ("451 4.3.0 try again later", OutboxStatus.PENDING, 1),
        ("550 5.1.1 no such mailbox", OutboxStatus.DEAD, 1),
    ],
)
async def test_a_transient_refusal_is_tried_again_and_a_permanent_one_is_dead(
    app: FastAPI,
    client: httpx.AsyncClient,
    clock: FakeClock,
    desk: Desk,
    inbox: Inbox,
    mailing: Settings,
    reply: str,
    status: OutboxStatus,
    attempts: int,
) -> None:
    await ask_for_digest(client, desk.member)
    await queue(app, clock)
    inbox.reply = reply
    await send(app, mailing, clock)
    [message] = await digests(app)
    assert (message.status, message.attempts) == (status, attempts)
    assert message.last_error is not None and message.last_error.startswith(f"SMTP {reply[:3]}")
    assert "worker@ngo.example" not in message.last_error
    if status is OutboxStatus.PENDING:  # tried again once due, and delivered
        assert message.next_attempt_at > clock.now()
        inbox.reply = None
        clock.set(message.next_attempt_at + dt.timedelta(seconds=1))
        await send(app, mailing, clock)
        assert [m.status for m in await digests(app)] == [OutboxStatus.SENT]
        assert len(inbox.accepted) == 1


async def test_no_mail_server_is_an_attempt_tried_again_later(
    app: FastAPI, client: httpx.AsyncClient, clock: FakeClock, desk: Desk, mailing: Settings
) -> None:
    await ask_for_digest(client, desk.member)
    await queue(app, clock)
    await send(app, mailing.model_copy(update={"smtp_port": _free_port()}), clock)
    [message] = await digests(app)
    assert (message.status, message.attempts) == (OutboxStatus.PENDING, 1)
    assert message.last_error is not None and message.last_error.startswith("connection failed")


async def test_a_digest_needs_an_address_and_is_a_members_own(
    client: httpx.AsyncClient, actors: Actors, desk: Desk
) -> None:
    url = f"{API}/worklist/reminders"
    refused = await client.put(url, json={"daily_digest": True}, headers=desk.member.headers)
    assert refused.status_code == 422, refused.text
    bad = await client.put(
        url, json={"daily_digest": True, "email": "not an address"}, headers=desk.member.headers
    )
    assert bad.status_code == 422, bad.text
    shown = await client.get(url, headers=desk.member.headers)
    assert shown.json() == {"daily_digest": False, "email": None}  # nothing changed
    system = await actors.client(Role.PARTNER_SYSTEM)
    assert (await client.get(url, headers=system.headers)).status_code == 403


def test_every_kind_of_item_has_its_label_in_the_digest() -> None:
    assert set(LABELS) == set(WorkKind)
