"""What authentication remembers: refresh-token families and recent failed logins."""

from datetime import datetime
from uuid import UUID

from sqlmodel import Field, SQLModel

from app.models.base import UTCDateTime, id_field, timestamp_field


class RefreshToken(SQLModel, table=True):
    """One refresh token of a rotation family; only its SHA-256 is stored."""

    __tablename__ = "refresh_tokens"

    id: UUID = id_field()
    family_id: UUID = Field(index=True)
    user_id: UUID = Field(foreign_key="users.id", index=True)
    # the account's token_version when it was issued: rotation refuses it once that moved on
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = timestamp_field()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginFailure(SQLModel, table=True):
    """A failed login, counted per client address, per (username, address) and per username
    (a ceiling across addresses) for throttling."""

    __tablename__ = "login_failures"

    id: UUID = id_field()
    username: str = Field(max_length=200, index=True)
    address: str = Field(max_length=64, index=True)
    at: datetime = timestamp_field(index=True)
