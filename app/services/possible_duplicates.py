"""The same person registered twice (issue 17): the pairs the matcher finds at registration and
import, what a caller is told of them, and what the coordinator decides — merge the two
records, or say they are not the same person."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import Table, delete, exists, or_, update
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.matching import Match, Resolution, check_mergeable, check_open
from app.domain.shelter import OPEN_STAY_STATES
from app.domain.vocabulary import VictimStatus
from app.errors import NotFound
from app.models import (
    HealthRecord,
    Organisation,
    PossibleDuplicate,
    ShelterStay,
    Victim,
)
from app.models.personal_data import erased_columns
from app.security import Principal
from app.services import audit, erasure, matching
from app.services.audit import AuditAction
from app.services.pagination import PageParams, fetch_page
from app.services.scope import organisation_sees, visible_victims

IN_WORK = (VictimStatus.ACTIVE, VictimStatus.CLOSED)
# what the matcher keeps of its own: not moved by a merge but dropped or resolved
_MATCHING_TABLES = frozenset({"victims", "person_match_keys", "possible_duplicates"})


@dataclass(frozen=True)
class Hint:
    """A possible duplicate as the caller may know it: the other case with the score and the
    reasons when the caller sees that case, else only the organisation that holds it."""

    pair_id: UUID
    organisation_id: UUID
    organisation_name: str
    victim: Victim | None
    score: float | None
    reasons: Sequence[str]


async def find_for(
    session: AsyncSession, victim: Victim, today: date, *, new: bool = False
) -> None:
    """Keys the person as they are now and records a pair for each candidate not yet paired
    with them (either way round) nor told apart: the coordinator's worklist shows them. An
    open pair whose other record no longer resembles this one (its names changed) goes. A
    ``new`` person (just registered) has no keys nor pairs yet."""
    await matching.store_keys(session, victim, new=new)
    found = dict(await matching.candidates(session, victim))
    if new and not found:
        return
    pairs = (await session.exec(select(PossibleDuplicate).where(_involving(victim.id)))).all()
    paired = {_other(p, victim.id): p for p in pairs}
    for other, pair in paired.items():
        if pair.resolution is None and other not in found:
            await session.delete(pair)
        elif pair.resolution is None:
            pair.score, pair.reasons = found[other].score, list(found[other].reasons)
            session.add(pair)
    session.add_all(
        _pair(victim.id, other, m, today) for other, m in found.items() if other not in paired
    )
    await session.flush()


async def find_for_new(session: AsyncSession, victims: Sequence[Victim], today: date) -> None:
    """``find_for`` of persons just registered together (an import's rows, in their order),
    with two statements of lookup and one of keys for them all."""
    found = await matching.candidates_of_new(session, victims)
    session.add_all(
        _pair(victim_id, other, match, today)
        for victim_id, matches in found.items()
        for other, match in matches
    )


def _pair(victim_id: UUID, other: UUID, match: Match, today: date) -> PossibleDuplicate:
    reasons = list(match.reasons)
    return PossibleDuplicate(
        victim_id=victim_id, candidate_id=other, score=match.score, reasons=reasons, found_on=today
    )


async def hints_for(session: AsyncSession, principal: Principal, victim: Victim) -> list[Hint]:
    """The open pairs of ``victim``, as the caller may know them: a case they see with its
    score and reasons; a case they do not see only as "a possible match exists at
    organisation X", once per organisation (nor how many, nor why). Both are on the trail."""
    pairs = (
        await session.exec(
            select(PossibleDuplicate).where(
                _involving(victim.id), col(PossibleDuplicate.resolution).is_(None)
            )
        )
    ).all()
    others = {_other(p, victim.id): p for p in pairs}
    if not others:
        return []
    rows = (
        await session.exec(
            select(Victim, Organisation.name, visible_victims(principal))
            .join(Organisation, col(Organisation.id) == col(Victim.organisation_id))
            .where(col(Victim.id).in_(others), col(Victim.status).in_(IN_WORK))
            .order_by(col(Victim.id))
        )
    ).all()
    seen = [(v, name) for v, name, visible in rows if visible]
    unseen = [(v, name) for v, name, visible in rows if not visible]
    audit.record_reads(session, principal, "victim", [(v.id, v.id) for v, _ in seen])
    audit.record_reads(
        session, principal, "possible_duplicate", [(others[v.id].id, v.id) for v, _ in unseen]
    )
    hints = [
        Hint(others[v.id].id, v.organisation_id, name, v, others[v.id].score, others[v.id].reasons)
        for v, name in seen
    ]
    by_org = {v.organisation_id: (others[v.id].id, name) for v, name in unseen}
    hints += [Hint(pair, org, name, None, None, ()) for org, (pair, name) in by_org.items()]
    return hints


async def list_open(
    session: AsyncSession, principal: Principal, page: PageParams
) -> tuple[Sequence[PossibleDuplicate], str | None]:
    """The coordinator's open pairs of persons in work, newest first."""
    query = select(PossibleDuplicate).where(
        col(PossibleDuplicate.resolution).is_(None),
        _in_work(PossibleDuplicate.victim_id),
        _in_work(PossibleDuplicate.candidate_id),
    )
    pairs, cursor = await fetch_page(session, query, PossibleDuplicate.id, page)
    shown = [(p.id, person) for p in pairs for person in (p.victim_id, p.candidate_id)]
    audit.record_reads(session, principal, "possible_duplicate", shown)
    return pairs, cursor


def _in_work(person: Any) -> Any:
    return exists().where(col(Victim.id) == col(person), col(Victim.status).in_(IN_WORK))


async def get(session: AsyncSession, pair_id: UUID) -> PossibleDuplicate:
    pair = await session.get(PossibleDuplicate, pair_id)
    if pair is None:
        raise NotFound("No such possible duplicate.")
    return pair


async def not_the_same(
    session: AsyncSession, principal: Principal, pair: PossibleDuplicate, now: datetime
) -> PossibleDuplicate:
    """The coordinator says the two are different persons: the pair leaves the worklist and
    is not found again."""
    check_open(pair.resolution)
    _settle(pair, Resolution.NOT_THE_SAME, principal, now)
    session.add(pair)
    await session.flush()
    for victim_id in (pair.victim_id, pair.candidate_id):
        audit.record(
            session,
            principal,
            AuditAction.UPDATE,
            "possible_duplicate",
            pair.id,
            victim_id=victim_id,
        )
    return pair


def person_columns() -> list[tuple[Table, str]]:
    """Every column that names a person (a foreign key to victims), the matcher's own aside:
    what a merge moves. Read from the schema, so a new table is moved without being listed."""
    return [
        (table, column.name)
        for table in SQLModel.metadata.sorted_tables
        if table.name not in _MATCHING_TABLES
        for column in table.columns
        if any(fk.column.table.name == "victims" for fk in column.foreign_keys)
    ]


async def merge(
    session: AsyncSession,
    principal: Principal,
    merged_id: UUID,
    kept_id: UUID,
    now: datetime,
    today: date,
) -> Victim:
    """Everything held on ``merged_id`` moves to ``kept_id`` in one transaction: every record
    that names the person, and the fields the kept record lacks. The merged record keeps its
    id and its audit trail, holds no personal data any more, and answers with the kept one's
    id (301); a merge is on both trails. Its pairs with other records become the kept one's,
    and the kept record is looked up again."""
    merged, kept = await _lock_both(session, merged_id, kept_id)
    conflicts = await _conflicts(session, merged, kept)
    check_mergeable(merged.id, merged.status, kept.id, kept.status, conflicts)
    await _hand_over_pairs(session, principal, merged.id, kept.id, now)
    for table, column in person_columns():
        await _move(session, table, column, merged.id, kept.id)
    _take_missing_fields(kept, merged)
    await matching.drop_keys(session, merged.id)
    await erasure.scrub(session, merged)
    merged.status, merged.merged_into_id = VictimStatus.MERGED, kept.id
    session.add_all([merged, kept])
    await session.flush()
    await find_for(session, kept, today)
    for victim_id, other in ((merged.id, kept.id), (kept.id, merged.id)):
        audit.record(session, principal, AuditAction.MERGE, "victim", other, victim_id=victim_id)
    return kept


async def _lock_both(
    session: AsyncSession, merged_id: UUID, kept_id: UUID
) -> tuple[Victim, Victim]:
    """Both rows locked in the order of their ids, so two merges never wait on each other."""
    rows = (
        await session.exec(
            select(Victim)
            .where(col(Victim.id).in_([merged_id, kept_id]))
            .order_by(col(Victim.id))
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).all()
    by_id = {v.id: v for v in rows}
    if merged_id not in by_id or kept_id not in by_id:
        raise NotFound("No such person.")
    return by_id[merged_id], by_id[kept_id]


async def _conflicts(session: AsyncSession, merged: Victim, kept: Victim) -> list[dict[str, str]]:
    """What a person has only one of, held by both records."""
    both = [merged.id, kept.id]
    conflicts: list[dict[str, str]] = []
    records = (
        await session.exec(select(HealthRecord.id).where(col(HealthRecord.victim_id).in_(both)))
    ).all()
    if len(records) > 1:
        conflicts += [{"type": "health_record", "id": str(r)} for r in records]
    stays = (
        await session.exec(
            select(ShelterStay.id).where(
                col(ShelterStay.victim_id).in_(both), col(ShelterStay.status).in_(OPEN_STAY_STATES)
            )
        )
    ).all()
    if len(stays) > 1:
        conflicts += [{"type": "shelter_stay", "id": str(s)} for s in stays]
    if merged.organisation_id != kept.organisation_id and not await _seen_by(
        session, merged.organisation_id, kept.id
    ):  # CONSENT-DISCLOSURE: the merged record's organisation would lose the person's case
        conflicts.append({"type": "organisation", "id": str(merged.organisation_id)})
    return conflicts


async def _seen_by(session: AsyncSession, organisation_id: UUID, victim_id: UUID) -> bool:
    query = select(Victim.id).where(Victim.id == victim_id, organisation_sees(organisation_id))
    return (await session.exec(query)).first() is not None


async def _move(
    session: AsyncSession, table: Table, column: str, merged_id: UUID, kept_id: UUID
) -> None:
    """Rows that name the merged person name the kept one; where the person is part of the
    key (a session's or an incident's participants), a row the kept person has already goes."""
    named = table.c[column]
    if named.primary_key:
        twin = table.alias("twin")
        rest = [c for c in table.primary_key.columns if c.name != column]
        already = exists().where(twin.c[column] == kept_id, *(twin.c[c.name] == c for c in rest))
        await session.exec(delete(table).where(named == merged_id, already))
    await session.exec(update(table).where(named == merged_id).values({column: kept_id}))


def _take_missing_fields(kept: Victim, merged: Victim) -> None:
    """What the kept record lacks and the merged one holds (a phone, an address)."""
    for name in erased_columns("victims"):
        if getattr(kept, name) is None and getattr(merged, name) is not None:
            setattr(kept, name, getattr(merged, name))


async def _hand_over_pairs(
    session: AsyncSession, principal: Principal, merged_id: UUID, kept_id: UUID, now: datetime
) -> None:
    """The merged record's pairs: with the kept one, settled as merged; with a third record,
    the kept one's from now on (told apart stays told apart), unless the kept one has its own
    pair with it; and records merged into the merged one point at the kept one."""
    pairs = (await session.exec(select(PossibleDuplicate).where(_involving(merged_id)))).all()
    kept_pairs = (await session.exec(select(PossibleDuplicate).where(_involving(kept_id)))).all()
    kept_has = {_other(p, kept_id): p for p in kept_pairs}
    for pair in pairs:
        other = _other(pair, merged_id)
        if other == kept_id:
            if pair.resolution is None:
                _settle(pair, Resolution.MERGED, principal, now)
                session.add(pair)
        elif other in kept_has:
            theirs = kept_has[other]
            if pair.resolution is None:
                await session.delete(pair)
            elif pair.resolution == Resolution.NOT_THE_SAME and theirs.resolution is None:
                _settle(theirs, Resolution.NOT_THE_SAME, principal, now)
                session.add(theirs)
        else:
            if pair.victim_id == merged_id:
                pair.victim_id = kept_id
            else:
                pair.candidate_id = kept_id
            session.add(pair)
    await session.exec(
        update(Victim).where(col(Victim.merged_into_id) == merged_id).values(merged_into_id=kept_id)
    )
    await session.flush()


def _settle(
    pair: PossibleDuplicate, resolution: Resolution, principal: Principal, now: datetime
) -> None:
    pair.resolution = resolution
    pair.resolved_by = principal.actor_id
    pair.resolved_at = now


def _involving(victim_id: UUID) -> Any:
    return or_(
        col(PossibleDuplicate.victim_id) == victim_id,
        col(PossibleDuplicate.candidate_id) == victim_id,
    )


def _other(pair: PossibleDuplicate, victim_id: UUID) -> UUID:
    return pair.candidate_id if pair.victim_id == victim_id else pair.victim_id
