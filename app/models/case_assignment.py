"""Who holds a person's case for an organisation (CASELOAD-TRANSFER): the worker whose caseload
it is, until it is moved to a colleague."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import timestamp_field, utcnow


class CaseAssignment(SQLModel, table=True):
    """One holder per organisation and person: the person is part of the key, so a merge keeps
    the kept record's holder where both records had one (services/possible_duplicates.py)."""

    __tablename__ = "case_assignments"
    __table_args__ = (Index("ix_case_assignments_user_id", "user_id", "victim_id"),)

    organisation_id: UUID = Field(foreign_key="organisations.id", primary_key=True)
    victim_id: UUID = Field(foreign_key="victims.id", primary_key=True, index=True)
    user_id: UUID = Field(foreign_key="users.id")
    assigned_on: date
    assigned_by: UUID
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
