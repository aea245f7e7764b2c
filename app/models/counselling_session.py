"""Counselling sessions (MAN-SESSIONS): individual, group and family work with the method used."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.domain.access import Role
from app.domain.casework import SessionKind, SessionMethod
from app.models.base import Versioned, enum_type, id_field, timestamp_field


class CounsellingSession(Versioned, table=True):
    __tablename__ = "counselling_sessions"

    id: UUID = id_field()
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # held it
    kind: SessionKind = Field(sa_type=enum_type(SessionKind))
    method: SessionMethod = Field(sa_type=enum_type(SessionMethod))
    held_on: date
    duration_minutes: int
    care_plan_id: UUID | None = Field(default=None, foreign_key="care_plans.id", index=True)
    notes: str | None = Field(default=None, sa_type=Text)  # psychological data
    author_id: UUID
    author_role: Role = Field(sa_type=enum_type(Role))
    created_at: datetime = timestamp_field()


class SessionParticipant(SQLModel, table=True):
    """One person who took part in a session (one for individual and family sessions)."""

    __tablename__ = "session_participants"

    session_id: UUID = Field(foreign_key="counselling_sessions.id", primary_key=True)
    victim_id: UUID = Field(foreign_key="victims.id", primary_key=True, index=True)
