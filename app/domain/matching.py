"""Finding the same person twice without sharing who (issue 17): names and birth dates are
reduced to keys — spelling-independent skeletons of each name, then keyed hashes (HMAC with
the deployment's key) — so that no name or birth date is stored in the clear for matching and
none leaves an organisation; a new record is compared with the keys of the others.

Names come here in ASCII: the services transliterate them first with anyascii (ISC licence,
table-driven for every script, maintained), which maps Cyrillic, Latin with diacritics (Nurgül)
and the rest, where a hand table would cover Russian and miss Kyrgyz (ң, ө, ү) or Turkish
spellings. Here a few rules fold the spellings that differ between transliteration systems
(zh/j, kh/h, y/i, doubled letters), so Нургуль, Nurgul and Nurgül share one skeleton. Pure:
values in, keys and scores out."""

import contextlib
import hmac
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from hashlib import sha256
from typing import Any
from uuid import UUID

from app.domain.errors import DomainError, InvalidTransition, RuleViolation

# spellings that differ between transliteration systems, folded to one (longest first)
_FOLDS = (
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("ch", "c"),
    ("sh", "s"),
    ("ts", "c"),
    ("ph", "f"),
    ("yu", "u"),
    ("iu", "u"),
    ("ya", "a"),
    ("ia", "a"),
    ("yo", "o"),
    ("w", "v"),
    ("q", "k"),
    ("x", "ks"),
    ("y", "i"),
    ("ee", "i"),
    ("e", "i"),
)
_LETTERS = re.compile(r"[^a-z]")
_DOUBLED = re.compile(r"(.)\1+")
FIRST_BIRTH_YEAR = 1900  # as registration accepts (schemas.common.BirthDate)


def skeleton(name: str) -> str:
    """A name (in ASCII) as its sounds roughly go, whatever transliteration made it: Nurgul'
    (from Нургуль), Nurgul, Nurgul (from Nurgül) → ``nurgul``; Zhyldyz, Jyldyz → ``jildiz``."""
    text = _LETTERS.sub("", name.lower())
    for spelled, folded in _FOLDS:
        text = text.replace(spelled, folded)
    return _DOUBLED.sub(r"\1", text)


def name_parts(name: str) -> list[str]:
    """The skeletons of a name's words (a double family name has two). An apostrophe is no
    word's end: anyascii writes the soft sign so (Ольга → Ol'ga), and a part of one letter
    says nothing of a person."""
    words = re.split(r"[\s\-]+", name.replace("'", "").replace("’", ""))
    return [s for word in words if len(s := skeleton(word)) > 1]


def date_variants(day: date) -> set[date]:
    """The birth dates a typo could have made of ``day``: day and month swapped, or one digit
    of YYYYMMDD changed (valid birth dates only: from 1900), and the day itself."""
    found = {day}
    with contextlib.suppress(ValueError):
        found.add(date(day.year, day.day, day.month))
    digits = f"{day.year:04d}{day.month:02d}{day.day:02d}"
    for position in range(8):
        for digit in "0123456789":
            changed = digits[:position] + digit + digits[position + 1 :]
            if int(changed[:4]) < FIRST_BIRTH_YEAR:
                continue
            with contextlib.suppress(ValueError):
                found.add(date(int(changed[:4]), int(changed[4:6]), int(changed[6:])))
    return found


class KeyKind(StrEnum):
    GIVEN = "given"
    FAMILY = "family"
    BIRTH = "birth"
    # a name's skeleton with the birth date: what a lookup finds a person by, exactly
    NAME_BIRTH = "name_birth"


def keyed(secret: bytes, kind: KeyKind, value: str) -> str:
    """A key that says nothing without the deployment's secret (HMAC-SHA256, 128 bits)."""
    return hmac.new(secret, f"{kind}:{value}".encode(), sha256).hexdigest()[:32]


@dataclass(frozen=True)
class PersonKeys:
    given: frozenset[str]
    family: frozenset[str]
    birth: str | None  # the exact birth date's key
    name_birth: frozenset[str] = frozenset()  # each name's skeleton with the birth date

    def all(self) -> set[tuple[KeyKind, str]]:
        keys = {(KeyKind.GIVEN, k) for k in self.given} | {(KeyKind.FAMILY, k) for k in self.family}
        keys |= {(KeyKind.NAME_BIRTH, k) for k in self.name_birth}
        return keys | ({(KeyKind.BIRTH, self.birth)} if self.birth else set())


def _with_birth(secret: bytes, parts: Iterable[str], days: Iterable[date]) -> frozenset[str]:
    return frozenset(
        keyed(secret, KeyKind.NAME_BIRTH, f"{part}|{day.isoformat()}")
        for part in parts
        for day in days
    )


def person_keys(secret: bytes, given: str, family: str, birth: date | None) -> PersonKeys:
    """What is stored of a person for matching: keyed name skeletons and birth date, and each
    name's skeleton with the birth date (in either order of names: one kind for both)."""
    parts = name_parts(given) + name_parts(family)
    return PersonKeys(
        frozenset(keyed(secret, KeyKind.GIVEN, s) for s in name_parts(given)),
        frozenset(keyed(secret, KeyKind.FAMILY, s) for s in name_parts(family)),
        keyed(secret, KeyKind.BIRTH, birth.isoformat()) if birth else None,
        _with_birth(secret, parts, [birth]) if birth else frozenset(),
    )


@dataclass(frozen=True)
class Probe:
    """What a new record is scored by: its name skeletons' keys under either kind (names may
    be swapped), and the keys of its birth date's typo variants; and what it is looked up by:
    each name's skeleton with the birth date or a typo of it (``name_birth``). A candidate
    over the threshold shares both names and the date or a typo of it, so it shares one of
    these: the lookup reads by index only the persons who do."""

    given: Mapping[KeyKind, frozenset[str]]  # the given names' skeletons, keyed as each kind
    family: Mapping[KeyKind, frozenset[str]]
    birth_exact: str | None
    birth_near: frozenset[str]
    name_birth: frozenset[str] = frozenset()


def probe(secret: bytes, given: str, family: str, birth: date | None) -> Probe:
    def as_each(parts: list[str]) -> dict[KeyKind, frozenset[str]]:
        return {
            kind: frozenset(keyed(secret, kind, s) for s in parts)
            for kind in (KeyKind.GIVEN, KeyKind.FAMILY)
        }

    variants = date_variants(birth) if birth else set()
    parts = name_parts(given) + name_parts(family)
    return Probe(
        as_each(name_parts(given)),
        as_each(name_parts(family)),
        keyed(secret, KeyKind.BIRTH, birth.isoformat()) if birth else None,
        frozenset(keyed(secret, KeyKind.BIRTH, d.isoformat()) for d in variants - {birth}),
        _with_birth(secret, parts, variants),
    )


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[str, ...]


# a candidate is shown from this score: the names and the birth date agree, allowing a typo
THRESHOLD = 0.75


def score(found: Probe, other: PersonKeys) -> Match:
    """How alike a new record and another person's keys are, and why."""
    reasons: list[str] = []
    straight = _meets(found.given[KeyKind.GIVEN], other.given) + _meets(
        found.family[KeyKind.FAMILY], other.family
    )
    swapped = _meets(found.given[KeyKind.FAMILY], other.family) + _meets(
        found.family[KeyKind.GIVEN], other.given
    )
    names = max(straight, swapped)
    if names == 2:
        reasons.append(
            "the same names, given and family swapped" if swapped > straight else "the same names"
        )
    elif names == 1:
        reasons.append("one of the names the same")
    total = 0.25 * names
    if found.birth_exact is not None and found.birth_exact == other.birth:
        total += 0.4
        reasons.append("the same birth date")
    elif other.birth is not None and other.birth in found.birth_near:
        total += 0.3
        reasons.append("a birth date one typo apart")
    return Match(round(total, 2), tuple(reasons))


def _meets(mine: Iterable[str], theirs: Iterable[str]) -> int:
    return 1 if set(mine) & set(theirs) else 0


class Resolution(StrEnum):
    """How the coordinator settles a possible duplicate (DATA-DUPLICATE)."""

    MERGED = "merged"
    NOT_THE_SAME = "not_the_same"
    ERASED = "erased"  # one of the two was erased (MAN-RETENTION-6M): no one's case any more


class MergeConflict(DomainError):
    """DATA-DUPLICATE: the two records hold what a person has only one of (409)."""

    status, code, rule = 409, "merge_conflict", "DATA-DUPLICATE"

    def __init__(self, conflicts: Sequence[Mapping[str, str]]) -> None:
        super().__init__(
            "Both records hold what a person has only one of: settle these on one of them "
            "first (see conflicts)."
        )
        self.conflicts = conflicts

    def members(self) -> dict[str, Any]:
        return {**super().members(), "conflicts": self.conflicts}


MERGEABLE_STATES = frozenset({"active", "closed"})


def check_open(resolution: str | None) -> None:
    """DATA-DUPLICATE: a pair is settled once."""
    if resolution is not None:
        raise InvalidTransition("possible duplicate", resolution, "be settled again")


def check_mergeable(
    merged_id: UUID,
    merged_status: str,
    kept_id: UUID,
    kept_status: str,
    conflicts: Sequence[Mapping[str, str]],
) -> None:
    """DATA-DUPLICATE: two records of persons still in work merge when they do not both hold
    what a person has only one of (a health record, an open stay), and when the merged
    record's organisation sees the kept one (its own, or shared with it: CONSENT-DISCLOSURE),
    so that no organisation loses its case nor gains another's."""
    if merged_id == kept_id:
        raise RuleViolation("DATA-DUPLICATE", "A record cannot be merged into itself.")
    for status in (merged_status, kept_status):
        if status not in MERGEABLE_STATES:
            raise InvalidTransition("person", status, "be merged")
    if conflicts:
        raise MergeConflict(conflicts)
