"""The route class every resource router uses: documented errors and ``Idempotency-Key``."""

from collections.abc import Callable, Coroutine
from datetime import timedelta
from http import HTTPStatus
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel
from starlette.responses import Response

from app.deps import ClockDep, CurrentPrincipal, SessionDep, SettingsDep, get_principal
from app.errors import PROBLEM_MEDIA_TYPE, to_problem
from app.services import idempotency
from app.services.idempotency import PendingKey, Replay, request_fingerprint

PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error answers, all as application/problem+json."""
    return {
        status: {
            "description": HTTPStatus(status).phrase,
            "content": {PROBLEM_MEDIA_TYPE: {"schema": PROBLEM_REF}},
        }
        for status in statuses
    }


async def idempotency_guard(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    principal: CurrentPrincipal,
    idempotency_key: Annotated[
        str | None,
        Header(
            min_length=1,
            max_length=255,
            description="Makes a retry safe: the same key with the same body answers the first "
            "response again without a second write (kept at least 24 hours, per caller).",
        ),
    ] = None,
) -> None:
    if idempotency_key is None:
        return
    body = await request.body()
    pending = PendingKey(
        principal.caller_key,
        idempotency_key,
        request_fingerprint(request.method, request.url.path, body),
    )
    retention = timedelta(hours=settings.idempotency_retention_hours)
    await idempotency.check(session, pending, clock.now() - retention)
    request.state.idempotency = pending


def _depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    return any(d.call is call or _depends_on(d, call) for d in dependant.dependencies)


class AppRoute(APIRoute):
    """Adds to every route: its error answers in the contract; on POST, the idempotency guard,
    and the storing of a successful answer in the request's own transaction."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        methods = set(kwargs.get("methods") or ())
        if "POST" in methods:
            kwargs["dependencies"] = [
                *(kwargs.get("dependencies") or []),
                Depends(idempotency_guard),
            ]
        super().__init__(path, endpoint, **kwargs)
        self.responses = {**problem_responses(*self._error_statuses(methods)), **self.responses}

    def _error_statuses(self, methods: set[str]) -> list[int]:
        statuses = [422]
        if _depends_on(self.dependant, get_principal):
            statuses += [401, 403]
        if "{" in self.path:
            statuses.append(404)
        if "POST" in methods:
            statuses.append(409)
        if methods & {"PATCH", "PUT"}:
            statuses.append(412)
        if self.body_field is not None:
            statuses.append(413)
        return sorted(statuses)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            response = await handler(request)
            pending: PendingKey | None = getattr(request.state, "idempotency", None)
            if pending is not None and 200 <= response.status_code < 300:
                replay = getattr(request.state, "replay_body", None)
                idempotency.remember(request.state.session, pending, response, replay)
            return response

        return handle


def replay_instead(request: Request, body: BaseModel) -> None:
    """Replay ``body`` rather than the answer sent now (which holds a secret shown once)."""
    request.state.replay_body = body.model_dump_json()


async def _replay(request: Request, exc: Exception) -> Response:
    return exc.response if isinstance(exc, Replay) else to_problem(request, exc)


def install_idempotency(app: FastAPI) -> None:
    app.add_exception_handler(Replay, _replay)
