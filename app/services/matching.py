"""Matching keys of persons (issue 17): names transliterated to ASCII (anyascii), then keyed by
the domain (domain/matching.py) with the deployment's secret (APP_MATCHING_KEY); the candidates
of a person found by those keys, never by a name or a birth date in the clear."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID

from anyascii import anyascii
from sqlalchemy import delete, insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.config import get_settings
from app.domain.matching import (
    THRESHOLD,
    KeyKind,
    Match,
    PersonKeys,
    Probe,
    person_keys,
    probe,
    score,
)
from app.domain.vocabulary import VictimStatus
from app.models import PersonMatchKey, Victim

_KEYS = PersonMatchKey.__table__  # type: ignore[attr-defined] # Core: bulk rows, no ORM objects
_IN_WORK = (VictimStatus.ACTIVE, VictimStatus.CLOSED)


def keys_of(secret: bytes, given: str, family: str, birth: date | None) -> PersonKeys:
    return person_keys(secret, anyascii(given), anyascii(family), birth)


def probe_of(secret: bytes, given: str, family: str, birth: date | None) -> Probe:
    return probe(secret, anyascii(given), anyascii(family), birth)


def _secret() -> bytes:
    return get_settings().matching_secret


async def store_keys(session: AsyncSession, victim: Victim, *, new: bool = False) -> None:
    """The person's keys, made again from their names and birth date as they are now (a
    ``new`` person has none yet)."""
    if not new:
        await drop_keys(session, victim.id)
    keys = keys_of(_secret(), victim.given_name, victim.family_name, victim.birth_date)
    await _insert_keys(session, [(victim.id, keys)])


async def _insert_keys(session: AsyncSession, keyed: Sequence[tuple[UUID, PersonKeys]]) -> None:
    rows = [
        {"victim_id": victim_id, "kind": kind, "key": key}
        for victim_id, keys in keyed
        for kind, key in keys.all()
    ]
    if rows:
        await session.exec(insert(_KEYS), params=rows)


async def drop_keys(session: AsyncSession, victim_id: UUID) -> None:
    await session.exec(delete(PersonMatchKey).where(col(PersonMatchKey.victim_id) == victim_id))


def probe_for(victim: Victim) -> Probe:
    return probe_of(_secret(), victim.given_name, victim.family_name, victim.birth_date)


def nearby(victim_id: UUID, found: Probe) -> SelectOfScalar[UUID] | None:
    """The other persons who share a name's skeleton with the birth date, or a typo of it,
    with the probe (``Probe.name_birth``): found by the keys' index, exactly (those in work
    are kept by ``_keys_of``). None when there is nothing to look up by."""
    if not found.name_birth:
        return None
    return (
        select(col(PersonMatchKey.victim_id))
        .where(
            col(PersonMatchKey.kind) == KeyKind.NAME_BIRTH,
            col(PersonMatchKey.key).in_(found.name_birth),
            col(PersonMatchKey.victim_id) != victim_id,
        )
        .distinct()
    )


async def candidates(session: AsyncSession, victim: Victim) -> list[tuple[UUID, Match]]:
    """The other persons in work whose keys score at least THRESHOLD against ``victim``'s,
    best first (the threshold needs both names and the birth date, or a typo of it: what
    ``nearby`` looks up by)."""
    found = probe_for(victim)
    statement = nearby(victim.id, found)
    if statement is None:
        return []
    ids = list((await session.exec(statement)).all())
    return _best(found, await _keys_of(session, ids)) if ids else []


def _best(found: Probe, others: Iterable[tuple[UUID, PersonKeys]]) -> list[tuple[UUID, Match]]:
    """Those of ``others`` that score at least THRESHOLD against the probe, best first."""
    matches = [(other, score(found, keys)) for other, keys in others]
    kept = [(other, m) for other, m in matches if m.score >= THRESHOLD]
    return sorted(kept, key=lambda pair: -pair[1].score)


_LOOKUP_BATCH = 4000  # keys per statement: well under the drivers' limits on parameters


async def candidates_of_new(
    session: AsyncSession, victims: Sequence[Victim]
) -> dict[UUID, list[tuple[UUID, Match]]]:
    """``candidates`` of persons registered together (an import's rows), each as if they were
    registered one after another in this order: among those stored before, looked up
    together, and those before them in ``victims``; then their keys are stored."""
    secret = _secret()
    probes = [probe_for(victim) for victim in victims]
    keyed = [
        (victim.id, keys_of(secret, victim.given_name, victim.family_name, victim.birth_date))
        for victim in victims
    ]
    stored = await _stored_by_key(session, {key for found in probes for key in found.name_birth})
    earlier: dict[str, set[UUID]] = defaultdict(set)  # keys of those before, in ``victims``
    near: list[set[UUID]] = []
    for found, (victim_id, keys) in zip(probes, keyed, strict=True):
        others: set[UUID] = set()
        for key in found.name_birth:
            others.update(stored.get(key, ()), earlier.get(key, ()))
        near.append(others)
        for key in keys.name_birth:
            earlier[key].add(victim_id)
    before = set().union(*near) - {victim.id for victim in victims}
    known = dict(await _keys_of(session, list(before))) if before else {}
    known.update(keyed)
    await _insert_keys(session, keyed)
    return {
        victim.id: _best(found, [(other, known[other]) for other in others if other in known])
        for victim, found, others in zip(victims, probes, near, strict=True)
    }


async def _stored_by_key(session: AsyncSession, keys: set[str]) -> dict[str, set[UUID]]:
    """The persons stored under each of these name-and-birth keys."""
    by_key: dict[str, set[UUID]] = defaultdict(set)
    wanted = sorted(keys)
    for start in range(0, len(wanted), _LOOKUP_BATCH):
        query = select(PersonMatchKey.victim_id, PersonMatchKey.key).where(
            col(PersonMatchKey.kind) == KeyKind.NAME_BIRTH,
            col(PersonMatchKey.key).in_(wanted[start : start + _LOOKUP_BATCH]),
        )
        for victim_id, key in (await session.exec(query)).all():
            by_key[key].add(victim_id)
    return by_key


async def _keys_of(
    session: AsyncSession, victim_ids: Sequence[UUID]
) -> list[tuple[UUID, PersonKeys]]:
    """The keys of those of ``victim_ids`` still in work (neither erased nor merged)."""
    rows = await session.exec(
        select(PersonMatchKey.victim_id, PersonMatchKey.kind, PersonMatchKey.key)
        .join(Victim, col(Victim.id) == col(PersonMatchKey.victim_id))
        .where(col(Victim.id).in_(victim_ids), col(Victim.status).in_(_IN_WORK))
    )
    by_person: dict[UUID, dict[KeyKind, set[str]]] = defaultdict(lambda: defaultdict(set))
    for victim_id, kind, key in rows.all():
        by_person[victim_id][KeyKind(kind)].add(key)
    return [
        (
            victim_id,
            PersonKeys(
                frozenset(keys[KeyKind.GIVEN]),
                frozenset(keys[KeyKind.FAMILY]),
                next(iter(keys[KeyKind.BIRTH]), None),
                frozenset(keys[KeyKind.NAME_BIRTH]),
            ),
        )
        for victim_id, keys in by_person.items()
    ]


async def rekey_batch(session: AsyncSession, after: UUID | None, size: int = 1000) -> UUID | None:
    """The keys of the next ``size`` persons in work after ``after`` (in id order), made again
    under the key set now (`python -m app matching rekey`, after APP_MATCHING_KEY changed);
    the last one's id, or None when no one is left."""
    query = select(Victim).where(col(Victim.status).in_(_IN_WORK)).order_by(col(Victim.id))
    if after is not None:
        query = query.where(col(Victim.id) > after)
    batch = list((await session.exec(query.limit(size))).all())
    for victim in batch:
        await store_keys(session, victim)
    return batch[-1].id if batch else None
