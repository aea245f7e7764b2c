"""MAN-SCME-PRIORITY and the exchange policies: the job-referral state machine, the consent at
the door, how the outbox reads an answer and backs off, who hears of a referral, which endpoints
may be registered, and the webhook signature."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from app.domain.consent import ConsentFacts, ConsentPurpose
from app.domain.errors import ConsentRequired, InvalidTransition, InvalidValue
from app.domain.exchange import (
    JOB_REFERRAL_STEPS,
    OUTBOX_STEPS,
    SHARED_WITH_SCME,
    JobReferralStatus,
    OutboxStatus,
    Outcome,
    RetryPolicy,
    ScmeEvent,
    check_endpoint_url,
    check_placement,
    check_scme_consent,
    endpoint_target,
    is_public_address,
    next_attempt,
    outcome_of,
    referral_event_recipients,
    retry_after_seconds,
    signature,
    signature_header,
)
from app.domain.states import advance

J = JobReferralStatus
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
SCME = ConsentPurpose.SCME_JOB_REFERRAL


# --- MAN-SCME-PRIORITY: the consent ----------------------------------------------------------


def test_a_job_referral_without_the_consent_is_refused_with_the_rule() -> None:
    others = [ConsentFacts(ConsentPurpose.DATA_PROCESSING, None, None)]
    with pytest.raises(ConsentRequired) as refused:
        check_scme_consent(others)
    assert refused.value.rule == "MAN-SCME-PRIORITY"
    assert refused.value.code == "consent_required"


def test_a_withdrawn_consent_does_not_count() -> None:
    with pytest.raises(ConsentRequired):
        check_scme_consent([ConsentFacts(SCME, None, NOW)])


def test_an_active_consent_lets_the_referral_go() -> None:
    check_scme_consent([ConsentFacts(SCME, None, NOW), ConsentFacts(SCME, None, None)])


# --- the state machine ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "event", "after"),
    [
        (J.PENDING, "sent", J.SENT),
        (J.SENT, "acknowledged", J.ACKNOWLEDGED),
        (J.ACKNOWLEDGED, "interview", J.INTERVIEW),
        (J.INTERVIEW, "interview", J.INTERVIEW),  # a second interview
        (J.INTERVIEW, "placed", J.PLACED),
        (J.PLACED, "closed", J.CLOSED),
        (J.ACKNOWLEDGED, "closed", J.CLOSED),
        (J.SENT, "withdraw", J.WITHDRAWN),
        (J.PLACED, "withdraw", J.WITHDRAWN),
    ],
)
def test_job_referral_steps(state: J, event: str, after: J) -> None:
    assert advance(JOB_REFERRAL_STEPS, "job referral", state, event) is after


@pytest.mark.parametrize(
    ("state", "event"),
    [
        (J.CLOSED, "placed"),
        (J.CLOSED, "withdraw"),
        (J.WITHDRAWN, "acknowledged"),
        (J.PLACED, "interview"),
        (J.INTERVIEW, "acknowledged"),
        (J.SENT, "sent"),
        (J.PENDING, "acknowledged"),  # SCME reports on what it was recorded to have
        (J.PENDING, "closed"),
    ],
)
def test_job_referral_steps_refused(state: J, event: str) -> None:
    with pytest.raises(InvalidTransition):
        advance(JOB_REFERRAL_STEPS, "job referral", state, event)


def test_scme_never_reads_a_pending_or_withdrawn_referral_by_its_state() -> None:
    assert J.PENDING not in SHARED_WITH_SCME
    assert J.WITHDRAWN not in SHARED_WITH_SCME


def test_a_placement_names_the_employer() -> None:
    with pytest.raises(InvalidValue):
        check_placement(ScmeEvent.PLACED, None)
    check_placement(ScmeEvent.PLACED, "Synthetic Bakery LLC")
    check_placement(ScmeEvent.INTERVIEW, None)


# --- delivery ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        (200, Outcome.DELIVERED),
        (201, Outcome.DELIVERED),
        (204, Outcome.DELIVERED),
        (None, Outcome.RETRY),
        (500, Outcome.RETRY),
        (503, Outcome.RETRY),
        (429, Outcome.RETRY),
        (408, Outcome.RETRY),
        (301, Outcome.REFUSED),  # no redirects followed
        (400, Outcome.REFUSED),
        (401, Outcome.REFUSED),
        (404, Outcome.REFUSED),
        (422, Outcome.REFUSED),
    ],
)
def test_how_an_answer_is_read(status: int | None, outcome: Outcome) -> None:
    assert outcome_of(status) is outcome


def test_a_withdrawal_of_what_the_receiver_does_not_have_is_done() -> None:
    assert outcome_of(404, gone_is_done=True) is Outcome.DELIVERED
    assert outcome_of(410, gone_is_done=True) is Outcome.DELIVERED
    assert outcome_of(500, gone_is_done=True) is Outcome.RETRY


POLICY = RetryPolicy(max_attempts=5, base_seconds=2.0, max_seconds=10.0)


def test_backoff_doubles_and_is_capped() -> None:
    delays = [next_attempt(NOW, n, POLICY, jitter=0.999999) for n in range(1, 5)]
    seconds = [round((d - NOW).total_seconds()) for d in delays if d is not None]
    assert seconds == [2, 4, 8, 10]


def test_jitter_spreads_a_retry_over_half_to_all_of_the_delay() -> None:
    earliest = next_attempt(NOW, 3, POLICY, jitter=0.0)
    latest = next_attempt(NOW, 3, POLICY, jitter=0.999999)
    assert earliest == NOW + timedelta(seconds=4)
    assert latest is not None and NOW + timedelta(seconds=7.99) < latest <= NOW + timedelta(
        seconds=8
    )


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("7", 7.0), ("999999999999", 10.0), (None, None), ("-5", None), ("²", None), ("1.5", None)],
)
def test_a_receivers_retry_after_is_read_and_capped(
    header: str | None, seconds: float | None
) -> None:
    assert retry_after_seconds(header, POLICY) == seconds


def test_the_last_attempt_gives_up() -> None:
    assert next_attempt(NOW, 4, POLICY, 0.5) is not None
    assert next_attempt(NOW, 5, POLICY, 0.5) is None


# --- webhooks ---------------------------------------------------------------------------------


def test_referral_news_goes_to_the_parties_that_did_not_act() -> None:
    sender, receiver, coordinator = uuid4(), uuid4(), uuid4()
    assert referral_event_recipients(sender, receiver, sender) == {receiver}
    assert referral_event_recipients(sender, receiver, receiver) == {sender}
    assert referral_event_recipients(sender, receiver, coordinator) == {sender, receiver}


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example/events",  # plain HTTP
        "https://127.0.0.1/events",
        "https://10.1.2.3/events",
        "https://[::1]/events",
        "https://2130706433/events",  # 127.0.0.1, as a resolver reads it
        "https://0x7f000001/events",
        "https://127.1/events",
        "https://localhost/events",
        "https://db.internal/events",
        "https://user:pw@partner.example.org/events",
        "ftp://partner.example.org/events",
        "partner.example.org/events",
        # localhost in any spelling, and names that are not public ones
        "https://localhost./events",
        "https://localhost.:8443/events",
        "https://LocalHost/events",
        "https://app.localhost/events",
        "https://intranet/events",  # one label: the resolver's search domains decide
        "https://intranet./events",
        "https://printer.local/events",
        "https://partner.test/events",
        "https://partner.invalid/events",
        "https://partner.example/events",
        "https://router.home.arpa/events",
        "https://nas.lan/events",
        "https://a..b.org/events",
        "https://under_score.example.org/events",
        "https://-dash.example.org/events",
        "https://partner.example.org:99999/events",  # no such port
        # addresses that are not public, however spelt
        "https://100.64.0.1/events",  # shared address space (carrier NAT)
        "https://169.254.169.254/latest/meta-data",  # a cloud's metadata service
        "https://[fe80::1]/events",
        "https://[::ffff:127.0.0.1]/events",  # IPv4-mapped
        "https://[64:ff9b::a00:5]/events",  # NAT64 of 10.0.0.5
        "https://224.0.1.1/events",  # multicast
        "https://0.0.0.0/events",
    ],
)
def test_endpoints_that_are_refused(url: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_endpoint_url(url, allow_plain_http=False)
    assert refused.value.field == "url"


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2606:4700:4700::1111", True),
        ("::ffff:8.8.8.8", True),
        ("64:ff9b::808:808", True),  # NAT64 of 8.8.8.8
        ("10.0.0.5", False),
        ("127.0.0.1", False),
        ("::1", False),
        ("::ffff:10.0.0.5", False),
        ("64:ff9b::a00:5", False),
        ("2002:a00:5::1", False),  # 6to4 of 10.0.0.5
        ("100.64.0.1", False),
        ("192.0.2.1", False),  # documentation
        ("224.0.1.1", False),
        ("fe80::1%eth0", False),
        ("partner.example.org", False),  # a name is no address
    ],
)
def test_what_counts_as_a_public_address(address: str, public: bool) -> None:
    assert is_public_address(address) is public


def test_outbox_states() -> None:
    for state in (OutboxStatus.PENDING, OutboxStatus.DEAD, OutboxStatus.CANCELLED):
        assert advance(OUTBOX_STEPS, "message", state, "deliver") is OutboxStatus.SENT
    assert advance(OUTBOX_STEPS, "message", OutboxStatus.DEAD, "retry") is OutboxStatus.PENDING
    for state, action in ((OutboxStatus.SENT, "retry"), (OutboxStatus.SENT, "deliver")):
        with pytest.raises(InvalidTransition):
            advance(OUTBOX_STEPS, "message", state, action)


@pytest.mark.parametrize(
    "url",
    [
        "https://partner.example.org/vot/events",
        "https://Partner.Example.ORG./vot/events",  # any case, fully qualified
        "https://hooks.partner-ngo.kg:8443/events",
        "https://bücher.de/events",  # an internationalised name
        "https://8.8.8.8/events",
        "https://[2606:4700:4700::1111]/events",
    ],
)
def test_a_public_https_endpoint_is_accepted(url: str) -> None:
    check_endpoint_url(url, allow_plain_http=False)


def test_development_allows_a_local_http_endpoint() -> None:
    check_endpoint_url("http://127.0.0.1:9000/events", allow_plain_http=True)
    check_endpoint_url("http://localhost.:9000/events", allow_plain_http=True)
    with pytest.raises(InvalidValue):
        check_endpoint_url("http://127.0.0.1:99999/events", allow_plain_http=True)


def test_a_delivery_connects_to_the_url_s_host_and_port() -> None:
    assert endpoint_target("https://partner.example.org/events") == ("partner.example.org", 443)
    assert endpoint_target("http://127.0.0.1:9000/events") == ("127.0.0.1", 9000)
    assert endpoint_target("https://[2606:4700::1]:8443/x") == ("2606:4700::1", 8443)


def test_signature_is_hmac_sha256_over_timestamp_dot_body() -> None:
    # a known answer, computed once with Python's hmac module (docs/integrations.md)
    expected = "fed7a1a6c799a6367d73724d76bc70c16678908a32a879cd1ded6565ac05cece"
    assert signature("whsec-test", 1700000000, b'{"a":1}') == expected
    header = signature_header("whsec-test", 1700000000, b'{"a":1}')
    assert header == f"t=1700000000,v1={expected}"


def test_signature_changes_with_body_secret_and_time() -> None:
    base = signature("s" * 32, 1, b"{}")
    assert signature("s" * 32, 1, b'{"x":1}') != base
    assert signature("t" * 32, 1, b"{}") != base
    assert signature("s" * 32, 2, b"{}") != base
