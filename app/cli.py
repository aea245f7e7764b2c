"""``python -m app <command>``: bootstrap, demo data, the contract, housekeeping."""

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import uvicorn
from pydantic import ValidationError

from app.clock import Clock
from app.config import Settings, get_settings
from app.db import create_engine, create_sessionmaker
from app.domain.access import Role
from app.domain.errors import DomainError
from app.errors import AppError
from app.integrations.fakes import FakeScme
from app.integrations.worker import OutboxWorker
from app.schemas.users import UserCreate
from app.security import SYSTEM
from app.services import (
    audit_partitions,
    audit_verify,
    demo,
    documents,
    idempotency,
    matching,
    reminders,
    users,
)
from app.services.file_store import store_for
from app.services.sealed_files import Keyring

OPENAPI_PATH = Path("openapi/openapi.json")


def openapi_document() -> str:
    from app.main import create_app

    schema = create_app(Settings(database_url="sqlite+aiosqlite:///:memory:")).openapi()
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


async def _create_user(settings: Settings, args: argparse.Namespace, password: str) -> None:
    data = UserCreate(
        username=args.username,
        password=password,
        role=Role(args.role),
        organisation_id=args.organisation_id,
    )
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            user = await users.create_user(session, SYSTEM, data, Clock(settings.zone).today())
        print(f"created {user.role} '{user.username}' ({user.id})")
    finally:
        await engine.dispose()


async def _seed_demo(settings: Settings, if_empty: bool) -> None:
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            if await demo.is_empty(session):
                logins = await demo.seed(session, Clock(settings.zone).now())
            elif not if_empty:
                raise SystemExit("The database is not empty; demo data goes into an empty one.")
            elif await demo.is_loaded(session):
                print("The demo data is loaded already.")
                logins = demo.logins()
            else:
                print("The database holds data already: no demo data loaded.")
                return
    finally:
        await engine.dispose()
    print("Demo logins (synthetic data; password grant for users, client_credentials for clients):")
    for login in logins:
        print(f"  {login.kind:6} {login.role:17} {login.name:38} {login.secret}")


async def _purge(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    now = Clock(settings.zone).now()
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            cutoff = now - timedelta(hours=settings.idempotency_retention_hours)
            purged = await idempotency.purge_expired(session, cutoff)
        print(f"purged {purged} expired idempotency records")
    finally:
        await engine.dispose()


async def _work(settings: Settings, once: bool) -> None:
    """The outbox worker until SIGINT/SIGTERM, or (``--once``) until nothing is due."""
    engine = create_engine(settings.database_url)
    worker = OutboxWorker(create_sessionmaker(engine), settings, Clock(settings.zone))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        if once:
            sent = 0
            while handled := await worker.run_once():
                sent += handled
            print(f"handled {sent} outbox messages")
        else:
            print("outbox worker running; Ctrl+C stops it")
            await worker.run(stop)
    finally:
        await worker.aclose()
        await engine.dispose()


async def _audit_partitions(settings: Settings, since: date | None) -> None:
    """Prepare the months to come (and, with --since, the months back to it), then show them."""
    engine = create_engine(settings.database_url)
    try:
        async with engine.begin() as connection:
            if not await audit_partitions.is_partitioned(connection):
                print("The audit trail is one plain table here (SQLite): nothing to prepare.")
                return
            today = Clock(settings.zone).today()
            created = await audit_partitions.prepare(connection, today, since=since)
            shown = await audit_partitions.show(connection)
            stray = await audit_partitions.rows_in_default(connection)
    finally:
        await engine.dispose()
    for name in created:
        print(f"created {name}")
    for partition in shown:
        print(f"  {partition.name:28} {partition.bounds:70} ~{partition.rows:,} rows")
    if stray:
        print(f"{stray:,} events in {audit_partitions.DEFAULT}: they found no month of their own")


async def _audit_verify(settings: Settings) -> int:
    """Walk every chain of the audit trail; report the first broken link (exit status 1)."""
    engine = create_engine(settings.database_url)
    try:
        async with engine.connect() as connection:
            verdict = await audit_verify.verify(connection)
    finally:
        await engine.dispose()
    print(f"checked {verdict.events:,} events in {verdict.chains:,} chains")
    if verdict.broken is None:
        print("the audit trail is intact")
        return 0
    broken = verdict.broken
    print(
        f"BROKEN: chain {broken.chain}, event {broken.seq} ({broken.event_id or 'none'}): "
        f"{broken.why}"
    )
    return 1


async def _rekey(settings: Settings) -> None:
    """Every person's matching keys made again under APP_MATCHING_KEY, a batch per transaction
    (run again after an interruption: it starts over and ends the same)."""
    engine = create_engine(settings.database_url)
    done, after = 0, None
    try:
        while True:
            async with create_sessionmaker(engine)() as session, session.begin():
                after = await matching.rekey_batch(session, after)
            if after is None:
                break
            done += 1
    finally:
        await engine.dispose()
    print(f"made the matching keys again, in {done} batches")


async def _rewrap(settings: Settings) -> None:
    """Every document's key wrapped again under the first of APP_DOCUMENT_KEYS, a batch per
    transaction (run again after an interruption: it goes on where it stopped)."""
    engine = create_engine(settings.database_url)
    keyring = Keyring.of(settings.document_key_list)
    done, after = 0, None
    try:
        while True:
            async with create_sessionmaker(engine)() as session, session.begin():
                after = await documents.rewrap_batch(session, keyring, after)
            if after is None:
                break
            done += 1
    finally:
        await engine.dispose()
    print(f"wrapped the documents' keys again under key {keyring.current_id}, in {done} batches")


async def _sweep(settings: Settings) -> None:
    """The documents' files no row names, written over an hour ago, deleted."""
    engine = create_engine(settings.database_url)
    try:
        async with create_sessionmaker(engine)() as session:
            before = datetime.now(UTC) - timedelta(hours=1)
            gone = await documents.sweep(session, store_for(settings), before)
    finally:
        await engine.dispose()
    print(f"deleted {len(gone)} files that no document names")


async def _queue_reminders(settings: Settings) -> None:
    """Today's digests queued in the outbox (run daily; a second run the same day queues none)."""
    engine = create_engine(settings.database_url)
    clock = Clock(settings.zone)
    try:
        async with create_sessionmaker(engine)() as session, session.begin():
            queued = await reminders.queue_daily(session, clock.today(), clock.now())
    finally:
        await engine.dispose()
    print(f"queued {queued} daily digests")


def server_options(settings: Settings) -> dict[str, object]:
    """How uvicorn serves the API: no ``server`` header, and forwarded headers believed only
    from the configured proxies (uvicorn believes loopback's by default: any process on the
    host could then forge the address the audit trail records). Header and body timeouts are
    the reverse proxy's (deploy/nginx.conf): uvicorn has none for a slow client."""
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    return {
        "server_header": False,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or "",
        "timeout_keep_alive": 5,
    }


def _serve(settings: Settings, host: str, port: int, workers: int) -> None:
    options = server_options(settings)
    uvicorn.run("app.main:app", host=host, port=port, workers=workers, **options)  # type: ignore[arg-type]


def _fake_scme(port: int, token: str | None) -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    print(f"fake SCME on http://127.0.0.1:{port}  (GET /job-referrals lists what arrived)")
    uvicorn.run(FakeScme(token).app(), host="127.0.0.1", port=port, log_level="warning")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create-user", help="create a user (the first administrator)")
    create.add_argument("--username", required=True)
    create.add_argument("--role", required=True, choices=[r.value for r in Role])
    create.add_argument("--organisation-id", default=None)
    create.add_argument("--password-stdin", action="store_true", required=True)
    seed = commands.add_parser("seed-demo", help="load the synthetic demo data set")
    seed.add_argument("--if-empty", action="store_true", help="do nothing if data exists")
    export = commands.add_parser("export-openapi", help="write the OpenAPI document")
    export.add_argument("--output", type=Path, default=OPENAPI_PATH)
    commands.add_parser("purge-expired", help="delete idempotency records past retention")
    work = commands.add_parser("worker", help="send the outbox: to SCME and partner endpoints")
    work.add_argument("--once", action="store_true", help="send what is due, then stop")
    audit = commands.add_parser("audit", help="the audit trail's housekeeping")
    audit_commands = audit.add_subparsers(dest="audit_command", required=True)
    parts = audit_commands.add_parser(
        "partitions", help="show the monthly partitions and prepare the months ahead"
    )
    parts.add_argument(
        "--since", type=date.fromisoformat, default=None, help="also prepare back to this day"
    )
    serve = commands.add_parser("serve", help="serve the API (as in production)")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "1")), help="processes"
    )
    audit_commands.add_parser("verify", help="check the audit trail's chains of hashes")
    keys = commands.add_parser("matching", help="the duplicate matcher's keys")
    keys.add_subparsers(dest="matching_command", required=True).add_parser(
        "rekey", help="make every person's keys again (after APP_MATCHING_KEY changed)"
    )
    papers = commands.add_parser("documents", help="the documents' keys")
    paper_commands = papers.add_subparsers(dest="documents_command", required=True)
    paper_commands.add_parser(
        "rewrap", help="wrap every document's key under the first of APP_DOCUMENT_KEYS"
    )
    paper_commands.add_parser("sweep", help="delete the files no document names (run daily)")
    notes = commands.add_parser("reminders", help="the staff's daily digests by email")
    notes.add_subparsers(dest="reminders_command", required=True).add_parser(
        "queue", help="queue today's digests in the outbox (run daily, before the working day)"
    )
    fake = commands.add_parser("fake-scme", help="a fake SCME on loopback, for development")
    fake.add_argument("--port", type=int, default=8900)
    fake.add_argument("--token", default=None, help="the bearer token it expects, if any")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = get_settings()
    try:
        if args.command == "create-user":
            password = sys.stdin.readline().rstrip("\n")
            asyncio.run(_create_user(settings, args, password))
        elif args.command == "seed-demo":
            if settings.env == "production":
                raise SystemExit("Demo data is never loaded in production.")
            asyncio.run(_seed_demo(settings, args.if_empty))
        elif args.command == "export-openapi":
            args.output.parent.mkdir(parents=True, exist_ok=True)
            args.output.write_text(openapi_document())
            print(f"wrote {args.output}")
        elif args.command == "purge-expired":
            asyncio.run(_purge(settings))
        elif args.command == "worker":
            asyncio.run(_work(settings, args.once))
        elif args.command == "audit" and args.audit_command == "verify":
            return asyncio.run(_audit_verify(settings))
        elif args.command == "audit":
            asyncio.run(_audit_partitions(settings, args.since))
        elif args.command == "matching":
            asyncio.run(_rekey(settings))
        elif args.command == "documents" and args.documents_command == "sweep":
            asyncio.run(_sweep(settings))
        elif args.command == "documents":
            asyncio.run(_rewrap(settings))
        elif args.command == "reminders":
            asyncio.run(_queue_reminders(settings))
        elif args.command == "serve":
            _serve(settings, args.host, args.port, args.workers)
        elif args.command == "fake-scme":
            _fake_scme(args.port, args.token)
    except (ValidationError, DomainError, AppError) as exc:
        print(f"refused: {_explain(exc)}", file=sys.stderr)
        return 2
    return 0


def _explain(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
    return str(exc)
