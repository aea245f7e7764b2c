"""Consent: what the person agreed to, for whom, and whether it still holds (CONSENT-DISCLOSURE)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import UUID

from app.domain.errors import Duplicate, InvalidTransition, InvalidValue


class ConsentPurpose(StrEnum):
    DATA_PROCESSING = "data_processing"
    SHARE_WITH_ORGANISATION = "share_with_organisation"
    FAMILY_INVOLVEMENT = "family_involvement"
    LAW_ENFORCEMENT_COOPERATION = "law_enforcement_cooperation"
    SCME_JOB_REFERRAL = "scme_job_referral"


@dataclass(frozen=True)
class ConsentFacts:
    purpose: ConsentPurpose
    recipient_organisation_id: UUID | None
    withdrawn_at: datetime | None
    given_on: date | None = None  # the date on the signed form; None where no rule needs it

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None


def has_active_consent(
    consents: Iterable[ConsentFacts], purpose: ConsentPurpose, recipient: UUID | None = None
) -> bool:
    """CONSENT-DISCLOSURE: an active consent for this purpose (and this recipient, for sharing)."""
    return any(
        c.active and c.purpose is purpose and c.recipient_organisation_id == recipient
        for c in consents
    )


def check_new_consent(
    purpose: ConsentPurpose, recipient: UUID | None, existing: Iterable[ConsentFacts]
) -> None:
    """A sharing consent names its recipient and no other purpose does; an active consent is
    not recorded twice."""
    if purpose is ConsentPurpose.SHARE_WITH_ORGANISATION and recipient is None:
        raise InvalidValue(
            "recipient_organisation_id", "Consent to share names the receiving organisation."
        )
    if purpose is not ConsentPurpose.SHARE_WITH_ORGANISATION and recipient is not None:
        raise InvalidValue(
            "recipient_organisation_id", f"Consent for '{purpose}' has no receiving organisation."
        )
    if has_active_consent(existing, purpose, recipient):
        raise Duplicate("An active consent for this purpose and recipient is already recorded.")


def check_withdrawable(consent: ConsentFacts) -> None:
    """A withdrawn consent stays withdrawn; the person gives a new one instead."""
    if not consent.active:
        raise InvalidTransition("consent", "withdrawn", "withdraw")
