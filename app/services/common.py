"""Small helpers every service uses the same way."""

from typing import Any, TypeVar
from uuid import UUID

from pydantic import BaseModel
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

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


M = TypeVar("M", bound=SQLModel)


async def locked(session: AsyncSession, model: type[M], record_id: UUID) -> M:
    """The record as it is now, its row locked until the transaction ends (PostgreSQL; SQLite
    transactions are serial already): concurrent changes take their turn, and the later one
    sees the state the earlier one left."""
    query = (
        select(model)
        .where(col(getattr(model, "id")) == record_id)  # noqa: B009
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(query)).one()
