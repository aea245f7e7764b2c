from collections.abc import Sequence
from uuid import UUID

from sqlmodel import func, select
from sqlmodel.ext.asyncio.session import AsyncSession

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
    await _ensure_name_free(session, data.name)
    organisation = Organisation.model_validate(data.model_dump(mode="json"))
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
    if "name" in sent and sent["name"] is None:
        raise InvalidValue("name", "An organisation keeps a name.")
    if sent.get("name") not in (None, organisation.name):
        await _ensure_name_free(session, sent["name"])
    for name, value in sent.items():
        setattr(organisation, name, value if value is not None or name != "licences" else [])
    session.add(organisation)
    await session.flush()
    return organisation


async def _ensure_name_free(session: AsyncSession, name: str) -> None:
    taken = (
        select(func.count())
        .select_from(Organisation)
        .where(func.lower(Organisation.name) == name.lower())
    )
    if (await session.exec(taken)).one():
        raise Conflict("An organisation with this name exists.")
