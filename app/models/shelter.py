"""Shelters, stays from proposal to discharge, visits, and the Annex 7 monitoring report."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from app.domain.rulebook import ShelterKind
from app.domain.shelter import (
    MaritalStatus,
    MonitoringOutcome,
    Pay,
    StaySource,
    StayStatus,
    VisitorKind,
)
from app.models.base import (
    Money,
    UTCDateTime,
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)


class Shelter(Versioned, table=True):
    __tablename__ = "shelters"

    id: UUID = id_field()
    name: str = Field(max_length=200)
    organisation_id: UUID = Field(foreign_key="organisations.id", index=True)  # runs it
    kind: ShelterKind = Field(sa_type=enum_type(ShelterKind))
    capacity: int
    address: str = Field(max_length=500)  # MAN-CONFIDENTIAL-LOCATION
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})


_OPEN = text("status IN ('proposed', 'admitted')")


class ShelterStay(Versioned, table=True):
    __tablename__ = "shelter_stays"
    # MAN-ONE-STAY, held by the database too: one open stay per person, whatever the race
    __table_args__ = (
        Index(
            "uq_shelter_stays_open_victim",
            "victim_id",
            unique=True,
            sqlite_where=_OPEN,
            postgresql_where=_OPEN,
        ),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    shelter_id: UUID = Field(foreign_key="shelters.id", index=True)
    status: StayStatus = Field(default=StayStatus.PROPOSED, sa_type=enum_type(StayStatus))
    source: StaySource = Field(sa_type=enum_type(StaySource))  # MAN 3.0.1: who told the shelter
    rules_signed_on: date | None = None
    rights_signed_on: date | None = None
    exceptional_justification: str | None = Field(default=None, max_length=2000)
    pocket_money_per_day: Decimal = Field(sa_type=Money)
    proposed_on: date
    proposed_by: UUID
    admitted_on: date | None = None
    admitted_by: UUID | None = None
    medical_exam_due_on: date | None = None
    discharged_on: date | None = None
    discharge_reason: str | None = Field(default=None, max_length=2000)
    exit_information: str | None = Field(default=None, max_length=2000)  # MAN-EXIT
    handover_organisation_id: UUID | None = Field(default=None, foreign_key="organisations.id")
    monitoring_due_on: date | None = None
    rulebook_version: str = Field(max_length=32)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})


class MonitoringReport(SQLModel, table=True):
    """MAN Annex 7: reintegration monitoring six months after discharge. The answers are there
    when the person was reached; an unreachable person's report says how contact was tried."""

    __tablename__ = "monitoring_reports"

    id: UUID = id_field()
    stay_id: UUID = Field(foreign_key="shelter_stays.id", unique=True)
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    outcome: MonitoringOutcome = Field(sa_type=enum_type(MonitoringOutcome))
    reported_on: date
    contact_attempts: str | None = Field(default=None, max_length=2000)  # unreachable
    marital_status: MaritalStatus | None = Field(default=None, sa_type=enum_type(MaritalStatus))
    children: int | None = None
    contact_duration: str | None = Field(default=None, max_length=2000)
    last_meeting_on: date | None = None
    problems_after_return: str | None = Field(default=None, sa_type=Text)
    employed: bool | None = None
    pay: Pay | None = Field(default=None, sa_type=enum_type(Pay))
    threats_from_recruiters: bool | None = None
    turned_to: str | None = Field(default=None, max_length=2000)
    law_enforcement_contact: bool | None = None
    willing_to_cooperate: bool | None = None
    plans: str | None = Field(default=None, sa_type=Text)
    author_id: UUID
    created_at: datetime = timestamp_field()


class Visit(SQLModel, table=True):
    """MAN-VISITORS: the shelter's visitor log."""

    __tablename__ = "shelter_visits"

    id: UUID = id_field()
    shelter_id: UUID = Field(foreign_key="shelters.id", index=True)
    visitor_kind: VisitorKind = Field(sa_type=enum_type(VisitorKind))
    visitor_name: str = Field(max_length=200)
    visitor_organisation: str = Field(max_length=200)
    visitor_organisation_id: UUID | None = Field(default=None, foreign_key="organisations.id")
    # the resident visited, where the visit is to one (a family visit)
    victim_id: UUID | None = Field(default=None, foreign_key="victims.id", index=True)
    justification: str | None = Field(default=None, max_length=2000)
    # MAN-VISITORS: an official visit's approval by the coordinator (who, when)
    approved_by: UUID | None = Field(default=None, foreign_key="users.id")
    approved_on: date | None = None
    arrived_at: datetime = Field(sa_type=UTCDateTime)
    left_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    recorded_by: UUID
    created_at: datetime = timestamp_field()
