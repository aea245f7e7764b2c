from collections.abc import Sequence
from uuid import UUID

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.access import Role, check_membership
from app.domain.errors import InvalidValue
from app.domain.vocabulary import OrganisationKind
from app.errors import Conflict, NotFound
from app.models import Organisation
from app.schemas.organisations import OrganisationCreate, OrganisationUpdate
from app.services.common import ensure_version
from app.services.pagination import PageParams, fetch_page


async def get(session: AsyncSession, organisation_id: UUID) -> Organisation:
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("No such organisation.")
    return organisation


async def get_referenced(
    session: AsyncSession, organisation_id: UUID, field: str = "organisation_id"
) -> Organisation:
    """An organisation named in a request body: unknown is a validation error, not a 404."""
    organisation = await session.get(Organisation, organisation_id)
    if organisation is None:
        raise InvalidValue(field, "No organisation has this id.")
    return organisation


async def list_page(
    session: AsyncSession, page: PageParams, kind: OrganisationKind | None
) -> tuple[Sequence[Organisation], str | None]:
    query = select(Organisation)
    if kind is not None:
        query = query.where(Organisation.kind == kind)
    return await fetch_page(session, query, Organisation.id, page)


async def create(session: AsyncSession, data: OrganisationCreate) -> Organisation:
    await _ensure_name_free(session, data.name, None)
    organisation = Organisation.model_validate(
        data.model_dump(mode="json") | {"name_key": name_key(data.name)}
    )
    session.add(organisation)
    await session.flush()
    return organisation


async def update(
    session: AsyncSession,
    organisation: Organisation,
    changes: OrganisationUpdate,
    expected_version: int | None,
) -> Organisation:
    ensure_version(organisation, expected_version)
    sent = changes.model_dump(mode="json", exclude_unset=True)
    if "name" in sent:
        if sent["name"] is None:
            raise InvalidValue("name", "An organisation keeps a name.")
        await _ensure_name_free(session, sent["name"], organisation.id)
        organisation.name_key = name_key(sent["name"])
    if sent.get("licences", []) is None:
        sent["licences"] = []
    for field, value in sent.items():
        setattr(organisation, field, value)
    session.add(organisation)
    await session.flush()
    return organisation


def name_key(name: str) -> str:
    """Names compare without case and spacing differences (casefold works in every script)."""
    return " ".join(name.casefold().split())


async def _ensure_name_free(session: AsyncSession, name: str, own_id: UUID | None) -> None:
    taken = select(Organisation.id).where(Organisation.name_key == name_key(name))
    if own_id is not None:
        taken = taken.where(Organisation.id != own_id)
    if (await session.exec(taken)).first() is not None:
        raise Conflict("An organisation with this name exists.")


async def check_member(session: AsyncSession, role: Role, organisation_id: UUID | None) -> None:
    """An account's role fits its organisation (domain.access.check_membership)."""
    organisation = await get_referenced(session, organisation_id) if organisation_id else None
    check_membership(role, organisation.kind if organisation else None)
