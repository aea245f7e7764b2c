"""Legal consultations (MAN-LEGAL-ADVICE)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.domain.protection import CourtReadiness, LegalDecision
from app.models.base import JSONType, enum_type, id_field, timestamp_field


class LegalConsultation(SQLModel, table=True):
    """One consultation: a change of the person's mind is a new one, so the history stays."""

    __tablename__ = "legal_consultations"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id")  # the counsellor's
    counsellor_id: UUID = Field(foreign_key="users.id")
    held_on: date
    # MAN-LEGAL-ADVICE: the psychologist's prior approval (who, when)
    approved_by: UUID = Field(foreign_key="users.id")
    approved_on: date
    # legal data (its own class): nullable, so that erasure can remove it
    options_explained: list[str] | None = Field(default=None, sa_type=JSONType)
    decision: LegalDecision | None = Field(default=None, sa_type=enum_type(LegalDecision))
    court_readiness: CourtReadiness | None = Field(default=None, sa_type=enum_type(CourtReadiness))
    notes: str | None = Field(default=None, sa_type=Text)
    created_at: datetime = timestamp_field()
