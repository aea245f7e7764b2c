"""Machine clients: admin-only management, a secret shown once, deactivation."""

from collections.abc import Sequence
from datetime import datetime
from uuid import UUID

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from app.domain.states import check_not_done
from app.errors import NotFound
from app.models import Client
from app.schemas.clients import ClientCreate
from app.security import Principal, hash_secret, new_opaque_token
from app.services import audit
from app.services.audit import AuditAction
from app.services.organisations import check_member
from app.services.pagination import PageParams, fetch_page


async def create_client(
    session: AsyncSession, principal: Principal, data: ClientCreate
) -> tuple[Client, str]:
    await check_member(session, data.role, data.organisation_id)
    secret = new_opaque_token()
    client = Client(
        name=data.name,
        role=data.role,
        organisation_id=data.organisation_id,
        secret_hash=await hash_secret(secret),
    )
    session.add(client)
    await session.flush()
    audit.record(session, principal, AuditAction.CREATE, "client", client.id)
    return client, secret


async def get_client(session: AsyncSession, client_id: UUID) -> Client:
    client = await session.get(Client, client_id)
    if client is None:
        raise NotFound("No such client.")
    return client


async def list_clients(
    session: AsyncSession, page: PageParams, organisation_id: UUID | None
) -> tuple[Sequence[Client], str | None]:
    query = select(Client)
    if organisation_id is not None:
        query = query.where(Client.organisation_id == organisation_id)
    return await fetch_page(session, query, Client.id, page)


async def deactivate_client(
    session: AsyncSession, principal: Principal, client: Client, now: datetime
) -> Client:
    check_not_done("client", not client.active, "inactive", "deactivate")
    client.active, client.deactivated_at = False, now
    session.add(client)
    await session.flush()
    audit.record(session, principal, AuditAction.DEACTIVATE, "client", client.id)
    return client
