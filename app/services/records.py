"""Reading the records that hang off a person (assessments, plans, agreements, follow-ups):
visible exactly when their person is, and every read audited. One way for all of them."""

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ColumnElement
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.errors import NotFound
from app.security import Principal
from app.services import audit
from app.services.audit import AuditAction
from app.services.pagination import PageParams, fetch_page
from app.services.scope import victim_is_visible

M = TypeVar("M", bound=SQLModel)


def _column(model: type[SQLModel], name: str) -> Any:
    return col(getattr(model, name))


async def get_visible(
    session: AsyncSession, principal: Principal, model: type[M], record_id: UUID
) -> M:
    query = select(model).where(
        _column(model, "id") == record_id,
        victim_is_visible(principal, _column(model, "victim_id")),
    )
    record = (await session.exec(query)).first()
    if record is None:
        raise NotFound("No such record.")
    return record


async def page_visible(
    session: AsyncSession,
    principal: Principal,
    model: type[M],
    page: PageParams,
    *filters: ColumnElement[bool],
) -> tuple[Sequence[M], str | None]:
    query = select(model).where(victim_is_visible(principal, _column(model, "victim_id")), *filters)
    found, cursor = await fetch_page(session, query, getattr(model, "id"), page)  # noqa: B009
    reads = [(getattr(r, "id"), getattr(r, "victim_id")) for r in found]  # noqa: B009
    audit.record_reads(session, principal, record_type(model), reads)
    return found, cursor


async def save_step(
    session: AsyncSession,
    principal: Principal,
    record: M,
    status: StrEnum,
    action: AuditAction = AuditAction.UPDATE,
) -> M:
    """A record moved to ``status`` by a step of its state table: written, then audited."""
    setattr(record, "status", status)  # noqa: B010 - every stepped record has a status
    session.add(record)
    await session.flush()
    audit_change(session, principal, record, action)
    return record


def audit_read(session: AsyncSession, principal: Principal, record: SQLModel) -> None:
    audit.record(
        session,
        principal,
        AuditAction.READ,
        record_type(type(record)),
        getattr(record, "id"),  # noqa: B009
        victim_id=getattr(record, "victim_id"),  # noqa: B009
    )


def audit_change(
    session: AsyncSession, principal: Principal, record: SQLModel, action: AuditAction
) -> None:
    audit.record(
        session,
        principal,
        action,
        record_type(type(record)),
        getattr(record, "id"),  # noqa: B009
        victim_id=getattr(record, "victim_id"),  # noqa: B009
    )


async def persons_named(
    session: AsyncSession,
    principal: Principal,
    link: tuple[Any, Any],
    record_ids: Sequence[UUID],
) -> dict[UUID, tuple[list[UUID], int]]:
    """For records that name several persons (a group session, an incident), through their
    ``link`` table's (record, person) columns: per record, the persons the caller sees, and how
    many more it names, in one query."""
    record_column, victim_column = link
    seen = victim_is_visible(principal, victim_column).label("seen")
    query = select(record_column, victim_column, seen).where(col(record_column).in_(record_ids))
    shown: dict[UUID, list[UUID]] = {r: [] for r in record_ids}
    others: dict[UUID, int] = dict.fromkeys(record_ids, 0)
    for record_id, victim_id, visible in await session.exec(query):
        if visible:
            shown[record_id].append(victim_id)
        else:
            others[record_id] += 1
    return {r: (sorted(shown[r]), others[r]) for r in record_ids}


def record_type(model: type[SQLModel]) -> str:
    """The audit trail's name for a kind of record: its table's name in the singular."""
    return str(getattr(model, "__tablename__")).removesuffix("s")  # noqa: B009
