"""Where the gap to the bare baseline goes: get-a-person on the layers between bare and ours.

- ``/fastapi-asyncpg/victims/{id}``: FastAPI around the bare app's own code (bench/bare.py);
- ``/fastapi-core/victims/{id}``: FastAPI with an SQLAlchemy engine and Core statements, the
  same SQL, one transaction, no ORM objects, no dependencies.

Loaded in the same run as the service and the bare app, for the same person: what FastAPI
costs, what SQLAlchemy costs, and what is left for our own code (ORM objects, dependencies,
presenters). ``BENCH_DATABASE_URL=postgresql://… uvicorn bench.stacks:app``
"""

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg
from fastapi import FastAPI, HTTPException, Request
from jose import JWTError, jwt
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench import bare

URL = os.environ.get("BENCH_DATABASE_URL", "")
engine = create_async_engine(URL.replace("postgresql://", "postgresql+asyncpg://", 1), pool_size=20)
ONE = text(bare.ONE.replace("$1", ":org").replace("$2", ":id"))
USER = text(bare.USER.replace("$1", ":id"))
AUDIT = text(
    "INSERT INTO audit_events (id, at, actor_type, actor_id, role, organisation_id, action, "
    "record_type, record_id, victim_id, client_address) VALUES (:id, now(), 'user', :actor, "
    ":role, :org, 'read', 'victim', :victim, :victim, '127.0.0.1')"
)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    app.state.pool = await asyncpg.create_pool(URL, min_size=20, max_size=20)
    yield
    await app.state.pool.close()
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


def _subject(request: Request) -> uuid.UUID:
    _, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        claims = jwt.decode(
            token, bare.SECRET, algorithms=["HS256"], audience=bare.AUDIENCE, issuer=bare.ISSUER
        )
    except JWTError:
        raise HTTPException(401) from None
    return uuid.UUID(claims["sub"])


@app.get("/fastapi-asyncpg/victims/{victim_id}")
async def with_asyncpg(victim_id: uuid.UUID, request: Request) -> dict[str, Any]:
    async with request.app.state.pool.acquire() as connection, connection.transaction():
        try:
            who = await bare.caller(request, connection)
        except (bare.Refused, JWTError):
            raise HTTPException(401) from None
        row = await connection.fetchrow(bare.ONE, who["org"], victim_id)
        if row is None:
            raise HTTPException(404)
        await bare.audit(connection, who, "read", [row["id"]])
    return bare._victim(row)


@app.get("/fastapi-core/victims/{victim_id}")
async def with_core(victim_id: uuid.UUID, request: Request) -> dict[str, Any]:
    subject = _subject(request)
    async with engine.begin() as connection:
        user = (await connection.execute(USER, {"id": subject})).first()
        if user is None or not user.active:
            raise HTTPException(401)
        found = await connection.execute(ONE, {"org": user.organisation_id, "id": victim_id})
        row = found.mappings().first()
        if row is None:
            raise HTTPException(404)
        values = {"id": uuid.uuid4(), "actor": subject, "role": user.role}
        await connection.execute(
            AUDIT, {**values, "org": user.organisation_id, "victim": victim_id}
        )
    return {key: bare._plain(value) for key, value in row.items()}
