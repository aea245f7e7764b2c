"""Checking the audit trail's chains (``python -m app audit verify``): every actor's events are
read in their order, streamed, and the first broken link is reported (domain/audit_chain.py)."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.domain.audit_chain import BrokenLink, first_broken
from app.models import AuditChain, AuditEvent

_EVENTS = AuditEvent.__table__  # type: ignore[attr-defined]
_CHAINS = AuditChain.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Verdict:
    chains: int
    events: int
    broken: BrokenLink | None


async def verify(connection: AsyncConnection) -> Verdict:
    heads = {
        str(actor): (int(seq), str(last))
        for actor, seq, last in (await connection.execute(select(_CHAINS))).all()
    }
    chains = events = 0
    seen: set[str] = set()
    async for chain, rows in _chains(connection):
        chains += 1
        seen.add(chain)
        events += len(rows)
        broken = first_broken(chain, rows, heads.get(chain))
        if broken is not None:
            return Verdict(chains, events, broken)
    for chain, head in heads.items():  # a chain whose every event was removed
        if chain not in seen and head[0] > 0:
            return Verdict(chains, events, BrokenLink(chain, 1, None, "its events are missing"))
    return Verdict(chains, events, None)


async def _chains(connection: AsyncConnection) -> AsyncIterator[tuple[str, list[Any]]]:
    """Each chain's events in order; one chain in memory at a time."""
    query = (
        select(_EVENTS)
        .where(_EVENTS.c.chain_seq.is_not(None))
        .order_by(_EVENTS.c.chain, _EVENTS.c.chain_seq)
    )
    stream = await connection.stream(query.execution_options(yield_per=1000))
    current: str | None = None
    rows: list[Any] = []
    async for row in stream.mappings():
        actor = str(row["chain"])
        if actor != current and current is not None:
            yield current, rows
            rows = []
        current = actor
        rows.append(row)
    if current is not None:
        yield current, rows
