"""A return home or a family reunification (MAN-RETURN)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, text
from sqlmodel import Field

from app.domain.reintegration import ReturnKind, ReturnStatus, TravelDocuments
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow


class Return(Versioned, table=True):
    """The journey the person decided on: documents, escort, the meeting at arrival."""

    __tablename__ = "returns"
    # the worklists read the open ones, soonest first, whatever the history
    __table_args__ = (
        Index(
            "ix_returns_open",
            "planned_on",
            sqlite_where=text("status IN ('planned', 'travelling')"),
            postgresql_where=text("status IN ('planned', 'travelling')"),
        ),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # arranges it
    kind: ReturnKind = Field(sa_type=enum_type(ReturnKind))
    decided_by_person: bool
    destination: str = Field(max_length=200)
    travel_documents: TravelDocuments = Field(sa_type=enum_type(TravelDocuments))
    escort: bool
    meeting_at_arrival: bool
    planned_on: date
    status: ReturnStatus = Field(default=ReturnStatus.PLANNED, sa_type=enum_type(ReturnStatus))
    departed_on: date | None = None
    arrived_on: date | None = None
    cancelled_on: date | None = None
    cancel_reason: str | None = Field(default=None, max_length=2000)
    created_by: UUID
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
