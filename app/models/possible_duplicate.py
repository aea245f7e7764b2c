"""Finding the same person twice without sharing who (issue 17): each person's matching keys
(keyed hashes of name skeletons and the birth date, never a name or date in the clear) and the
pairs the matcher found, until the coordinator merges them or says they are not the same."""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from app.domain.matching import KeyKind
from app.models.base import JSONType, UTCDateTime, enum_type, id_field


class PersonMatchKey(SQLModel, table=True):
    """One key of a person: a registration is looked up by key, then scored by kind."""

    __tablename__ = "person_match_keys"
    __table_args__ = (Index("ix_person_match_keys_key", "key"),)

    victim_id: UUID = Field(foreign_key="victims.id", primary_key=True)
    kind: KeyKind = Field(sa_type=enum_type(KeyKind), primary_key=True)
    key: str = Field(max_length=32, primary_key=True)


_OPEN = text("resolution IS NULL")


class PossibleDuplicate(SQLModel, table=True):
    """A pair the matcher found: ``victim_id`` the record being registered, ``candidate_id``
    the one it resembles. Open until ``resolution`` (merged, or not the same person)."""

    __tablename__ = "possible_duplicates"
    __table_args__ = (
        UniqueConstraint("victim_id", "candidate_id"),
        # the coordinator's worklist reads the open pairs by the day they were found
        Index(
            "ix_possible_duplicates_open", "found_on", sqlite_where=_OPEN, postgresql_where=_OPEN
        ),
    )

    id: UUID = id_field()
    victim_id: UUID = Field(foreign_key="victims.id", index=True)
    candidate_id: UUID = Field(foreign_key="victims.id", index=True)
    score: float
    reasons: list[str] = Field(default_factory=list, sa_type=JSONType)
    resolution: str | None = Field(default=None, max_length=16)  # merged, not_the_same
    resolved_by: UUID | None = None
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    found_on: date
