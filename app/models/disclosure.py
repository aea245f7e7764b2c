"""Disclosures to law enforcement, a court or another body (MAN-LEGAL-ADVICE)."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.domain.protection import DisclosureRecipient
from app.models.base import enum_type, id_field, timestamp_field


class Disclosure(SQLModel, table=True):
    """MAN-LEGAL-ADVICE: what was given to law enforcement, a court or another body, to whom,
    when, and the consent it rested on."""

    __tablename__ = "disclosures"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    organisation_id: UUID = Field(foreign_key="organisations.id")  # that disclosed it
    recipient: DisclosureRecipient = Field(sa_type=enum_type(DisclosureRecipient))
    recipient_name: str | None = Field(default=None, max_length=200)
    what: str | None = Field(default=None, sa_type=Text)
    disclosed_on: date
    consent_id: UUID = Field(foreign_key="consents.id")
    recorded_by: UUID = Field(foreign_key="users.id")
    created_at: datetime = timestamp_field()
