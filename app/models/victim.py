"""The person assisted."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, text
from sqlmodel import Field

from app.domain.vocabulary import ExploitationType, Sex, VictimStatus
from app.models.base import (
    JSONType,
    Versioned,
    enum_type,
    id_field,
    timestamp_field,
    utcnow,
)

_ERASED = text("status = 'erased'")


class Victim(Versioned, table=True):
    __tablename__ = "victims"
    # an organisation's cases, newest first: a page is read off this index (keyset by id)
    __table_args__ = (
        Index("ix_victims_organisation_id_id", "organisation_id", "id"),
        # the few erased persons, which national counts leave out (MAN-RETENTION-6M)
        Index("ix_victims_erased", "id", sqlite_where=_ERASED, postgresql_where=_ERASED),
    )

    id: UUID = id_field()
    registration_number: str = Field(max_length=20, unique=True)
    # the organisation whose case this is
    organisation_id: UUID = Field(foreign_key="organisations.id")
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    birth_date: date
    sex: Sex = Field(sa_type=enum_type(Sex))
    nationality: str | None = Field(default=None, max_length=2)
    exploitation_types: list[ExploitationType] = Field(default_factory=list, sa_type=JSONType)
    country_of_exploitation: str | None = Field(default=None, max_length=2)
    # where the person comes from: an ISO 3166-2 subdivision (a quasi-identifier, issue 20)
    home_region: str | None = Field(default=None, max_length=6)
    identified_on: date | None = None
    returned_on: date | None = None
    registered_address: str | None = Field(default=None, max_length=500)
    contact_phone: str | None = Field(default=None, max_length=40)
    status: VictimStatus = Field(default=VictimStatus.ACTIVE, sa_type=enum_type(VictimStatus))
    # status merged: the record of the same person that holds everything now
    merged_into_id: UUID | None = Field(default=None, foreign_key="victims.id")
    # the facts SOP-INSURANCE looks at
    departed_on: date | None = None
    health_contributions_unpaid: bool | None = None
    insured_months_since_return: int | None = None
    eligible_for_social_benefits: bool | None = None
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
