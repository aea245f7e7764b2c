"""Machine clients (partner NGO systems, SCME): the secret is shown once."""

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, Field, StringConstraints

from app.domain.access import MACHINE_ROLES, Role
from app.schemas.common import RequestModel, ResponseModel


def _machine_role(role: Role) -> Role:
    if role not in MACHINE_ROLES:
        raise ValueError("a client has the role partner_system or scme_system")
    return role


MachineRole = Annotated[Role, AfterValidator(_machine_role)]


class ClientCreate(RequestModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    role: MachineRole
    organisation_id: UUID


class ClientRead(ResponseModel):
    id: UUID = Field(description="The `client_id` for the client_credentials grant.")
    name: str
    role: Role
    organisation_id: UUID
    active: bool
    version: int
    created_at: datetime
    deactivated_at: datetime | None


class ClientCreated(ClientRead):
    client_secret: str = Field(description="Shown once, now; only its hash is kept.")
