"""Shelters: created by the coordinator, within the manual's capacity; their occupancy."""

from collections.abc import Sequence
from uuid import UUID

from sqlmodel import col, func, select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.rulebook import Rulebook, ShelterKind
from app.domain.shelter import StayStatus, check_capacity_change, check_capacity_setting
from app.errors import NotFound
from app.models import Shelter, ShelterStay
from app.schemas.shelters import Occupancy, ShelterCreate, ShelterUpdate
from app.security import Principal
from app.services import audit
from app.services.audit import AuditAction
from app.services.common import ensure_version, locked
from app.services.organisations import get_referenced
from app.services.pagination import PageParams, fetch_page


async def get(session: AsyncSession, shelter_id: UUID) -> Shelter:
    shelter = await session.get(Shelter, shelter_id)
    if shelter is None:
        raise NotFound("No such shelter.")
    return shelter


async def list_page(
    session: AsyncSession, page: PageParams, kind: ShelterKind | None
) -> tuple[Sequence[Shelter], str | None]:
    query = select(Shelter)
    if kind is not None:
        query = query.where(Shelter.kind == kind)
    return await fetch_page(session, query, Shelter.id, page)


async def create(
    session: AsyncSession, principal: Principal, data: ShelterCreate, rulebook: Rulebook
) -> Shelter:
    await get_referenced(session, data.organisation_id)
    check_capacity_setting(data.kind, data.capacity, rulebook)
    shelter = Shelter(**data.model_dump())
    session.add(shelter)
    await session.flush()
    audit.record(session, principal, AuditAction.CREATE, "shelter", shelter.id)
    return shelter


async def update(
    session: AsyncSession,
    principal: Principal,
    shelter: Shelter,
    changes: ShelterUpdate,
    expected_version: int | None,
    rulebook: Rulebook,
) -> Shelter:
    ensure_version(shelter, expected_version)
    shelter = await lock(session, shelter.id)  # admissions count places under the same lock
    if changes.capacity is not None:
        check_capacity_setting(shelter.kind, changes.capacity, rulebook)
        check_capacity_change(changes.capacity, (await occupancy(session, shelter)).admitted)
    for field, value in changes.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(shelter, field, value)
    session.add(shelter)
    await session.flush()
    audit.record(session, principal, AuditAction.UPDATE, "shelter", shelter.id)
    return shelter


async def occupancy(session: AsyncSession, shelter: Shelter) -> Occupancy:
    counts = dict(
        (
            await session.exec(
                select(ShelterStay.status, func.count())
                .where(col(ShelterStay.shelter_id) == shelter.id)
                .where(col(ShelterStay.status).in_([StayStatus.ADMITTED, StayStatus.PROPOSED]))
                .group_by(col(ShelterStay.status))
            )
        ).all()
    )
    admitted = counts.get(StayStatus.ADMITTED, 0)
    return Occupancy(
        shelter_id=shelter.id,
        capacity=shelter.capacity,
        admitted=admitted,
        proposed=counts.get(StayStatus.PROPOSED, 0),
        free=max(0, shelter.capacity - admitted),
    )


async def lock(session: AsyncSession, shelter_id: UUID) -> Shelter:
    """The shelter's row, locked until the transaction ends (PostgreSQL; SQLite transactions
    are serial already): capacity changes and admissions take their turn (MAN-CAPACITY)."""
    return await locked(session, Shelter, shelter_id)
