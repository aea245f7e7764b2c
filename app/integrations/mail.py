"""One email to a staff member, sent over SMTP with TLS, and what came of it: the outbox's second
transport beside HTTP (``sending.Sender.send``). A reply of the mail server is read as SMTP
means it: 2xx sent, 4xx try again later, 5xx refused for good."""

import asyncio
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import aiosmtplib

from app.config import Settings
from app.domain.exchange import Outcome
from app.integrations.http import Answer


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    # the outbox message's id: the same on every attempt, so a reader's client shows one copy
    message_key: str


def message_of(mail: Mail, settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.smtp_sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    domain = settings.smtp_sender.rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=mail.message_key, domain=domain)
    message.set_content(mail.text)
    return message


async def send(mail: Any, settings: Settings, deadline: float) -> Answer:
    """Send once within ``deadline`` seconds; every failure becomes an Answer (the SMTP reply
    code, or none when no server answered), never an exception, and never names the address."""
    if not isinstance(mail, Mail):
        return Answer(None, "not an email")
    try:
        async with asyncio.timeout(deadline):
            await aiosmtplib.send(message_of(mail, settings), **_connection(settings, deadline))
    except aiosmtplib.SMTPRecipientsRefused as exc:
        code = exc.recipients[0].code if exc.recipients else 550
        return Answer(code, f"SMTP {code}: recipient refused")
    except aiosmtplib.SMTPResponseException as exc:
        return Answer(exc.code, f"SMTP {exc.code}")
    except (TimeoutError, aiosmtplib.SMTPTimeoutError):
        return Answer(None, "timeout: no answer in time")
    except (aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
        return Answer(None, f"connection failed: {type(exc).__name__}")
    return Answer(250)


def outcome_of_reply(code: int | None) -> Outcome:
    if code is not None and 200 <= code < 300:
        return Outcome.DELIVERED
    if code is None or 400 <= code < 500:
        return Outcome.RETRY  # no server, or a transient refusal (greylisting, a full mailbox)
    return Outcome.REFUSED


def _connection(settings: Settings, deadline: float) -> dict[str, Any]:
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    tls: dict[str, Any] = {"use_tls": False, "start_tls": False}
    if settings.smtp_security != "none":
        context = ssl.create_default_context(
            cafile=str(settings.smtp_ca_file) if settings.smtp_ca_file else None
        )
        starttls = settings.smtp_security == "starttls"
        tls = {"use_tls": not starttls, "start_tls": starttls, "tls_context": context}
    return {
        "hostname": settings.smtp_host,
        "port": settings.smtp_port,
        "username": settings.smtp_username,
        "password": password,
        "timeout": deadline,
        **tls,
    }
