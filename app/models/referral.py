from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, text
from sqlmodel import Field

from app.domain.casework import ReferralStatus, Service
from app.domain.vocabulary import Funding
from app.models.base import Versioned, enum_type, id_field, timestamp_field, utcnow

_UNANSWERED = text("status = 'requested'")
_WITHOUT_CONTACT = text("status = 'accepted' AND contact_on IS NULL")


class Referral(Versioned, table=True):
    """A person referred by one organisation to another for a service (SOP points 1–2)."""

    __tablename__ = "referrals"
    # the cases referred to an organisation, by person: its shared cases, page by page; and the
    # referrals that escalate to the organisation that made them, each branch one range scan
    # (REFERRAL-ANSWER-14D, REFERRAL-CONTACT-14D)
    __table_args__ = (
        Index("ix_referrals_to_organisation_id_victim_id", "to_organisation_id", "victim_id"),
        Index(
            "ix_referrals_unanswered", "from_organisation_id", "referred_on",
            sqlite_where=_UNANSWERED, postgresql_where=_UNANSWERED,
        ),
        Index(
            "ix_referrals_without_contact", "from_organisation_id", "accepted_on",
            sqlite_where=_WITHOUT_CONTACT, postgresql_where=_WITHOUT_CONTACT,
        ),
    )  # fmt: skip

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    from_organisation_id: UUID = Field(foreign_key="organisations.id", index=True)
    to_organisation_id: UUID = Field(foreign_key="organisations.id")
    service: Service = Field(sa_type=enum_type(Service))
    funding: Funding = Field(sa_type=enum_type(Funding))
    # the INA named as the referral document (SOP-INA); checked on the way in. No foreign key:
    # assessments already point at referrals, and a cycle of keys would tie their lifecycles.
    ina_assessment_id: UUID | None = None
    status: ReferralStatus = Field(
        default=ReferralStatus.REQUESTED, sa_type=enum_type(ReferralStatus), index=True
    )
    referred_on: date
    accepted_on: date | None = None  # the receiver took the person on: REFERRAL-CONTACT-14D
    contact_on: date | None = None  # the initial contact at the service: the 20-day clock
    individual_assessment_due_on: date | None = None  # SOP-INDIVIDUAL-20D, fixed at contact
    completed_on: date | None = None
    reason: str | None = Field(default=None, max_length=1000)  # of a decline or cancellation
    exit_information: str | None = Field(default=None, max_length=2000)  # MAN-EXIT
    created_by: UUID
    rulebook_version: str = Field(max_length=32)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field(sa_column_kwargs={"onupdate": utcnow})
