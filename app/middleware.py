"""ASGI middleware: body size limit, the last-resort 500, headers for confidential data."""

import json
import logging
import re
from collections.abc import Mapping

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.errors import (
    PROBLEM_MEDIA_TYPE,
    database_unavailable,
    database_unavailable_response,
    problem_response,
)
from app.translations import StaffLanguage, refusal, staff_language

log = logging.getLogger(__name__)


def _too_large(max_bytes: int) -> HTTPException:
    return HTTPException(413, f"The request body is larger than {max_bytes} bytes.")


class InputLimits:
    """Bodies over the limit are refused with 413 before any handler uses them, whether they
    announce their length or stream without one. A NUL character in the query string is refused
    with 422: no legitimate filter holds one, and PostgreSQL could not compare it.

    ``larger`` gives a few POST paths (regular expressions of the whole path) a limit of their
    own (a spreadsheet import, a document: the file's limit and the multipart form around it);
    the route checks the file's own size."""

    def __init__(
        self, app: ASGIApp, max_bytes: int, larger: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.larger = [(re.compile(path), limit) for path, limit in (larger or {}).items()]

    def _limit(self, method: str, path: str) -> int:
        if method == "POST":
            path = path.rstrip("/")
            for pattern, limit in self.larger:
                if pattern.fullmatch(path):
                    return limit
        return self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        max_bytes = self._limit(scope["method"], scope["path"])
        if b"%00" in scope["query_string"] or b"\x00" in scope["query_string"]:
            errors = [{"loc": ["query"], "msg": "NUL characters are not allowed", "type": "nul"}]
            detail = "The query string is not valid."
            response = problem_response(422, "validation_error", detail, {"errors": errors})
            await response(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > max_bytes:
            detail = str(_too_large(max_bytes).detail)
            await problem_response(413, "payload_too_large", detail)(scope, receive, send)
            return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > max_bytes:
                    raise _too_large(max_bytes)  # answered by the problem handlers
            return message

        await self.app(scope, counting_receive, send)


class CatchUnexpected:
    """A 500 problem for any unexpected exception, logged by class name only.

    Starlette's own last-resort handler re-raises, and the server then logs the exception's
    message and traceback, which may hold people's data; nothing gets past this one.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as exc:
            if started:
                log.error("%s after the answer began on %s", type(exc).__name__, scope["path"])
                return  # the answer is under way; the client sees the connection end
            if database_unavailable(exc):  # raised where no handler sees it (driver, pool)
                log.warning("database unavailable: %s on %s", type(exc).__name__, scope["path"])
                await database_unavailable_response()(scope, receive, send)
                return
            log.error("unhandled %s on %s %s", type(exc).__name__, scope["method"], scope["path"])
            detail = "Something went wrong on our side."
            await problem_response(500, "internal_error", detail)(scope, receive, send)


# The docs pages may load only what this server serves: the bundled ReDoc would otherwise fetch
# its footer logo from a CDN (MAN-CONFIDENTIAL-LOCATION users work offline, and a third-party
# request tells that CDN who reads the docs).
DOCS_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "frame-ancestors 'none'"
)
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
DOCS_PATHS = ("/docs", "/redoc")


class ConfidentialHeaders:
    """Answers carry people's data: no caching anywhere, no sniffing, no third-party loads."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = DOCS_POLICY if scope["path"].startswith(DOCS_PATHS) else API_POLICY

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Cache-Control", "no-store")
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("Content-Security-Policy", policy)
            await send(message)

        await self.app(scope, receive, send_with_headers)


class LocalisedProblems:
    """A problem's ``detail`` in the language ``Accept-Language`` asks for (English, Russian,
    Kyrgyz where translated): the text of its rule, else of its code, from the catalogues; the
    ``code``, ``rule`` and every other member unchanged. ``Content-Language`` says which language
    the detail is in. Only problem answers are held (they are small); others pass as they come."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def localising_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if headers.get("content-type", "").startswith(PROBLEM_MEDIA_TYPE):
                    held.append(message)
                    return
            elif held:
                held.append(message)
                if message.get("more_body"):
                    return
                message = _localised(held, staff_language(_accept_language(scope)))
                await send(held[0])
            await send(message)

        await self.app(scope, receive, localising_send)


def _accept_language(scope: Scope) -> str:
    value: bytes = dict(scope["headers"]).get(b"accept-language", b"")
    return value.decode("latin-1")


def _localised(held: list[Message], language: StaffLanguage) -> Message:
    """The body of a held problem with its detail translated; the start's headers updated."""
    body = b"".join(part.get("body", b"") for part in held[1:])
    headers = MutableHeaders(scope=held[0])
    headers["Content-Language"] = StaffLanguage.EN
    headers.append("Vary", "Accept-Language")
    try:
        problem = json.loads(body)
        text, found_in = refusal(language, str(problem["code"]), problem.get("rule"))
    except (ValueError, KeyError, TypeError, AttributeError):  # no problem in the body
        return {"type": "http.response.body", "body": body}
    if text:
        problem["detail"] = text
        body = json.dumps(problem, ensure_ascii=False, separators=(",", ":")).encode()
        headers["Content-Length"] = str(len(body))
        headers["Content-Language"] = found_in
    return {"type": "http.response.body", "body": body}
