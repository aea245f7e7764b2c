"""Incidents at a shelter (MAN-INCIDENT, MAN 4.0.5)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from app.domain.protection import IncidentKind
from app.models.base import UTCDateTime, enum_type, id_field, timestamp_field


class Incident(SQLModel, table=True):
    """An attack, a threat, a state body's inquiry or an irregular situation at a shelter: on
    the worklists of its manager and the coordinator until one of them acknowledges it."""

    __tablename__ = "incidents"
    # the worklists read the unacknowledged ones, soonest first, whatever the history
    __table_args__ = (
        Index(
            "ix_incidents_unacknowledged",
            "reported_on",
            sqlite_where=text("acknowledged_at IS NULL"),
            postgresql_where=text("acknowledged_at IS NULL"),
        ),
    )

    id: UUID = id_field()
    shelter_id: UUID = Field(foreign_key="shelters.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # runs the shelter
    kind: IncidentKind = Field(sa_type=enum_type(IncidentKind))
    occurred_at: datetime = Field(sa_type=UTCDateTime)
    police_called: bool  # 102
    summary: str | None = Field(default=None, sa_type=Text)
    recorded_by: UUID = Field(foreign_key="users.id")
    reported_on: date  # the business day it was recorded: due at once on the worklists
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by: UUID | None = None
    created_at: datetime = timestamp_field()


class IncidentResident(SQLModel, table=True):
    """A resident the incident concerns, named by id only."""

    __tablename__ = "incident_residents"

    incident_id: UUID = Field(foreign_key="incidents.id", primary_key=True)
    victim_id: UUID = Field(foreign_key="victims.id", primary_key=True, index=True)
