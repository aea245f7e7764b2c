"""Staff accounts (people): their usernames, roles and organisations."""

from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints, model_validator

from app.domain.access import MACHINE_ROLES, Role
from app.schemas.common import RequestModel, ResponseModel


def _person_role(role: Role) -> Role:
    if role in MACHINE_ROLES:
        raise ValueError("machine roles belong to clients (/clients), not to users")
    return role


Username = Annotated[
    str,
    BeforeValidator(lambda value: value.strip().lower() if isinstance(value, str) else value),
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]{2,63}$"),
    Field(examples=["a.social.worker"]),
]


Password = Annotated[str, StringConstraints(min_length=12, max_length=256, strip_whitespace=False)]


PersonRole = Annotated[Role, AfterValidator(_person_role)]


class UserCreate(RequestModel):
    username: Username
    password: Password = Field(description="At least 12 characters. Never returned.")
    role: PersonRole
    organisation_id: UUID | None = Field(None, description="None only for `admin` (and `auditor`).")
    confidentiality_signed_on: date | None = Field(
        None,
        description="MAN-STAFF-CONFIDENTIALITY: the day a staff member signed the Staff "
        "Confidentiality Agreement (Annex 4), if it is signed already; else recorded later "
        "with `POST /users/{id}/confidentiality-agreement`.",
    )


class ConfidentialityAgreement(RequestModel):
    """MAN-STAFF-CONFIDENTIALITY: the Staff Confidentiality Agreement (Annex 4), signed."""

    signed_on: date


class UserUpdate(RequestModel):
    """Only the fields sent change; ``organisation_id: null`` detaches (for an admin)."""

    password: Password | None = None
    role: PersonRole | None = None
    organisation_id: UUID | None = None

    @model_validator(mode="after")
    def _no_null_password_or_role(self) -> "UserUpdate":
        for field in ("password", "role"):
            if field in self.model_fields_set and getattr(self, field) is None:
                raise ValueError(f"{field} cannot be null")
        return self


class UserRead(ResponseModel):
    id: UUID
    username: str
    role: Role
    organisation_id: UUID | None
    active: bool
    confidentiality_signed_on: date | None = Field(
        description="MAN-STAFF-CONFIDENTIALITY: until it is recorded, a staff account works "
        "on no case."
    )
    version: int
    created_at: datetime
    deactivated_at: datetime | None
