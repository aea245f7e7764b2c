"""The audit trail is tamper-evident: each actor's events are chained by their hashes, and
`python -m app audit verify` finds the first broken link — an event edited in the database,
one removed from the middle or from the end (the domain's walk, then the command on a file)."""

import asyncio
import sqlite3
from pathlib import Path
from uuid import UUID, uuid4

import pytest

from app.db import create_engine, create_sessionmaker
from app.domain.access import Role
from app.domain.audit_chain import GENESIS, chained, first_broken
from app.security import Principal
from app.services import audit
from app.services.audit import AuditAction
from tests.test_cli import run


def _events(n: int) -> list[dict[str, object]]:
    return [
        {
            "id": str(uuid4()),
            "at": None,
            "actor_type": "user",
            "actor_id": "a",
            "role": "social_worker",
            "organisation_id": None,
            "action": "read",
            "record_type": "victim",
            "record_id": str(uuid4()),
            "victim_id": None,
            "client_address": "127.0.0.1",
        }
        for _ in range(n)
    ]


def test_a_chain_holds_until_one_link_is_touched() -> None:
    events = _events(4)
    head = chained((0, GENESIS), events)
    assert head[0] == 4 and first_broken("a", events, head) is None

    edited = [dict(e) for e in events]
    edited[1]["action"] = "export"
    broken = first_broken("a", edited, head)
    assert broken is not None and (broken.seq, broken.why) == (2, "its content was changed")

    missing = events[:1] + events[2:]
    broken = first_broken("a", missing, head)
    assert broken is not None and (broken.seq, broken.why) == (2, "event 2 is missing")

    cut = events[:3]
    broken = first_broken("a", cut, head)
    assert broken is not None and broken.seq == 4  # the head says there was a fourth

    swapped = [events[1], events[0], *events[2:]]
    assert first_broken("a", swapped, head) is not None


def test_events_after_the_first_continue_the_chain() -> None:
    first, later = _events(2), _events(3)
    head = chained(chained((0, GENESIS), first), later)
    assert first_broken("a", [*first, *later], head) is None
    assert later[0]["prev_hash"] == first[-1]["hash"]


async def _audited(database: Path, actors: list[UUID], events_each: int) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        for actor in actors:
            caller = Principal("user", actor, Role.SOCIAL_WORKER, None, "127.0.0.1")
            for _ in range(events_each):  # a request each: the chain goes on across commits
                async with create_sessionmaker(engine)() as session, session.begin():
                    audit.record(session, caller, AuditAction.READ, "victim", uuid4())
    finally:
        await engine.dispose()


@pytest.fixture
def trail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, UUID]:
    """Two actors' events, each actor on one chain here (one lane) so that the test knows
    which event is where."""
    monkeypatch.setattr(audit, "LANES", 1)
    database = tmp_path / "app.db"
    assert run(["-m", "alembic", "upgrade", "head"], database).returncode == 0
    actors = [uuid4(), uuid4()]
    asyncio.run(_audited(database, actors, 3))
    return database, actors[1]


def _verify(database: Path) -> tuple[int, str]:
    done = run(["-m", "app", "audit", "verify"], database)
    return done.returncode, done.stdout


def _change(database: Path, statement: str, actor: UUID) -> None:
    with sqlite3.connect(database) as connection:
        connection.execute(statement, (actor.hex,))


def test_verify_passes_an_intact_trail(trail: tuple[Path, UUID]) -> None:
    database, _ = trail
    status, said = _verify(database)
    assert (status, "checked 6 events in 2 chains" in said, "intact" in said) == (0, True, True)


@pytest.mark.parametrize(
    ("statement", "found"),
    [
        ("UPDATE audit_events SET action = 'export' WHERE chain_seq = 2 AND actor_id = ?",
         "event 2 (" ),
        ("DELETE FROM audit_events WHERE chain_seq = 2 AND actor_id = ?", "event 2 is missing"),
        ("DELETE FROM audit_events WHERE chain_seq = 3 AND actor_id = ?", "the chain ends at 2"),
    ],
    ids=["edited", "removed", "cut-off"],
)  # fmt: skip
def test_verify_reports_the_first_broken_link(
    trail: tuple[Path, UUID], statement: str, found: str
) -> None:
    database, actor = trail
    _change(database, statement, actor)
    status, said = _verify(database)
    assert status == 1 and f"BROKEN: chain {actor}" in said and found in said, said
