"""Keyset pagination over time-ordered (UUIDv7) ids: newest first, stable under inserts."""

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from uuid import UUID

from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import SelectOfScalar

from app.domain.errors import InvalidValue

T = TypeVar("T")


@dataclass(frozen=True)
class PageParams:
    limit: int
    cursor: str | None


def encode_cursor(last_id: UUID) -> str:
    return base64.urlsafe_b64encode(last_id.bytes).decode().rstrip("=")


def decode_cursor(cursor: str) -> UUID:
    try:
        return UUID(bytes=base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error) as exc:
        raise InvalidValue(
            "cursor", "The cursor is not one this API returned.", source="query"
        ) from exc


async def fetch_page(
    session: AsyncSession, query: SelectOfScalar[T], id_column: Any, params: PageParams
) -> tuple[Sequence[T], str | None]:
    """One page of ``query`` ordered by ``id_column`` descending, and the cursor of the next."""
    if params.cursor is not None:
        query = query.where(col(id_column) < decode_cursor(params.cursor))
    query = query.order_by(col(id_column).desc()).limit(params.limit + 1)
    rows = list((await session.exec(query)).all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    return rows, encode_cursor(getattr(rows[-1], id_column.key))
