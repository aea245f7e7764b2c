"""`make bench`: seed PostgreSQL, load this service and the bare baseline the same way, report.

    python -m bench.run [--scale 100000 --scale 1000000] [--duration 10] [--connections 32]

For each scale: a database ``bench_<scale>`` is created and seeded (kept for the next run:
``--reseed`` makes it again), this service is started with one uvicorn worker, each operation
is loaded by wrk with a fixed concurrency for a fixed time, then the bare Starlette + asyncpg
app (bench/bare.py) is started and loaded with its two operations the same way. Only figures
of one run are compared: the ratios, not the absolute numbers, are the result.
"""

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import asyncpg
import httpx

from app.config import load_settings
from app.domain.roles import Role
from app.security import TokenClaims, encode_access_token
from bench import seed

ROOT = Path(__file__).resolve().parent
RESULTS = ROOT / "results"
SECRET = "bench-only-jwt-secret-0123456789abcdef0123"  # noqa: S105 - a throwaway secret
ADMIN_URL = os.environ.get("BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
OURS, BARE, STACKS = 8011, 8012, 8013
# the layers between bare and ours, for get-a-person (bench/stacks.py)
LAYERS = {"fastapi+asyncpg": "/fastapi-asyncpg/victims/", "fastapi+core": "/fastapi-core/victims/"}
ENV = {
    "APP_ENV": "production",
    "APP_JWT_SECRET": SECRET,
    "APP_SCME_BASE_URL": "https://scme.invalid",
    "APP_SCME_TOKEN": "bench",
    "APP_WEBHOOK_SECRET_KEYS": "YmVuY2gtb25seS13ZWJob29rLWtleS10aHJvd2F3YXk=",  # a throwaway key
    "APP_MATCHING_KEY": "bench-only-matching-key-0123456789abcdef",  # production requires one
    "APP_DOCUMENT_KEYS": "YmVuY2gtb25seS1kb2N1bWVudC1rZXktdGhyb3dhd2E=",  # and this
    "APP_FRONTEND_URL": "https://frontend.invalid",  # and an HTTPS frontend for the reminders
    "APP_LOG_LEVEL": "WARNING",
}


@dataclass
class Figures:
    operation: str
    server: str  # "ours" or "bare"
    scale: int
    requests: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    rss_mb: float


def database_url(scale: int) -> str:
    return ADMIN_URL.rsplit("/", 1)[0] + f"/bench_{scale}"


async def prepare_database(scale: int, reseed: bool) -> dict[str, Any]:
    """Seed ``bench_<scale>`` unless it holds this scale's caseload already. The layout (the
    ids the requests address) is kept in the database itself, so that runs from different
    clones on one server never read another seed's ids."""
    name = f"bench_{scale}"
    layout = None if reseed else await _kept_layout(scale)
    if layout is not None:
        print(f"== {name}: seeded before, kept (--reseed to seed again)")
        seed.migrate(database_url(scale))  # a kept database gets the newest indexes too
        await _free_admission_pool(database_url(scale), layout)
        return layout
    admin = await asyncpg.connect(ADMIN_URL)
    try:
        await admin.execute(f'drop database if exists "{name}" with (force)')
        await admin.execute(f'create database "{name}"')
    finally:
        await admin.close()
    print(f"== seeding {name} with {scale:,} persons")
    seed.migrate(database_url(scale))
    started = time.monotonic()
    made = await seed.seed(database_url(scale), scale, date.today())
    print(f"   seeded in {time.monotonic() - started:.0f} s")
    layout = {k: str(v) if isinstance(v, UUID) else v for k, v in vars(made).items()}
    layout["users"] = {k: str(v) for k, v in made.users.items()}
    connection = await asyncpg.connect(database_url(scale))
    try:
        await connection.execute("create table bench_layout (layout text not null)")
        await connection.execute("insert into bench_layout values ($1)", json.dumps(layout))
    finally:
        await connection.close()
    return layout


async def _kept_layout(scale: int) -> dict[str, Any] | None:
    try:
        connection = await asyncpg.connect(database_url(scale))
    except asyncpg.InvalidCatalogNameError:
        return None
    try:
        kept = await connection.fetchval("select layout from bench_layout")
    except asyncpg.UndefinedTableError:
        return None
    finally:
        await connection.close()
    return dict(json.loads(kept)) if kept else None


async def _free_admission_pool(url: str, layout: dict[str, Any]) -> None:
    """A run before admitted the pool: its stays go, so each person can be proposed again."""
    connection = await asyncpg.connect(url)
    try:
        pool = [UUID(v) for v in layout["admission_pool"]]
        await connection.execute("delete from shelter_stays where victim_id = any($1)", pool)
        # seeded before MAN-STAFF-CONFIDENTIALITY: its staff signed Annex 4 when they joined
        await connection.execute(
            "update users set confidentiality_signed_on = date '2020-01-01' "
            "where role <> 'coordinator' and confidentiality_signed_on is null"
        )
    finally:
        await connection.close()


def token(layout: dict[str, Any], label: str, role: Role, organisation: str) -> str:
    settings = load_settings(jwt_secret=SECRET)
    claims = TokenClaims("user", UUID(layout["users"][label]), role, UUID(organisation))
    return encode_access_token(claims, settings, datetime.now(UTC))


def tokens(layout: dict[str, Any]) -> dict[str, str]:
    return {
        "worker": token(layout, "worker-2", Role.SOCIAL_WORKER, layout["big_org"]),
        "caseworker": token(layout, "worker-0", Role.SOCIAL_WORKER, layout["caseworker_org"]),
        "manager": token(layout, "manager-2", Role.SHELTER_MANAGER, layout["big_org"]),
        "coordinator": token(layout, "coordinator", Role.COORDINATOR, layout["coordinator_org"]),
    }


@contextmanager
def server(argv: list[str], port: int, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    log = (RESULTS / f"server-{port}.log").open("wb")
    process = subprocess.Popen(argv, env={**os.environ, **env}, stdout=log, stderr=log)
    try:
        _wait_for_port(port, process)
        yield process
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def _wait_for_port(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on :{port} exited; see bench/results/server-{port}.log")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"the server on :{port} did not start")


def uvicorn(app: str, port: int) -> list[str]:
    return [
        sys.executable, "-m", "uvicorn", app, "--port", str(port), "--workers", "1",
        "--no-access-log", "--log-level", "warning",
    ]  # fmt: skip


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def load(
    port: int, lines: list[str], args: argparse.Namespace, admit_token: str | None = None
) -> dict[str, Any]:
    """wrk at fixed concurrency for a fixed time; its done() prints one JSON line."""
    requests_file = RESULTS / "requests.tsv"
    requests_file.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "BENCH_REQUESTS": str(requests_file), "BENCH_THREADS": "2"}
    if admit_token:
        env["BENCH_ADMIT_TOKEN"] = admit_token
    argv = ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "30s"]
    argv += ["-s", str(ROOT / "load.lua"), f"http://127.0.0.1:{port}"]
    out = subprocess.run(argv, env=env, capture_output=True, text=True, check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def figures(name: str, who: str, scale: int, raw: dict[str, Any], rss: float) -> Figures:
    seconds = raw["duration_us"] / 1e6
    return Figures(
        operation=name,
        server=who,
        scale=scale,
        requests=raw["requests"],
        rps=round(raw["requests"] / seconds, 1),
        p50_ms=round(raw["p50_us"] / 1000, 1),
        p95_ms=round(raw["p95_us"] / 1000, 1),
        p99_ms=round(raw["p99_us"] / 1000, 1),
        errors=raw["non_2xx"] + raw["socket_errors"],
        rss_mb=round(rss, 1),
    )


def line(method: str, path: str, bearer: str, body: dict[str, Any] | None = None) -> str:
    return "\t".join([method, path, bearer, json.dumps(body) if body else ""])


def cursors(port: int, bearer: str, pages: int) -> list[str]:
    """The cursors of pages 2.. of the caller's persons, walked once through the API."""
    found: list[str] = []
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        cursor = None
        for _ in range(pages):
            params = {"limit": 50, **({"cursor": cursor} if cursor else {})}
            answer = client.get("/api/v1/victims", params=params, headers=_auth(bearer))
            answer.raise_for_status()
            cursor = answer.json()["next_cursor"]
            if cursor is None:
                break
            found.append(cursor)
    return found


def _auth(bearer: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {bearer}"}


def our_operations(layout: dict[str, Any], t: dict[str, str]) -> dict[str, list[str]]:
    today = date.today().isoformat()
    victims = layout["sample_victims"]
    page = "/api/v1/victims?limit=50"
    next_pages = [f"{page}&cursor={c}" for c in cursors(OURS, t["worker"], 20)]
    pool = layout["admission_pool"]
    return {
        "get a person": [line("GET", f"/api/v1/victims/{v}", t["worker"]) for v in victims],
        "list a page": [line("GET", page, t["worker"])],
        "next page": [line("GET", p, t["worker"]) for p in next_pages],
        "worklist": [line("GET", "/api/v1/worklist?limit=50", t["caseworker"])],
        "create an assessment": [
            line("POST", "/api/v1/assessments", t["worker"], _assessment(v, today)) for v in victims
        ],
        "propose + admit a stay": [
            line("POST", "/api/v1/shelter-stays", t["manager"], _stay(v, layout, today))
            for v in pool
        ],
        "monthly report": [
            line(
                "GET",
                f"/api/v1/reports/shelters/{layout['big_shelter']}/monthly?month={today[:7]}",
                t["coordinator"],
            )
        ],
    }


def _assessment(victim: str, today: str) -> dict[str, Any]:
    return {"victim_id": victim, "kind": "risk", "performed_on": today}


def _stay(victim: str, layout: dict[str, Any], today: str) -> dict[str, Any]:
    signed = {"rules_signed_on": today, "rights_signed_on": today}
    place = {"shelter_id": layout["big_shelter"], "source": "ngo_coordinator"}
    return {"victim_id": victim, **place, **signed, "pocket_money_per_day": "100.00"}


def bare_operations(ours: dict[str, list[str]]) -> dict[str, list[str]]:
    """The bare app answers the same paths for the operations it has."""
    return {name: ours[name] for name in ("get a person", "list a page", "next page")}


def run_scale(scale: int, args: argparse.Namespace) -> list[Figures]:
    layout = asyncio.run(prepare_database(scale, args.reseed))
    env = {**ENV, "APP_DATABASE_URL": database_url(scale).replace("://", "+asyncpg://", 1)}
    t = tokens(layout)
    results: list[Figures] = []
    with server(uvicorn("app.main:app", OURS), OURS, env) as process:
        operations = our_operations(layout, t)
        for name, lines in operations.items():
            admit = t["coordinator"] if name.startswith("propose") else None
            raw = load(OURS, lines, args, admit)
            results.append(figures(name, "ours", scale, raw, rss_mb(process.pid)))
            _show(results[-1])
    bare_env = {"BENCH_DATABASE_URL": database_url(scale), "BENCH_JWT_SECRET": SECRET}
    with server(uvicorn("bench.bare:app", BARE), BARE, bare_env) as process:
        for name, lines in bare_operations(operations).items():
            raw = load(BARE, lines, args)
            results.append(figures(name, "bare", scale, raw, rss_mb(process.pid)))
            _show(results[-1])
    with server(uvicorn("bench.stacks:app", STACKS), STACKS, bare_env) as process:
        for layer, prefix in LAYERS.items():
            lines = [r.replace("/api/v1/victims/", prefix) for r in operations["get a person"]]
            raw = load(STACKS, lines, args)
            results.append(figures("get a person", layer, scale, raw, rss_mb(process.pid)))
            _show(results[-1])
    return results


def _show(f: Figures) -> None:
    print(
        f"   {f.server:15} {f.operation:24} {f.rps:8.1f} req/s  p50 {f.p50_ms:7.1f}  "
        f"p95 {f.p95_ms:7.1f}  p99 {f.p99_ms:7.1f} ms  errors {f.errors}  rss {f.rss_mb:.0f} MB"
    )


def report(results: list[Figures]) -> list[str]:
    """The per-operation table with ratios to the bare baseline of the same scale and run."""
    rows = [
        "| scale | operation | req/s | p50 ms | p95 ms | p99 ms | errors | RSS MB | × bare req/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for f in [r for r in results if r.server == "ours"]:
        bare = _bare(results, f.scale, f.operation)
        ratio = f"{f.rps / bare.rps:.2f}" if bare else ""
        rows.append(
            f"| {f.scale:,} | {f.operation} | {f.rps:.0f} | {f.p50_ms} | {f.p95_ms} | {f.p99_ms} "
            f"| {f.errors} | {f.rss_mb:.0f} | {ratio} |"
        )
    return rows


def layers(results: list[Figures]) -> list[str]:
    """Get-a-person through each layer, as a ratio of the bare baseline of the same scale."""
    rows = ["| scale | get a person on | req/s | × bare |", "|---|---|---|---|"]
    for scale in sorted({r.scale for r in results}):
        bare = _bare(results, scale, "get a person")
        for server in ("bare", *LAYERS, "ours"):
            found = [r for r in results if (r.scale, r.server) == (scale, server)]
            f = next((r for r in found if r.operation == "get a person"), None)
            if f and bare:
                rows.append(f"| {scale:,} | {server} | {f.rps:.0f} | {f.rps / bare.rps:.2f} |")
    return rows


def _bare(results: list[Figures], scale: int, operation: str) -> Figures | None:
    found = [r for r in results if r.server == "bare" and r.scale == scale]
    return next((r for r in found if r.operation == operation), None)


def targets(results: list[Figures]) -> list[str]:
    """Issue 13's targets, each MET or MISSED, from this run's figures."""
    verdicts = []
    scales = sorted({r.scale for r in results})
    for scale in scales:
        ours = {r.operation: r for r in results if r.scale == scale and r.server == "ours"}
        bare_get = _bare(results, scale, "get a person")
        for name in ("get a person", "list a page", "next page"):
            bare = _bare(results, scale, name)
            if bare and name in ours:
                ratio = ours[name].rps / bare.rps
                verdicts.append(_verdict(f"{scale:,}: {name} ≥ 0.5× bare", ratio >= 0.5, ratio))
        if bare_get:
            worst = max(ours.values(), key=lambda r: r.p99_ms)
            limit = 3 * bare_get.p99_ms
            what = f"{scale:,}: every p99 ≤ 3× bare get p99 ({limit:.0f} ms; {worst.operation})"
            verdicts.append(_verdict(what, worst.p99_ms <= limit, worst.p99_ms))
        errors = sum(r.errors for r in results if r.scale == scale)
        verdicts.append(_verdict(f"{scale:,}: zero errors", errors == 0, errors))
        rss = max(r.rss_mb for r in results if r.scale == scale and r.server == "ours")
        verdicts.append(_verdict(f"{scale:,}: RSS < 300 MB", rss < 300, rss))
    if len(scales) >= 2:
        low, high = scales[0], scales[-1]
        for name in ("worklist", "list a page", "next page"):
            a = _ours(results, low, name)
            b = _ours(results, high, name)
            if a and b:
                ratio = b.p50_ms / max(a.p50_ms, 0.1)
                verdicts.append(
                    _verdict(f"{name} p50 at {high:,} ≤ 1.5× {low:,}", ratio <= 1.5, ratio)
                )
    return verdicts


def _ours(results: list[Figures], scale: int, operation: str) -> Figures | None:
    found = [r for r in results if r.server == "ours" and r.scale == scale]
    return next((r for r in found if r.operation == operation), None)


def _verdict(what: str, met: bool, value: float) -> str:
    return f"{'MET   ' if met else 'MISSED'} {what} ({value:.2f})"


def machine() -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "cpu": _cpu_model(),
        "python": platform.python_version(),
        "postgres": subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, check=False
        ).stdout.strip(),
    }


def _cpu_model() -> str:
    for text in Path("/proc/cpuinfo").read_text().splitlines():
        if text.startswith("model name"):
            return text.split(":", 1)[1].strip()
    return platform.processor()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, action="append", help="persons (repeatable)")
    parser.add_argument("--duration", type=int, default=10, help="seconds per operation")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--reseed", action="store_true")
    args = parser.parse_args()
    RESULTS.mkdir(exist_ok=True)
    results: list[Figures] = []
    for scale in args.scale or [100_000]:
        results += run_scale(scale, args)
    table, verdicts = report(results), targets(results)
    table += ["", *layers(results)]
    print("\n".join(["", *table, "", *verdicts]))
    summary = {
        "machine": machine(),
        "settings": {"duration_s": args.duration, "connections": args.connections},
        "results": [asdict(r) for r in results],
        "targets": verdicts,
    }
    (RESULTS / "latest.json").write_text(json.dumps(summary, indent=1) + "\n")
    (RESULTS / "latest.md").write_text("\n".join([*table, "", *verdicts]) + "\n")
    from bench import chart  # matplotlib only when there is something to draw

    chart.draw(summary, RESULTS / "latest.png")
    print(f"\nwritten: {RESULTS / 'latest.json'}, latest.md, latest.png")


if __name__ == "__main__":
    main()
