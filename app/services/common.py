"""Small helpers every service uses the same way."""

from typing import Any

from pydantic import BaseModel
from sqlmodel import SQLModel

from app.errors import VersionMismatch


def ensure_version(record: Any, expected: int | None) -> None:
    """``If-Match``: the caller's copy must be the current one (API.md, 412)."""
    if expected is not None and expected != record.version:
        raise VersionMismatch(
            f"The record is at version {record.version}, not {expected}; read it again.",
            current_version=record.version,
        )


def apply_changes(record: SQLModel, changes: BaseModel) -> dict[str, Any]:
    """Copy the fields the client sent (and only those) onto the record; return them."""
    sent = changes.model_dump(exclude_unset=True)
    for name, value in sent.items():
        setattr(record, name, value)
    return sent
