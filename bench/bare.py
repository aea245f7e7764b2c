"""The bare baseline: Starlette + asyncpg doing what this service does for two operations, and
nothing else — the same token check, the same SQL (captured from the service), the same audit
insert, in one transaction each. What the service costs beyond it is the framework, the ORM and
our own code: `make bench` prints our throughput as a ratio of this one's.

    BENCH_DATABASE_URL=postgresql://… BENCH_JWT_SECRET=… uvicorn bench.bare:app
"""

import base64
import json
import os
import uuid
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from typing import Any

import asyncpg
from jose import JWTError, jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app.models.base import new_id

SECRET = os.environ.get("BENCH_JWT_SECRET", "")
ISSUER, AUDIENCE = "vot-case-management", "vot-case-management-api"

USER = "SELECT active, role, organisation_id, token_version FROM users WHERE id = $1"
COLUMNS = (
    "version, id, registration_number, organisation_id, given_name, family_name, birth_date, "
    "sex, nationality, exploitation_types, country_of_exploitation, identified_on, returned_on, "
    "registered_address, contact_phone, status, departed_on, health_contributions_unpaid, "
    "insured_months_since_return, eligible_for_social_benefits, created_at, updated_at"
)
NOT_ERASED = "victims.status != 'erased'"
VISIBLE = (
    f"{NOT_ERASED} AND (victims.organisation_id = $1 OR (EXISTS (SELECT * FROM "
    "referrals WHERE referrals.victim_id = victims.id AND referrals.to_organisation_id = $1 AND "
    "referrals.status IN ('accepted', 'in_progress', 'completed')) AND EXISTS (SELECT * FROM "
    "consents WHERE consents.victim_id = victims.id AND consents.purpose = "
    "'share_with_organisation' AND consents.recipient_organisation_id = $1 AND "
    "consents.withdrawn_at IS NULL)))"
)
ONE = f"SELECT {COLUMNS} FROM victims WHERE victims.id = $2 AND {VISIBLE}"


def _page(after: str) -> str:
    """A page: the organisation's own cases and those shared with it, each off its index."""
    own = (
        f"SELECT victims.id AS id FROM victims WHERE victims.organisation_id = $1 AND {NOT_ERASED}"
        f"{after.format('victims.id')} ORDER BY victims.id DESC LIMIT $2"
    )
    shared = (
        "SELECT DISTINCT referrals.victim_id AS id FROM referrals JOIN victims ON victims.id = "
        "referrals.victim_id WHERE referrals.to_organisation_id = $1 AND referrals.status IN "
        "('accepted', 'in_progress', 'completed') AND (SELECT 1 FROM consents WHERE "
        "consents.victim_id = victims.id AND consents.purpose = 'share_with_organisation' AND "
        "consents.recipient_organisation_id = $1 AND consents.withdrawn_at IS NULL LIMIT 1) "
        "IS NOT NULL AND "
        f"{NOT_ERASED}{after.format('referrals.victim_id')} "
        "ORDER BY referrals.victim_id DESC LIMIT $2"
    )
    return (
        f"SELECT {COLUMNS} FROM victims WHERE victims.id IN (SELECT a.id FROM ({own}) AS a "
        f"UNION SELECT b.id FROM ({shared}) AS b){after.format('victims.id')} "
        "ORDER BY victims.id DESC LIMIT $2"
    )


PAGE = _page("")
PAGE_AFTER = _page(" AND {} < $3")
AUDIT = (
    "INSERT INTO audit_events (id, at, actor_type, actor_id, role, organisation_id, action, "
    "record_type, record_id, victim_id, client_address) SELECT * FROM unnest($1::uuid[], "
    "$2::timestamptz[], $3::varchar[], $4::uuid[], $5::varchar[], $6::uuid[], $7::varchar[], "
    "$8::varchar[], $9::uuid[], $10::uuid[], $11::varchar[])"
)


class Refused(Exception):
    pass


async def caller(request: Request, connection: asyncpg.Connection) -> dict[str, Any]:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        raise Refused
    claims = jwt.decode(token, SECRET, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER)
    user = await connection.fetchrow(USER, uuid.UUID(claims["sub"]))
    if user is None or not user["active"] or user["role"] != claims["role"]:
        raise Refused
    if user["token_version"] != claims["ver"]:
        raise Refused
    return {"id": uuid.UUID(claims["sub"]), "role": user["role"], "org": user["organisation_id"]}


async def audit(
    connection: asyncpg.Connection, who: dict[str, Any], action: str, ids: list[uuid.UUID]
) -> None:
    now, n = datetime.now(UTC), len(ids)
    await connection.execute(
        AUDIT,
        [new_id() for _ in ids],
        [now] * n,
        ["user"] * n,
        [who["id"]] * n,
        [who["role"]] * n,
        [who["org"]] * n,
        [action] * n,
        ["victim"] * n,
        ids,
        ids,
        ["127.0.0.1"] * n,
    )


def _plain(value: Any) -> Any:
    if isinstance(value, uuid.UUID | date | datetime):
        return str(value)
    return value


def _victim(row: asyncpg.Record) -> dict[str, Any]:
    shown = {k: _plain(v) for k, v in row.items()}
    shown["exploitation_types"] = json.loads(row["exploitation_types"])
    return shown


async def get_person(request: Request) -> Response:
    async with request.app.state.pool.acquire() as connection, connection.transaction():
        try:
            who = await caller(request, connection)
        except (Refused, JWTError):
            return Response(status_code=401)
        row = await connection.fetchrow(ONE, who["org"], uuid.UUID(request.path_params["id"]))
        if row is None:
            return Response(status_code=404)
        await audit(connection, who, "read", [row["id"]])
    return Response(json.dumps(_victim(row)), media_type="application/json")


async def list_page(request: Request) -> Response:
    limit = int(request.query_params.get("limit", "50"))
    cursor = request.query_params.get("cursor")
    async with request.app.state.pool.acquire() as connection, connection.transaction():
        try:
            who = await caller(request, connection)
        except (Refused, JWTError):
            return Response(status_code=401)
        if cursor:
            after = uuid.UUID(bytes=base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
            rows = await connection.fetch(PAGE_AFTER, who["org"], limit + 1, after)
        else:
            rows = await connection.fetch(PAGE, who["org"], limit + 1)
        shown = rows[:limit]
        await audit(connection, who, "list", [r["id"] for r in shown])
    next_cursor = None
    if len(rows) > limit:
        next_cursor = base64.urlsafe_b64encode(shown[-1]["id"].bytes).decode().rstrip("=")
    body = {"items": [_victim(r) for r in shown], "next_cursor": next_cursor}
    return Response(json.dumps(body), media_type="application/json")


@asynccontextmanager
async def lifespan(app: Starlette) -> Any:
    # as many connections as the service keeps (APP_DATABASE_POOL_SIZE, 20)
    app.state.pool = await asyncpg.create_pool(
        os.environ["BENCH_DATABASE_URL"], min_size=20, max_size=20
    )
    yield
    await app.state.pool.close()


app = Starlette(
    routes=[
        Route("/api/v1/victims/{id}", get_person),
        Route("/api/v1/victims", list_page),
    ],
    lifespan=lifespan,
)
