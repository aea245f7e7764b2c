"""Logging that keeps people's data out: no SQL parameters, no query strings, no tracebacks
with values in them."""

import logging
from typing import Any

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


def configure_logging() -> None:
    for name in PARAMETER_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, RedactQueryString) for f in access.filters):
        access.addFilter(RedactQueryString())
