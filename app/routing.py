"""The route class every resource router uses: documented errors, and ``Idempotency-Key``
answers stored in the request's own transaction."""

from collections.abc import Callable, Coroutine
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from starlette.responses import Response

from app.deps import get_principal, idempotency_guard
from app.domain.access import Action, Role, can
from app.errors import PROBLEM_MEDIA_TYPE, to_problem
from app.services import idempotency
from app.services.idempotency import PendingKey, Replay

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


def _depends_on(dependant: Dependant, call: Callable[..., Any]) -> bool:
    return any(d.call is call or _depends_on(d, call) for d in dependant.dependencies)


def _permission(dependant: Dependant) -> Action | None:
    """The action a route's ``require(...)`` dependency lets through."""
    for dependency in dependant.dependencies:
        action = getattr(dependency.call, "permission", None) or _permission(dependency)
        if action is not None:
            return Action(action)
    return None


class AppRoute(APIRoute):
    """Adds to every route its error answers in the contract. A POST must declare the
    ``Idempotency`` dependency (last, so that the role and the record are checked first); its
    successful answer is stored in the request's own transaction."""

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        self.methods: set[str] = self.methods or set()
        if "POST" in self.methods and not _depends_on(self.dependant, idempotency_guard):
            raise TypeError(f"POST {path} must declare the Idempotency dependency")
        self.responses = {**problem_responses(*self._error_statuses()), **self.responses}
        action = _permission(self.dependant)
        if action is not None:  # who may call it, as the permission table says
            roles = sorted(role.value for role in Role if can(role, action))
            permission = {"x-permission": action.value, "x-roles": roles}
            self.openapi_extra = permission | (self.openapi_extra or {})

    def _error_statuses(self) -> list[int]:
        statuses = [422]
        if _depends_on(self.dependant, get_principal):
            statuses += [401, 403]
        if "{" in self.path:
            statuses.append(404)
        if "POST" in self.methods:
            statuses.append(409)
        if self.methods & {"PATCH", "PUT"}:
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
                await _remember(request, pending, response)
            return response

        return handle


async def _remember(request: Request, pending: PendingKey, response: Response) -> None:
    """Store the answer; if a concurrent request with the same key won the race, undo this
    request's work and answer what the winner answered."""
    session = request.state.session
    replay_body: str | None = getattr(request.state, "replay_body", None)
    try:
        await idempotency.remember(session, pending, response, replay_body)
    except IntegrityError as exc:
        if "idempotency_records" not in str(exc.orig):
            raise
        await session.rollback()
        await idempotency.check(session, pending)  # raises Replay with the winner's answer
        raise


def replay_instead(request: Request, body: BaseModel) -> None:
    """Replay ``body`` rather than the answer sent now (which holds a secret shown once)."""
    request.state.replay_body = body.model_dump_json()


async def _replay(request: Request, exc: Exception) -> Response:
    if not isinstance(exc, Replay):
        return to_problem(exc)
    async with request.app.state.sessionmaker() as session, session.begin():
        await idempotency.audit_replay(session, exc)
    return exc.response


def install_idempotency(app: FastAPI) -> None:
    app.add_exception_handler(Replay, _replay)


class BodyFirst(AppRoute):
    """A route of a multipart upload reads its whole body before the form is parsed from it: the
    ``Idempotency-Key`` check fingerprints the body (``request.body()``), which a parsed form
    would have consumed."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def handle(request: Request) -> Response:
            await request.body()  # kept on the request: the form is parsed from it
            return await handler(request)

        return handle
