"""The command line as an operator uses it: migrate, demo data once, bootstrap an admin."""

import asyncio
import base64
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from uuid import UUID

import pytest

from app.config import DEV_DOCUMENT_KEY
from app.db import create_engine, create_sessionmaker
from app.domain.consent import ConsentPurpose
from app.domain.documents import DocumentKind, MediaType
from app.domain.exchange import Topic
from app.domain.vocabulary import OrganisationKind, Sex
from app.integrations.fakes import FakeScme, Server
from app.models import Consent, Document, JobReferral, Organisation, Victim
from app.models.base import new_id
from app.services import outbox
from app.services.sealed_files import Keyring, new_file_key, unwrap, wrap
from tests.fakes import SCME_TOKEN

ROOT = Path(__file__).resolve().parent.parent


def run(
    args: list[str], database: Path, stdin: str = "", **settings: str
) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"APP_DATABASE_URL": f"sqlite+aiosqlite:///{database}"} | settings
    return subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, *args],
        input=stdin,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def database(tmp_path: Path) -> Path:
    path = tmp_path / "app.db"
    assert run(["-m", "alembic", "upgrade", "head"], path).returncode == 0
    return path


def test_demo_data_loads_only_into_an_empty_database(database: Path) -> None:
    first = run(["-m", "app", "seed-demo", "--if-empty"], database)
    assert first.returncode == 0, first.stderr
    assert "coordinator-demo-2026" in first.stdout
    second = run(["-m", "app", "seed-demo", "--if-empty"], database)
    assert second.returncode == 0
    assert "loaded already" in second.stdout
    assert "coordinator-demo-2026" in second.stdout  # the logins are shown again
    assert second.stdout.count("019a0000-0000-7000-8000-00000000c001") == 1


def test_the_first_administrator_is_created_from_stdin(database: Path) -> None:
    short = run(
        ["-m", "app", "create-user", "--username", "boss", "--role", "admin", "--password-stdin"],
        database,
        "short\n",
    )
    assert short.returncode == 2
    assert "password" in short.stderr
    made = run(
        ["-m", "app", "create-user", "--username", "Boss", "--role", "admin", "--password-stdin"],
        database,
        "a long enough admin password\n",
    )
    assert made.returncode == 0, made.stderr
    assert "created admin 'boss'" in made.stdout
    # with an administrator in place the database is no longer empty: no demo data on top
    seeded = run(["-m", "app", "seed-demo", "--if-empty"], database)
    assert "no demo data loaded" in seeded.stdout


async def _queue_a_job_referral(database: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            ngo = Organisation(name="CLI NGO", name_key="cli ngo", kind=OrganisationKind.NGO)
            person = Victim(
                organisation_id=ngo.id,
                registration_number="VT-CLI-00001",
                given_name="Given",
                family_name="Family",
                birth_date=date(1990, 1, 1),
                sex=Sex.FEMALE,
            )
            referral = JobReferral(
                victim_id=person.id,
                organisation_id=ngo.id,
                profession="cook",
                region="Issyk-Kul",
                created_by=person.id,
            )
            consent = Consent(
                victim_id=person.id,
                purpose=ConsentPurpose.SCME_JOB_REFERRAL,
                given_on=datetime.now(UTC).date(),
                given_at=datetime.now(UTC),
                recorded_by=person.id,
            )
            for record in (ngo, person, consent, referral):  # in the order of their keys
                session.add(record)
                await session.flush()
            outbox.enqueue(
                session, Topic.SCME_JOB_REFERRAL, datetime.now(UTC), record_id=referral.id
            )
    finally:
        await engine.dispose()


def test_the_worker_sends_what_is_due_and_stops(
    database: Path, scme_server: tuple[FakeScme, Server]
) -> None:
    fake, server = scme_server
    fake.reset()
    asyncio.run(_queue_a_job_referral(database))
    sent = run(
        ["-m", "app", "worker", "--once"],
        database,
        APP_SCME_BASE_URL=server.url,
        APP_SCME_TOKEN=SCME_TOKEN,
    )
    assert sent.returncode == 0, sent.stderr
    assert "handled 1 outbox messages" in sent.stdout
    assert [body["profession"] for body in fake.bodies()] == ["cook"]
    again = run(["-m", "app", "worker", "--once"], database, APP_SCME_BASE_URL=server.url)
    assert "handled 0 outbox messages" in again.stdout


def _match_keys(database: Path) -> set[tuple[str, str]]:
    with sqlite3.connect(database) as connection:
        return set(connection.execute("SELECT victim_id, key FROM person_match_keys").fetchall())


def test_the_matching_keys_are_made_again_under_a_new_key(database: Path) -> None:
    """DATA-DUPLICATE: after APP_MATCHING_KEY changes, `matching rekey` makes every person's
    keys again; run twice, it ends the same."""
    assert run(["-m", "app", "seed-demo"], database).returncode == 0
    before = _match_keys(database)
    assert before  # the demo's persons were keyed at registration
    new_key = {"APP_MATCHING_KEY": "n" * 40}
    first = run(["-m", "app", "matching", "rekey"], database, **new_key)
    assert first.returncode == 0, first.stderr
    after = _match_keys(database)
    assert {v for v, _ in after} == {v for v, _ in before} and not after & before
    assert run(["-m", "app", "matching", "rekey"], database, **new_key).returncode == 0
    assert _match_keys(database) == after


def test_the_documents_keys_are_wrapped_again_under_a_new_key(database: Path) -> None:
    """DOC-LIMITS, key rotation: with a new key put first in APP_DOCUMENT_KEYS, `documents
    rewrap` wraps every file's key under it; the files stay as they are and open with the new
    key alone."""
    old = Keyring.of([DEV_DOCUMENT_KEY])
    new_key = base64.b64encode(b"n" * 32).decode()
    file_key = new_file_key()

    async def stored() -> Document:
        engine = create_engine(f"sqlite+aiosqlite:///{database}")
        try:
            async with create_sessionmaker(engine)() as session:
                home = Organisation(
                    name="Rotating NGO", name_key="rotating ngo", kind=OrganisationKind.NGO
                )
                session.add(home)
                await session.flush()
                person = Victim(
                    registration_number="VT-ROTATE-1", organisation_id=home.id, given_name="Given",
                    family_name="Family", birth_date=date(1990, 1, 1), sex=Sex.FEMALE,
                )  # fmt: skip
                session.add(person)
                await session.flush()
                document_id = new_id()
                key_id, wrapped = wrap(old, file_key, document_id)
                document = Document(
                    id=document_id, victim_id=person.id, organisation_id=home.id,
                    kind=DocumentKind.OTHER, media_type=MediaType.PDF, size_bytes=1,
                    filename="a.pdf", key_id=key_id, wrapped_key=wrapped, uploaded_by=person.id,
                )  # fmt: skip
                session.add(document)
                await session.commit()
                return await session.get_one(Document, document_id)
        finally:
            await engine.dispose()

    async def read(document_id: UUID) -> Document:
        engine = create_engine(f"sqlite+aiosqlite:///{database}")
        try:
            async with create_sessionmaker(engine)() as session:
                return await session.get_one(Document, document_id)
        finally:
            await engine.dispose()

    before = asyncio.run(stored())
    keys = {"APP_DOCUMENT_KEYS": f"{new_key},{DEV_DOCUMENT_KEY}"}
    first = run(["-m", "app", "documents", "rewrap"], database, **keys)
    assert first.returncode == 0, first.stderr
    after = asyncio.run(read(before.id))
    rotated = Keyring.of([new_key])
    assert after.key_id == rotated.current_id != before.key_id
    assert unwrap(rotated, after.key_id, after.wrapped_key, after.id) == file_key
    assert run(["-m", "app", "documents", "rewrap"], database, **keys).returncode == 0
    assert asyncio.run(read(before.id)).wrapped_key == after.wrapped_key  # nothing left to do


def test_the_sweep_deletes_the_files_no_document_names(database: Path, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    orphan = folder / "ab" / ("ab" + "0" * 30)
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"sealed bytes of a failed upload")
    os.utime(orphan, (0, 0))  # written long ago
    swept = run(["-m", "app", "documents", "sweep"], database, APP_DOCUMENT_DIR=str(folder))
    assert swept.returncode == 0, swept.stderr
    assert "deleted 1 files" in swept.stdout and not orphan.exists()
