"""CONSENT-DISCLOSURE: which consent holds, for whom; what may be recorded or withdrawn."""

from datetime import UTC, datetime
from uuid import uuid4

import pytest

from app.domain.consent import (
    ConsentFacts,
    ConsentPurpose,
    check_new_consent,
    check_withdrawable,
    has_active_consent,
)
from app.domain.errors import Duplicate, InvalidTransition, InvalidValue

SHARE = ConsentPurpose.SHARE_WITH_ORGANISATION
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
ORG_A, ORG_B = uuid4(), uuid4()


def test_active_sharing_consent_holds_for_its_recipient_only() -> None:
    consents = [ConsentFacts(SHARE, ORG_A, None)]
    assert has_active_consent(consents, SHARE, ORG_A)
    assert not has_active_consent(consents, SHARE, ORG_B)


def test_withdrawn_consent_no_longer_holds() -> None:
    assert not has_active_consent([ConsentFacts(SHARE, ORG_A, NOW)], SHARE, ORG_A)


def test_consent_for_another_purpose_does_not_hold() -> None:
    consents = [ConsentFacts(ConsentPurpose.DATA_PROCESSING, None, None)]
    assert not has_active_consent(consents, ConsentPurpose.SCME_JOB_REFERRAL)
    assert has_active_consent(consents, ConsentPurpose.DATA_PROCESSING)


def test_sharing_consent_needs_a_recipient() -> None:
    with pytest.raises(InvalidValue):
        check_new_consent(SHARE, None, [])
    check_new_consent(SHARE, ORG_A, [])


@pytest.mark.parametrize("purpose", [p for p in ConsentPurpose if p is not SHARE])
def test_other_purposes_have_no_recipient(purpose: ConsentPurpose) -> None:
    with pytest.raises(InvalidValue):
        check_new_consent(purpose, ORG_A, [])
    check_new_consent(purpose, None, [])


def test_an_active_consent_is_not_recorded_twice_but_a_withdrawn_one_may_be_given_again() -> None:
    with pytest.raises(Duplicate):
        check_new_consent(SHARE, ORG_A, [ConsentFacts(SHARE, ORG_A, None)])
    check_new_consent(SHARE, ORG_A, [ConsentFacts(SHARE, ORG_A, NOW)])
    check_new_consent(SHARE, ORG_B, [ConsentFacts(SHARE, ORG_A, None)])


def test_withdrawal_happens_once() -> None:
    check_withdrawable(ConsentFacts(SHARE, ORG_A, None))
    with pytest.raises(InvalidTransition):
        check_withdrawable(ConsentFacts(SHARE, ORG_A, NOW))
