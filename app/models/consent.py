"""The consents the person gave (CONSENT-DISCLOSURE)."""

from datetime import date, datetime
from uuid import UUID

from sqlmodel import Field

from app.domain.consent import ConsentPurpose
from app.models.base import (
    UTCDateTime,
    Versioned,
    enum_type,
    id_field,
)


class Consent(Versioned, table=True):
    __tablename__ = "consents"

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    purpose: ConsentPurpose = Field(sa_type=enum_type(ConsentPurpose))
    recipient_organisation_id: UUID | None = Field(
        default=None, foreign_key="organisations.id", index=True
    )
    given_on: date  # the date on the signed form (may lie before it was recorded)
    given_at: datetime = Field(sa_type=UTCDateTime)  # when it was recorded
    recorded_by: UUID
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by: UUID | None = None
