"""Closing a case and reopening it (MAN-CASE-CLOSE): only when nothing is open, with a reason;
a closed case is read-only but for reopening and its follow-up contact."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from app.domain.errors import CaseClosed, InvalidTransition, InvalidValue, OpenWork
from app.domain.vocabulary import VictimStatus


class ClosureReason(StrEnum):
    REINTEGRATED = "reintegrated"
    RETURNED_HOME = "returned_home"
    DECLINED_FURTHER_HELP = "declined_further_help"
    LOST_CONTACT = "lost_contact"
    TRANSFERRED = "transferred"
    DECEASED = "deceased"
    OTHER = "other"


_V = VictimStatus
CASE_STEPS: Mapping[tuple[VictimStatus, str], VictimStatus] = {
    (_V.ACTIVE, "close"): _V.CLOSED,
    (_V.CLOSED, "reopen"): _V.ACTIVE,
}


@dataclass(frozen=True)
class OpenRecord:
    """A record that keeps a case open: a proposed or admitted stay, a draft or active plan, a
    running agreement, a submitted or approved grant, an open referral."""

    type: str
    id: UUID
    status: str


def check_closable(open_records: Iterable[OpenRecord]) -> None:
    """MAN-CASE-CLOSE: a case is closed only when nothing is open; the refusal lists it all."""
    listed = [{"type": r.type, "id": str(r.id), "status": r.status} for r in open_records]
    if listed:
        raise OpenWork(listed)


def check_in_work(status: VictimStatus, action: str) -> None:
    """MAN-CASE-CLOSE: nothing is added to or changed in a closed case (reopen it first), nor in
    an erased one, which is no one's case any more (MAN-RETENTION-6M)."""
    if status is VictimStatus.CLOSED:
        raise CaseClosed(action)
    if status is VictimStatus.ERASED:
        raise InvalidTransition("person", "erased", action)


def follow_up_after_closure(reason: ClosureReason) -> bool:
    """MAN-EXIT: closure arranges the follow-up contact, unless the person has died."""
    return reason is not ClosureReason.DECEASED


def exit_information_given(reason: ClosureReason) -> bool:
    """MAN-EXIT: closure records the information given to the person, who is there to be given
    it unless contact was lost or they died."""
    return reason not in (ClosureReason.LOST_CONTACT, ClosureReason.DECEASED)


def check_closed_on(closed_on: date, last_exit_on: date | None) -> None:
    """A case is closed on or after the last exit it closes (a discharge, an ended plan,
    agreement or referral)."""
    if last_exit_on is not None and closed_on < last_exit_on:
        raise InvalidValue(
            "closed_on",
            f"The case is closed after the exits it closes (the last on {last_exit_on}).",
        )
