"""Liveness and readiness for orchestrators; outside /api/v1, no authentication."""

import logging

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.errors import problem_response
from app.routing import problem_responses

log = logging.getLogger(__name__)
router = APIRouter(prefix="/health", tags=["health"])


class Health(BaseModel):
    status: str


@router.get("/live", summary="The process answers")
async def health_live() -> Health:
    return Health(status="ok")


@router.get(
    "/ready",
    summary="The database answers",
    response_model=Health,
    responses=problem_responses(503),
)
async def health_ready(request: Request) -> Health | Response:
    try:
        async with request.app.state.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (OSError, SQLAlchemyError) as exc:
        log.warning("readiness check failed: %s", type(exc).__name__)
        return problem_response(503, "not_ready", "The database does not answer.")
    return Health(status="ok")
