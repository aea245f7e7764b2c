from typing import Annotated, Literal
from uuid import UUID

from pydantic import ConfigDict, Field

from app.domain.access import Role
from app.schemas.common import RequestModel, ResponseModel


class TokenRequest(RequestModel):
    """OAuth2 token request (form-encoded). Which fields are needed depends on ``grant_type``."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    grant_type: Literal["password", "client_credentials", "refresh_token"]
    username: Annotated[str | None, Field(max_length=200)] = None
    password: Annotated[str | None, Field(max_length=256)] = None
    client_id: Annotated[str | None, Field(max_length=64)] = None
    client_secret: Annotated[str | None, Field(max_length=256)] = None
    refresh_token: Annotated[str | None, Field(max_length=256)] = None
    scope: Annotated[str | None, Field(max_length=200)] = None


class RevokeRequest(RequestModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    token: Annotated[str, Field(max_length=256, description="The refresh token to revoke.")]
    token_type_hint: Annotated[str | None, Field(max_length=40)] = None  # ignored (RFC 7009)


class TokenResponse(ResponseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105
    expires_in: int = Field(description="Seconds until the access token expires (at most 900).")
    refresh_token: str | None = Field(
        None, description="For people only; each one works once (rotation)."
    )


class MeRead(ResponseModel):
    actor_type: Literal["user", "client"]
    id: UUID
    name: str
    role: Role
    organisation_id: UUID | None
    works_on_cases: bool = Field(
        description="False for a staff account whose signed confidentiality agreement is not "
        "recorded yet (MAN-STAFF-CONFIDENTIALITY): every case route answers 403 until it is."
    )
