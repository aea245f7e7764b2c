"""Logging that keeps people's data out: no SQL parameters, no query strings, no tracebacks
with values in them. The code logs ids and kinds of things only; as a second guard, a value
passed by name (``log.info("... %(given_name)s", values)``) under a name that holds personal
data anywhere in the schema (app/models/personal_data.py), or a credential's, is replaced when
the record is made, before any handler sees it."""

import logging
from collections.abc import Mapping
from typing import Any

from app.models.personal_data import personal_names

REDACTED = "[redacted]"
CREDENTIALS = frozenset(
    {"password", "secret", "token", "access_token", "refresh_token", "client_secret"}
)

# Loggers that would write SQL parameters (people's data) at DEBUG level; kept at WARNING.
# SQLAlchemy's own echo is safe: engines are built with hide_parameters=True (app/db.py).
PARAMETER_LOGGERS = ("aiosqlite", "asyncpg")


class RedactQueryString(logging.Filter):
    """uvicorn's access log line without the query string (filters may name a person)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args: Any = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[2], str):
            path, _, query = args[2].partition("?")
            record.args = (args[0], args[1], f"{path}?…" if query else path, *args[3:])
        return True


def redacted_names() -> frozenset[str]:
    return personal_names() | CREDENTIALS


def _redacting(make: Any, names: frozenset[str]) -> Any:
    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record: logging.LogRecord = make(*args, **kwargs)
        if isinstance(record.args, Mapping):
            record.args = {k: REDACTED if k in names else v for k, v in record.args.items()}
        return record

    factory.redacts = True  # type: ignore[attr-defined]
    return factory


def configure_logging() -> None:
    make = logging.getLogRecordFactory()
    if not getattr(make, "redacts", False):  # once per process
        logging.setLogRecordFactory(_redacting(make, redacted_names()))
    for name in PARAMETER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQueryString) for f in access.filters):
        access.addFilter(RedactQueryString())
