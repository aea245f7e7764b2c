"""Stays from proposal to discharge, and the Annex 7 monitoring report."""

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from sqlalchemy import Index, Text, text
from sqlmodel import Field, SQLModel

from app.domain.shelter import (
    MaritalStatus,
    MonitoringOutcome,
    Pay,
    StaySource,
    StayStatus,
)
from app.models.base import (
    Money,
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)

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
        # a shelter's residents, and its stays owing a medical examination or a monitoring
        # report (the worklist): by shelter and state
        Index("ix_shelter_stays_shelter_id_status", "shelter_id", "status"),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    shelter_id: UUID = Field(foreign_key="shelters.id")
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
