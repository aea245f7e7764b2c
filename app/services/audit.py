"""The audit trail: every read and change of a person's data, in the same transaction.

Events are gathered on the session and written by one multi-row INSERT just before it commits
(or before the trail is read in the same transaction): a page of fifty persons costs one
statement and no ORM objects. A rolled-back transaction writes none of them.
"""

import secrets
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from sqlalchemy import event, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.db import KEPT_AFTER_ROLLBACK
from app.domain.audit_chain import GENESIS, chained
from app.domain.errors import RuleViolation
from app.models import AuditChain, AuditEvent
from app.models.base import new_id, utcnow
from app.security import Principal
from app.services.pagination import PageParams, fetch_page


class AuditAction(StrEnum):
    READ = "read"
    LIST = "list"
    CREATE = "create"
    UPDATE = "update"
    EXPORT = "export"
    WITHDRAW = "withdraw"
    DEACTIVATE = "deactivate"
    REPLAY = "replay"  # an answer sent again for an Idempotency-Key
    ERASE = "erase"  # MAN-RETENTION-6M passed: the personal data removed
    SUBMIT = "submit"
    APPROVE = "approve"
    REJECT = "reject"
    DISBURSE = "disburse"
    SEND = "send"  # a person's data sent to an outside system (the outbox worker)
    RETRY = "retry"  # a dead outbox message sent again
    CLOSE = "close"  # MAN-CASE-CLOSE
    REOPEN = "reopen"
    MERGE = "merge"  # the same person's two records made one (DATA-DUPLICATE)
    DOWNLOAD = "download"  # a document's file read (issue 18)
    TRANSFER = "transfer"  # a case or a draft moved to another worker (CASELOAD-TRANSFER)
    REFUSE = "refuse"  # a refusal that protects the person, kept although nothing was written


_TOUCHED = "audited_victims"
_PENDING = "audit_events_pending"
_KEPT = "audit_events_kept"  # refusals: written whether the request commits or rolls back
_TABLE = AuditEvent.__table__  # type: ignore[attr-defined] # Core: no ORM objects
_CHAINS = AuditChain.__table__  # type: ignore[attr-defined]


def record(
    session: AsyncSession,
    principal: Principal,
    action: AuditAction,
    record_type: str,
    record_id: UUID | None,
    *,
    victim_id: UUID | None = None,
) -> None:
    _gather(session, principal, action, record_type, [(record_id, victim_id)])


def record_reads(
    session: AsyncSession,
    principal: Principal,
    record_type: str,
    records: Iterable[tuple[UUID, UUID | None]],
) -> None:
    """One ``list`` event per (record id, victim id) shown in a list response."""
    _gather(session, principal, AuditAction.LIST, record_type, records)


def record_exports(
    session: AsyncSession,
    principal: Principal,
    record_type: str,
    records: Iterable[tuple[UUID, UUID | None]],
) -> None:
    """One ``export`` event per (record id, victim id) that left in an export."""
    _gather(session, principal, AuditAction.EXPORT, record_type, records)


def record_refusal(
    session: AsyncSession,
    principal: Principal,
    record_type: str,
    record_id: UUID | None = None,
    *,
    victim_id: UUID | None = None,
) -> None:
    """An attempt refused (a disclosure without consent, a complaint read by the staff member
    it names): the request's transaction is rolled back, and this event is written after it."""
    rows = _rows(principal, AuditAction.REFUSE, record_type, [(record_id, victim_id)])
    session.info.setdefault(_KEPT, []).extend(rows)
    # what makes db.get_session commit after the rollback: the actor's chains made sure of
    heads = _heads_statement(session.get_bind().dialect.name, principal.actor_id)
    session.info.setdefault(KEPT_AFTER_ROLLBACK, []).append(heads)


@contextmanager
def refusals_recorded(
    session: AsyncSession, principal: Principal, record_type: str, victim_id: UUID
) -> Iterator[None]:
    """A procedure rule's refusal inside the block is audited (``record_refusal``), then
    raised; malformed input is not a refusal."""
    try:
        yield
    except RuleViolation:
        record_refusal(session, principal, record_type, victim_id=victim_id)
        raise


def victims_touched(session: AsyncSession) -> set[UUID]:
    """The persons whose data this transaction read or changed (from its audit events)."""
    touched: set[UUID] = session.info.get(_TOUCHED, set())
    return touched


def _gather(
    session: AsyncSession,
    principal: Principal,
    action: AuditAction,
    record_type: str,
    records: Iterable[tuple[UUID | None, UUID | None]],
) -> None:
    rows = _rows(principal, action, record_type, records)
    session.info.setdefault(_PENDING, []).extend(rows)
    touched = {row["victim_id"] for row in rows if row["victim_id"] is not None}
    session.info.setdefault(_TOUCHED, set()).update(touched)


def _rows(
    principal: Principal,
    action: AuditAction,
    record_type: str,
    records: Iterable[tuple[UUID | None, UUID | None]],
) -> list[dict[str, object]]:
    at = utcnow()
    who = {
        "at": at,
        "actor_type": principal.actor_type,
        "actor_id": principal.actor_id,
        "role": principal.role.value,
        "organisation_id": principal.organisation_id,
        "action": action.value,
        "record_type": record_type,
        "client_address": principal.client_address,
    }
    return [{"id": new_id(), **who, "record_id": rid, "victim_id": vid} for rid, vid in records]


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """Every session's gathered events, in one INSERT inside the transaction it commits."""
    rows = session.info.pop(_PENDING, None) or []
    rows += session.info.pop(_KEPT, None) or []
    if rows:
        _write_chained(session, rows)


# each actor has this many chains, and a request appends to one drawn at random: the chain's
# head is locked until the commit, and one chain per actor queued that actor's concurrent
# requests one behind the other (bench/README.md)
LANES = 16


def _write_chained(session: Session, rows: list[dict[str, object]]) -> None:
    """The events appended to their actors' chains: the chain's head is locked, the events
    take their places and hashes, one INSERT writes them all and the head moves on. A request
    has one actor: three statements."""
    by_actor: dict[object, list[dict[str, object]]] = {}
    for row in rows:
        by_actor.setdefault(row["actor_id"], []).append(row)
    for actor_id, events in by_actor.items():
        chain = f"{actor_id}/{secrets.randbelow(LANES)}"
        head = _locked_head(session, actor_id, chain)
        for row in events:
            row["chain"] = chain
        seq, last = chained(head, events)
        session.execute(update(_CHAINS).where(_CHAINS.c.chain == chain).values(seq=seq, hash=last))
    session.execute(insert(_TABLE), rows)


def _locked_head(session: Session, actor_id: object, chain: str) -> tuple[int, str]:
    query = select(_CHAINS.c.seq, _CHAINS.c.hash).where(_CHAINS.c.chain == chain)
    found = session.execute(query.with_for_update()).first()
    if found is None:  # the actor's first event: their chains begin (another request may race)
        session.execute(_heads_statement(session.get_bind().dialect.name, actor_id))
        found = session.execute(query.with_for_update()).one()
    return int(found[0]), str(found[1])


def _heads_statement(dialect: str, actor_id: object) -> Any:
    """All the actor's chain heads at once, those not there yet (either database's upsert)."""
    values = [{"chain": f"{actor_id}/{lane}", "seq": 0, "hash": GENESIS} for lane in range(LANES)]
    upsert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return upsert(_CHAINS).values(values).on_conflict_do_nothing()


@event.listens_for(Session, "after_rollback")
def _drop_pending(session: Session) -> None:
    session.info.pop(_PENDING, None)


@dataclass(frozen=True)
class AuditFilter:
    victim_id: UUID | None = None
    actor_id: UUID | None = None
    record_type: str | None = None
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None


async def list_events(
    session: AsyncSession, filters: AuditFilter, page: PageParams
) -> tuple[Sequence[AuditEvent], str | None]:
    rows = session.info.pop(_PENDING, None)  # this transaction's events are part of the trail
    if rows:
        await session.run_sync(_write_chained, rows)
    query = select(AuditEvent)
    if filters.victim_id:
        query = query.where(AuditEvent.victim_id == filters.victim_id)
    if filters.actor_id:
        query = query.where(AuditEvent.actor_id == filters.actor_id)
    if filters.record_type:
        query = query.where(AuditEvent.record_type == filters.record_type)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action.value)
    if filters.since:
        query = query.where(col(AuditEvent.at) >= filters.since)
    if filters.until:
        query = query.where(col(AuditEvent.at) < filters.until)
    return await fetch_page(session, query, AuditEvent.id, page)
