"""Staff accounts: the people who call the API."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import false
from sqlmodel import Field

from app.domain.access import Role
from app.models.base import UTCDateTime, Versioned, enum_type, id_field, timestamp_field, utcnow


class User(Versioned, table=True):
    __tablename__ = "users"

    id: UUID = id_field()
    username: str = Field(max_length=64, unique=True)
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=enum_type(Role))
    organisation_id: UUID | None = Field(default=None, foreign_key="organisations.id", index=True)
    active: bool = True
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
    deactivated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # counts the changes that end the account's sessions (a password set, deactivation, a new
    # role or organisation): a token carries the count it was issued under and is refused
    # once the count has moved on, to the instant (services/auth.py::end_sessions)
    token_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # MAN-STAFF-CONFIDENTIALITY: the signed Staff Confidentiality Agreement (Annex 4), recorded
    # by the admin or the shelter manager; a staff account works on no case before it
    confidentiality_signed_on: date | None = None
    confidentiality_recorded_by: UUID | None = None
    # the daily digest (issue 19): asked for by the member, to the address they give; the day
    # the last one was queued, so that a day's run queues each member's once
    reminder_email: str | None = Field(default=None, max_length=254)
    daily_digest: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    digest_queued_on: date | None = None
