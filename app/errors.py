"""Errors as RFC 9457 problem+json bodies with stable codes (API.md, "Stable error codes").

Services raise ``AppError`` subclasses or the domain's errors; the handlers here are the only
code that turns an exception into an HTTP answer. Nothing internal (SQL, stack traces, class
names, submitted values) reaches the client.
"""

import logging
from collections.abc import Mapping
from decimal import Decimal
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import (
    DataError,
    DBAPIError,
    IntegrityError,
    InterfaceError,
    OperationalError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.domain.errors import DomainError

log = logging.getLogger(__name__)
PROBLEM_MEDIA_TYPE = "application/problem+json"


class FieldError(BaseModel):
    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """An error. ``code`` is stable and machine-readable; ``rule`` names the broken rule."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    code: str
    rule: str | None = None
    errors: list[FieldError] | None = None


class AppError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None, **extra: Any):
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


class Unauthenticated(AppError):
    status, code = 401, "unauthenticated"

    def __init__(self, detail: str = "Authentication is required.", **extra: Any) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"}, **extra)


class InvalidCredentials(Unauthenticated):
    code = "invalid_credentials"


class TokenExpired(Unauthenticated):
    code = "token_expired"


class TokenInvalid(Unauthenticated):
    code = "token_invalid"


class Forbidden(AppError):
    status, code = 403, "forbidden"


class NotFound(AppError):
    status, code = 404, "not_found"


class Conflict(AppError):
    status, code = 409, "duplicate"


class Merged(AppError):
    """DATA-DUPLICATE: the record was merged into another record of the same person, whose id
    the problem gives (``merged_into``); a read (GET, HEAD) also has it in ``Location``."""

    status, code = 301, "merged"

    def __init__(self, old_id: Any, new_id: Any) -> None:
        super().__init__(
            "This record was merged into another record of the same person: use that one.",
            merged_into=str(new_id),
        )
        self.old_id, self.new_id = str(old_id), str(new_id)


class VersionMismatch(AppError):
    status, code = 412, "version_mismatch"


class PayloadTooLarge(AppError):
    status, code = 413, "payload_too_large"


class IdempotencyKeyReused(AppError):
    status, code = 422, "idempotency_key_reused"


class RateLimited(AppError):
    status, code = 429, "rate_limited"

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)})


# --- a spreadsheet an import refuses whole (issue 17): nothing of it is read further


class UnsupportedFileType(AppError):
    """Neither CSV text nor an XLSX workbook (a PDF, an image, an old .xls ...)."""

    status, code = 415, "unsupported_file_type"


class FileTypeMismatch(AppError):
    """The file is not what its name or declared type says (a .xlsx that is no workbook)."""

    status, code = 415, "file_type_mismatch"


class BrokenFile(AppError):
    """A workbook or CSV that cannot be read through (a truncated zip, malformed XML)."""

    status, code = 422, "broken_file"


class DocumentUnavailable(AppError):
    """A document's sealed file is missing from the store or does not open with its key."""

    status, code = 500, "document_unavailable"


class ZipBomb(AppError):
    """A workbook that would expand far beyond its size: refused before it is opened."""

    status, code = 422, "zip_bomb"


class NotUtf8(AppError):
    status, code = 422, "encoding_not_utf8"


class EmptyFile(AppError):
    status, code = 422, "empty_file"


class TooManyRows(AppError):
    status, code = 422, "too_many_rows"


class HeaderMismatch(AppError):
    """The header row is not the template's: ``unknown_columns``, ``repeated_columns`` and
    ``missing_columns`` say how."""

    status, code = 422, "header_mismatch"


RETRY_AFTER_DATABASE_SECONDS = 5


def database_unavailable(exc: BaseException) -> bool:
    """The database could not be reached or did not answer in time: refused or dropped
    connections, timeouts (the driver's, the pool's), the server shutting down. Raw ``OSError``
    and ``TimeoutError`` count: a request talks over the network to nothing else."""
    if isinstance(exc, (OperationalError, InterfaceError, PoolTimeout, OSError, TimeoutError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    cause = exc.__cause__ or (exc.orig if isinstance(exc, DBAPIError) else None)
    return isinstance(cause, BaseException) and cause is not exc and database_unavailable(cause)


def database_unavailable_response() -> JSONResponse:
    return problem_response(
        503,
        "database_unavailable",
        "The database cannot be reached just now; try again shortly.",
        headers={"Retry-After": str(RETRY_AFTER_DATABASE_SECONDS)},
    )


def problem_response(
    status: int,
    code: str,
    detail: str,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    """A problem body; ``extra`` adds members (``rule``, ``errors``, numbers as strings)."""
    body: dict[str, Any] = {
        "type": f"urn:vot:problem:{code}",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
    }
    body.update({k: str(v) if isinstance(v, Decimal) else v for k, v in (extra or {}).items()})
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _from_domain(error: DomainError) -> JSONResponse:
    """Every domain refusal describes itself: its status, code and explaining members."""
    return problem_response(error.status, error.code, error.detail, error.members())


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    # Only where and why: the submitted value ("input") may be a person's data.
    return [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
        for e in exc.errors()
    ]


_HTTP_CODES = {
    401: "unauthenticated",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


def _from_http(exc: StarletteHTTPException) -> JSONResponse:
    if exc.status_code == 400:  # a body the framework could not even decode: malformed input
        errors = [{"loc": ["body"], "msg": str(exc.detail), "type": "body_not_decodable"}]
        return problem_response(
            422, "validation_error", "The body could not be read.", {"errors": errors}
        )
    code = _HTTP_CODES.get(exc.status_code, HTTPStatus(exc.status_code).name.lower())
    detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
    return problem_response(exc.status_code, code, detail, headers=exc.headers)


def to_problem(exc: Exception) -> JSONResponse:
    """The one mapping from an exception to the answer a client sees."""
    if isinstance(exc, AppError):
        return problem_response(exc.status, exc.code, exc.detail, exc.extra, exc.headers)
    if isinstance(exc, DomainError):
        return _from_domain(exc)
    if isinstance(exc, RequestValidationError):
        errors = _validation_errors(exc)
        return problem_response(
            422, "validation_error", "The request is not valid.", {"errors": errors}
        )
    if isinstance(exc, StarletteHTTPException):
        return _from_http(exc)
    if isinstance(exc, DataError):  # a value the database cannot hold, e.g. NUL in a query
        errors = [{"loc": ["request"], "msg": "a value cannot be stored", "type": "data_error"}]
        return problem_response(
            422, "validation_error", "The request is not valid.", {"errors": errors}
        )
    if isinstance(exc, IntegrityError) and _names_a_missing_record(exc):
        errors = [{"loc": ["body"], "msg": "a record it names does not exist", "type": "missing"}]
        return problem_response(
            422, "validation_error", "The request is not valid.", {"errors": errors}
        )
    if isinstance(exc, IntegrityError):
        log.info("integrity conflict: %s", type(exc.orig).__name__)
        return problem_response(409, "duplicate", "The request conflicts with an existing record.")
    if isinstance(exc, StaleDataError):
        detail = "The record was changed by someone else; read it again."
        return problem_response(412, "version_mismatch", detail)
    if database_unavailable(exc):
        log.warning("database unavailable: %s", type(exc).__name__)
        return database_unavailable_response()
    raise exc  # not ours to answer: app.middleware.CatchUnexpected turns it into a 500


def _names_a_missing_record(exc: IntegrityError) -> bool:
    """A foreign key the database refused (PostgreSQL's SQLSTATE 23503, SQLite's message): an id
    in the request that names nothing, not a conflict with an existing record."""
    orig = exc.orig
    return getattr(orig, "sqlstate", None) == "23503" or "FOREIGN KEY constraint" in str(orig)


async def _handle(request: Request, exc: Exception) -> JSONResponse:
    if isinstance(exc, Merged) and request.method in ("GET", "HEAD"):
        # a read is pointed at the same path of the other record; a write never is, so that
        # no client repeats it there unasked (a browser would, as a GET, after a 301)
        exc.headers["Location"] = request.url.path.replace(exc.old_id, exc.new_id)
    return to_problem(exc)


def install_error_handlers(app: FastAPI) -> None:
    for handled in (
        AppError,
        DomainError,
        RequestValidationError,
        StarletteHTTPException,
        DataError,
        IntegrityError,
        StaleDataError,
        OperationalError,
        InterfaceError,
        PoolTimeout,
    ):
        app.add_exception_handler(handled, _handle)
