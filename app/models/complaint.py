"""Residents' complaints and requests for a private meeting (MAN-COMPLAINT)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, Text, text
from sqlmodel import Field

from app.domain.protection import ComplaintKind, ComplaintStatus
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow


class Complaint(Versioned, table=True):
    """MAN 1.2.2, Annex 3: for the shelter manager of ``organisation_id`` and the coordinator,
    never for the member of staff it names; a meeting is due by ``meeting_due_on``."""

    __tablename__ = "complaints"
    # the worklists read the open ones, soonest meeting first, whatever the history
    __table_args__ = (
        Index(
            "ix_complaints_open",
            "meeting_due_on",
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # handles it
    kind: ComplaintKind = Field(sa_type=enum_type(ComplaintKind))
    about_user_id: UUID | None = Field(default=None, foreign_key="users.id")
    summary: str | None = Field(default=None, sa_type=Text)
    received_on: date
    meeting_due_on: date
    status: ComplaintStatus = Field(
        default=ComplaintStatus.OPEN, sa_type=enum_type(ComplaintStatus)
    )
    meeting_held_on: date | None = None
    meeting_notes: str | None = Field(default=None, sa_type=Text)
    resolved_on: date | None = None
    resolution: str | None = Field(default=None, sa_type=Text)
    recorded_by: UUID = Field(foreign_key="users.id")
    rulebook_version: str = Field(max_length=32)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
