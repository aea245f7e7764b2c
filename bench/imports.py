"""How long a spreadsheet import of an existing caseload takes (issue 17): 10,000 rows.

A fresh database (SQLite by default, or ``--database-url`` of a PostgreSQL server: a database
is made there and dropped after), an NGO's shelter manager, a licensed service provider and a
shelter. The file: one row per person with the date of their data-processing consent; a third
of them also referred (with the consent to share), a third proposed for a stay, a third
assessed, each with its past date. It goes through the API in-process: a dry run, then the
real run (the job runs after the answer; in-process it is done when the answer returns). Beside
it, the bare baseline: the rows the import made, written again by one plain INSERT per table.
Target: the real run under a minute on this machine.

    .venv/bin/python bench/imports.py [--rows 10000] [--format csv|xlsx] [--database-url URL]
"""

import argparse
import asyncio
import csv
import io
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

import httpx
from alembic import command
from alembic.config import Config
from sqlalchemy.engine import make_url

from app.config import Settings
from app.db import create_engine, create_sessionmaker
from app.domain import imports as template
from app.domain.access import Role
from app.domain.rulebook import ShelterKind
from app.domain.vocabulary import OrganisationKind
from app.main import create_app
from app.models import Organisation, Shelter, User
from app.security import TokenClaims, encode_access_token
from app.services.organisations import name_key

ROOT = Path(__file__).resolve().parent.parent
SYLLABLES = "ba be bo da de di ga gu ka ke ku la le lu ma me mi na nu ra re ri sa se su ta ti tu"
TODAY = date.today()


def _name(rng: random.Random, syllables: list[str]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def caseload(rows: int, receiver: str, shelter: uuid.UUID, seed: int) -> list[dict[str, str]]:
    """Synthetic persons, each unlike the others (no two are possible duplicates)."""
    rng, syllables = random.Random(seed), SYLLABLES.split()
    out = []
    for n in range(rows):
        identified = TODAY - timedelta(days=rng.randint(400, 3000))
        row = {
            "given_name": _name(rng, syllables),
            "family_name": _name(rng, syllables) + "ova",
            "birth_date": (date(1960, 1, 1) + timedelta(days=rng.randint(0, 15000))).isoformat(),
            "sex": "female" if n % 3 == 1 else rng.choice(["female", "male"]),  # adult shelter
            "nationality": "KG",
            "exploitation_types": rng.choice(["labour", "sexual", "labour;domestic_servitude"]),
            "identified_on": identified.isoformat(),
            "contact_phone": f"+996 555 {n:06d}",
            "consent_data_processing_given_on": (identified + timedelta(days=1)).isoformat(),
        }
        if n % 3 == 0:
            row |= {
                "consent_share_with_organisation_given_on": (
                    identified + timedelta(days=2)
                ).isoformat(),
                "referral_to_organisation": receiver,
                "referral_service": "legal",
                "referral_funding": "project",
                "referral_referred_on": (identified + timedelta(days=3)).isoformat(),
            }
        if n % 3 == 1:
            row |= {
                "stay_shelter_id": str(shelter),
                "stay_source": "ngo_coordinator",
                "stay_proposed_on": (identified + timedelta(days=4)).isoformat(),
                "stay_pocket_money_per_day": "50.00",
            }
        if n % 3 == 2:
            row |= {
                "assessment_kind": "risk",
                "assessment_performed_on": (identified + timedelta(days=5)).isoformat(),
            }
        out.append(row)
    return out


def as_file(rows: list[dict[str, str]], file_format: str) -> bytes:
    if file_format == "csv":
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=list(template.HEADER))
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode()
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(list(template.HEADER))
    for row in rows:
        sheet.append([row.get(name) for name in template.HEADER])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def _admin(server_url: str, statement: str) -> None:
    import asyncpg

    url = make_url(server_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def bench(url: str, rows: int, file_format: str, seed: int, dry_run: bool) -> bool:
    config = Config(str(ROOT / "alembic.ini"))
    config.attributes["database_url"] = url
    config.attributes["configure_logger"] = False
    await asyncio.to_thread(command.upgrade, config, "head")
    settings = Settings(database_url=url, env="test")
    engine = create_engine(url)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session:
        ngo = Organisation(
            name="Bench NGO", name_key=name_key("Bench NGO"), kind=OrganisationKind.NGO
        )
        provider = Organisation(
            name="Bench Legal Aid",
            name_key=name_key("Bench Legal Aid"),
            kind=OrganisationKind.SERVICE_PROVIDER,
            licences=[
                {
                    "target_group": "trafficking_victims",
                    "number": "B-1",
                    "valid_until": (TODAY + timedelta(days=365)).isoformat(),
                }
            ],
        )
        session.add_all([ngo, provider])
        await session.flush()
        shelter = Shelter(
            name="Bench House",
            organisation_id=ngo.id,
            kind=ShelterKind.ADULT,
            capacity=20,
            address="1 Bench Lane",
        )
        manager = User(
            username="bench.manager",
            password_hash="-",  # noqa: S106 - no password: the bench makes a token
            role=Role.SHELTER_MANAGER,
            organisation_id=ngo.id,
            confidentiality_signed_on=TODAY,
        )
        session.add_all([shelter, manager])
        await session.commit()
    await engine.dispose()
    app = create_app(settings)
    claims = TokenClaims("user", manager.id, Role.SHELTER_MANAGER, ngo.id)
    headers = {
        "Authorization": f"Bearer {encode_access_token(claims, settings, app.state.clock.now())}"
    }
    content = as_file(caseload(rows, provider.name, shelter.id, seed), file_format)
    files = {"file": (f"caseload.{file_format}", content)}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench", timeout=600) as http:
        dry_seconds = None
        if dry_run:
            started = time.perf_counter()
            dry = await http.post(
                "/api/v1/imports", files=files, data={"dry_run": "true"}, headers=headers
            )
            dry_seconds = time.perf_counter() - started
            if dry.status_code != 200 or not dry.json()["valid"]:
                raise SystemExit(f"the dry run found problems: {dry.text[:500]}")
        started = time.perf_counter()
        answer = await http.post("/api/v1/imports", files=files, headers=headers)
        job = (await http.get(answer.headers["location"], headers=headers)).json()
        real_seconds = time.perf_counter() - started
    await app.state.engine.dispose()
    if job["status"] != "succeeded":
        raise SystemExit(f"the import did not succeed: {str(job)[:500]}")
    bare_seconds, bare_rows = await bare_baseline(url)
    backend = make_url(url).get_backend_name()
    print(f"{rows} rows, {file_format}, {len(content) / 1024 / 1024:.1f} MiB, on {backend}")
    if dry_seconds is not None:
        print(f"  dry run: {dry_seconds:.1f} s")
    print(f"  real run: {real_seconds:.1f} s ({rows / real_seconds:.0f} rows/s): {job['created']}")
    print(
        f"  bare baseline: {bare_seconds:.1f} s: the same {bare_rows} rows of records and keys"
        " written again by plain INSERTs (no checks, no audit, no matching)"
    )
    print(f"  target: under 60 s: {'met' if real_seconds < 60 else 'MISSED'}")
    return real_seconds < 60


BARE_TABLES = (
    "victims",
    "person_match_keys",
    "consents",
    "referrals",
    "shelter_stays",
    "assessments",
)


async def bare_baseline(url: str) -> tuple[float, int]:
    """The database's own cost of the import's records: the rows it made, read, deleted and
    written again by one multi-row INSERT per table, in a transaction rolled back after."""
    from sqlalchemy import MetaData, delete, insert, select

    engine = create_engine(url)
    metadata = MetaData()
    try:
        async with engine.connect() as connection:
            await connection.run_sync(metadata.reflect, only=BARE_TABLES)
            tables = [metadata.tables[name] for name in BARE_TABLES]
            rows = {t.name: (await connection.execute(select(t))).mappings().all() for t in tables}
            for table in reversed(tables):  # the persons last: the others name them
                await connection.execute(delete(table))
            started = time.perf_counter()
            for table in tables:
                if rows[table.name]:
                    await connection.execute(insert(table), [dict(r) for r in rows[table.name]])
            seconds = time.perf_counter() - started
            await connection.rollback()
    finally:
        await engine.dispose()
    return seconds, sum(len(found) for found in rows.values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite in /tmp)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-dry-run", action="store_true", help="the real run only")
    args = parser.parse_args()
    if args.database_url is None:
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{folder}/bench-imports.db"
            met = asyncio.run(bench(url, args.rows, args.format, args.seed, not args.no_dry_run))
        return 0 if met else 1
    name = f"bench_imports_{uuid.uuid4().hex[:8]}"
    server = args.database_url
    asyncio.run(_admin(server, f'CREATE DATABASE "{name}"'))
    try:
        url = make_url(server).set(database=name).render_as_string(hide_password=False)
        met = asyncio.run(bench(url, args.rows, args.format, args.seed, not args.no_dry_run))
    finally:
        asyncio.run(_admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
