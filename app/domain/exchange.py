"""Exchanges with outside systems: the SCME job-referral state machine (MAN-SCME-PRIORITY), the
outbox's delivery policy, the partner webhooks and their signature. Pure: values in, values out."""

import hashlib
import hmac
import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit
from uuid import UUID

from app.domain.consent import ConsentFacts, ConsentPurpose, has_active_consent
from app.domain.errors import ConsentRequired, InvalidValue


class JobReferralStatus(StrEnum):
    PENDING = "pending"  # in the outbox
    SENT = "sent"  # SCME has it
    ACKNOWLEDGED = "acknowledged"
    INTERVIEW = "interview"
    PLACED = "placed"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"  # the person withdrew the consent


class ScmeEvent(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    INTERVIEW = "interview"
    PLACED = "placed"
    CLOSED = "closed"


_J = JobReferralStatus
OPEN_JOB_REFERRAL_STATES = frozenset(
    {_J.PENDING, _J.SENT, _J.ACKNOWLEDGED, _J.INTERVIEW, _J.PLACED}
)
# what SCME reads and reports on: a job referral it received (until the consent is withdrawn)
SHARED_WITH_SCME = frozenset({_J.SENT, _J.ACKNOWLEDGED, _J.INTERVIEW, _J.PLACED, _J.CLOSED})
JOB_REFERRAL_STEPS: Mapping[tuple[JobReferralStatus, str], JobReferralStatus] = {
    (_J.PENDING, "sent"): _J.SENT,
    (_J.SENT, "acknowledged"): _J.ACKNOWLEDGED,
    **{(state, "interview"): _J.INTERVIEW for state in (_J.SENT, _J.ACKNOWLEDGED, _J.INTERVIEW)},
    **{(state, "placed"): _J.PLACED for state in (_J.SENT, _J.ACKNOWLEDGED, _J.INTERVIEW)},
    **{(state, "closed"): _J.CLOSED for state in OPEN_JOB_REFERRAL_STATES - {_J.PENDING}},
    **{(state, "withdraw"): _J.WITHDRAWN for state in OPEN_JOB_REFERRAL_STATES},
}


def check_scme_consent(consents: Iterable[ConsentFacts]) -> None:
    """MAN-SCME-PRIORITY: a job referral goes to SCME only with the person's consent."""
    if not has_active_consent(consents, ConsentPurpose.SCME_JOB_REFERRAL):
        raise ConsentRequired(
            "MAN-SCME-PRIORITY",
            "The person has not consented to a job referral to the State Committee for "
            "Migration and Employment.",
        )


def check_placement(kind: ScmeEvent, employer: str | None) -> None:
    """MAN-SCME-PRIORITY: a placement names the employer."""
    if kind is ScmeEvent.PLACED and not employer:
        raise InvalidValue("employer", "A placement names the employer.")


# --- the outbox -------------------------------------------------------------------------------


class OutboxStatus(StrEnum):
    PENDING = "pending"  # due now or later; a worker may hold it under a lease
    SENT = "sent"
    DEAD = "dead"  # gave up: the last error is kept, the coordinator may retry
    CANCELLED = "cancelled"  # no longer to be sent (the consent was withdrawn, the endpoint off)


class Topic(StrEnum):
    SCME_JOB_REFERRAL = "scme.job_referral"
    SCME_WITHDRAWAL = "scme.withdrawal"
    WEBHOOK = "webhook"
    DIGEST = "email.digest"  # a staff member's daily reminder (issue 19)


OUTBOX_STEPS: Mapping[tuple[OutboxStatus, str], OutboxStatus] = {
    # a 2xx is the truth, even when it lands after the message was given up or cancelled
    **{(s, "deliver"): OutboxStatus.SENT for s in OutboxStatus if s is not OutboxStatus.SENT},
    (OutboxStatus.PENDING, "give up"): OutboxStatus.DEAD,
    (OutboxStatus.PENDING, "cancel"): OutboxStatus.CANCELLED,
    (OutboxStatus.DEAD, "retry"): OutboxStatus.PENDING,
}


class Outcome(StrEnum):
    DELIVERED = "delivered"
    RETRY = "retry"  # the receiver may do better later: network, timeout, 408, 425, 429, 5xx
    REFUSED = "refused"  # any other answer: retrying the same request cannot help


def outcome_of(status_code: int | None, *, gone_is_done: bool = False) -> Outcome:
    """How the worker reads an answer; ``None`` when no answer came (network error, timeout).
    ``gone_is_done``: for a withdrawal, 404 or 410 means there is nothing left to withdraw."""
    if status_code is not None and 200 <= status_code < 300:
        return Outcome.DELIVERED
    if gone_is_done and status_code in (404, 410):
        return Outcome.DELIVERED
    if status_code is None or status_code >= 500 or status_code in (408, 425, 429):
        return Outcome.RETRY
    return Outcome.REFUSED


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    base_seconds: float
    max_seconds: float


def next_attempt(
    now: datetime, attempts: int, policy: RetryPolicy, jitter: float
) -> datetime | None:
    """When to try again after ``attempts`` failed ones, or None to give up. Exponential
    backoff, base × 2^(attempts−1) capped at the maximum, times a factor in [0.5, 1.0) drawn
    by the caller (``jitter`` in [0, 1)), so that messages failing together do not retry in
    step."""
    if attempts >= policy.max_attempts:
        return None
    delay = min(policy.max_seconds, policy.base_seconds * 2 ** max(0, attempts - 1))
    return now + timedelta(seconds=delay * (0.5 + jitter / 2))


# --- partner webhooks -------------------------------------------------------------------------


class WebhookEvent(StrEnum):
    REFERRAL_REQUESTED = "referral.requested"
    REFERRAL_ACCEPTED = "referral.accepted"
    REFERRAL_DECLINED = "referral.declined"
    REFERRAL_CANCELLED = "referral.cancelled"
    REFERRAL_IN_PROGRESS = "referral.in_progress"
    REFERRAL_COMPLETED = "referral.completed"
    CONSENT_GIVEN = "consent.given"
    CONSENT_WITHDRAWN = "consent.withdrawn"


def referral_event_recipients(
    sender: UUID, receiver: UUID, actor_organisation: UUID | None
) -> frozenset[UUID]:
    """A referral's news goes to the parties that did not make it: the receiver learns of a
    request or a cancellation, the sender of an answer (the coordinator's acts reach both)."""
    return frozenset({sender, receiver} - {actor_organisation})


def retry_after_seconds(header: str | None, policy: RetryPolicy) -> float | None:
    """A receiver's ``Retry-After`` in seconds, no longer than the longest backoff (a receiver
    cannot park a message for years); None when absent or not a number of seconds."""
    if header is None or not header.isascii() or not header.isdigit():
        return None
    return min(float(header), policy.max_seconds)


# Names that never lead to a partner on the Internet, refused at registration: special-use
# names (RFC 6761: localhost, test, invalid, example; RFC 6762: local; RFC 8375: home.arpa),
# ICANN's private-use internal, and lan, which home and office routers hand out.
SPECIAL_USE_NAMES = (
    "localhost",
    "local",
    "internal",
    "test",
    "invalid",
    "example",
    "home.arpa",
    "lan",
)
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# NAT64's well-known prefix (RFC 6052): 64:ff9b::10.0.0.5 reaches 10.0.0.5
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def check_endpoint_url(url: str, allow_plain_http: bool) -> None:
    """A partner endpoint is HTTPS on a public host: deliveries carry signed case events, and
    an endpoint must not turn the worker against the service's own network. Plain HTTP and
    local hosts only where the settings allow them (development, tests). The form of the host
    only: whether its name resolves to public addresses is asked of DNS by the service."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidValue("url", "The endpoint is an absolute HTTPS URL.")
    if parts.username or parts.password or parts.fragment:
        raise InvalidValue("url", "The endpoint carries no credentials and no fragment.")
    try:
        parts.port  # noqa: B018 - a port out of range is refused here, not when sending
    except ValueError:
        raise InvalidValue("url", "The endpoint's port is a number from 1 to 65535.") from None
    if allow_plain_http:
        return
    if parts.scheme != "https":
        raise InvalidValue("url", "The endpoint uses HTTPS.")
    if not is_public_host(parts.hostname):
        raise InvalidValue("url", "The endpoint is on a public host: a public DNS name or address.")


def endpoint_target(url: str) -> tuple[str, int]:
    """The host and port a delivery to ``url`` connects to (of a URL checked above)."""
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80)


def is_public_host(host: str) -> bool:
    """A public address, or a name that can be a public one: two labels at least (``intranet``
    is not), each of letters, digits and hyphens, the last starting with a letter (so none of
    the numeric spellings of an address a resolver also accepts: ``2130706433``,
    ``0x7f000001``, ``127.1``), and not under a special-use name (``localhost.``, ``LOCALHOST``,
    ``printer.local``, ``db.internal``)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        pass
    else:
        return is_public_address(host)
    name = host.lower().removesuffix(".")  # one trailing dot: the name is fully qualified
    try:
        name = name.encode("idna").decode("ascii")
    except UnicodeError:
        return False
    labels = name.split(".")
    if len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return False
    if not labels[-1][:1].isalpha():
        return False
    return not any(name == s or name.endswith("." + s) for s in SPECIAL_USE_NAMES)


def is_public_address(address: str) -> bool:
    """An address on the public Internet (``ipaddress``'s global, not multicast). An IPv6
    address that carries an IPv4 one (IPv4-mapped, 6to4, NAT64) is public only if that one is:
    ``::ffff:10.0.0.5`` reaches 10.0.0.5."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        inner = ip.ipv4_mapped or ip.sixtofour
        if inner is None and ip in _NAT64:
            inner = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if inner is not None and not is_public_address(str(inner)):
            return False
    return ip.is_global and not ip.is_multicast


SIGNATURE_HEADER = "VoT-Signature"


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """Webhook signature: HMAC-SHA256 of "<timestamp>.<body>" with the endpoint's secret, hex.
    Sent as ``VoT-Signature: t=<timestamp>,v1=<hex>``; a receiver recomputes it and refuses old
    timestamps, so a captured delivery cannot be replayed later."""
    message = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int, body: bytes) -> str:
    return f"t={timestamp},v1={signature(secret, timestamp, body)}"
