"""The audit trail is tamper-evident: each actor's events form a chain, each event carrying the
hash of the one before it. Editing, removing or reordering an event breaks the chain at that
link; ``python -m app audit verify`` finds the first broken one. Pure: values in, hashes out."""

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64  # the hash before a chain's first event
# what an event says, in this order: every column but the chain's own
HASHED = (
    "id",
    "at",
    "actor_type",
    "actor_id",
    "role",
    "organisation_id",
    "action",
    "record_type",
    "record_id",
    "victim_id",
    "client_address",
)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):  # the instant, whatever zone or driver it came back in
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        return aware.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value)


def event_hash(previous: str, seq: int, event: Mapping[str, object]) -> str:
    canonical = "\x1f".join([previous, str(seq), *(_text(event[name]) for name in HASHED)])
    return hashlib.sha256(canonical.encode()).hexdigest()


def chained(head: tuple[int, str], events: Sequence[dict[str, object]]) -> tuple[int, str]:
    """Give each event its place after ``head`` (the chain's last seq and hash): its seq, the
    previous hash and its own. Returns the new head."""
    seq, previous = head
    for event in events:
        seq += 1
        event["chain_seq"], event["prev_hash"] = seq, previous
        previous = event["hash"] = event_hash(previous, seq, event)
    return seq, previous


@dataclass(frozen=True)
class BrokenLink:
    chain: str
    seq: int
    event_id: str | None
    why: str


def first_broken(
    chain: str, events: Iterable[Mapping[str, object]], head: tuple[int, str] | None
) -> BrokenLink | None:
    """Walk one chain in seq order; the first event whose place, link or content does not hold,
    or a head that the last event does not reach (events removed from the end)."""
    seq, previous = 0, GENESIS
    for event in events:
        at, event_id = int(str(event["chain_seq"])), str(event["id"])
        if at != seq + 1:
            return BrokenLink(chain, seq + 1, event_id, f"event {seq + 1} is missing")
        if event["prev_hash"] != previous:
            return BrokenLink(chain, at, event_id, "it does not follow the event before it")
        if event["hash"] != event_hash(previous, at, event):
            return BrokenLink(chain, at, event_id, "its content was changed")
        seq, previous = at, str(event["hash"])
    if head is not None and head != (seq, previous):
        return BrokenLink(chain, seq + 1, None, f"the chain ends at {seq}, its head at {head[0]}")
    return None
