"""Liveness and readiness for orchestrators; outside /api/v1, no authentication."""

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel

from app.errors import problem_response
from app.routing import problem_responses
from app.services import readiness

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
    if not await readiness.database_answers(request.app.state.engine):
        return problem_response(503, "not_ready", "The database does not answer.")
    return Health(status="ok")
