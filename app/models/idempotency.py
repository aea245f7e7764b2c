from datetime import datetime
from uuid import UUID

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.base import JSONType, id_field, timestamp_field


class IdempotencyRecord(SQLModel, table=True):
    """The first response to a POST with an ``Idempotency-Key``, replayed for a retry.

    Written in the same transaction as the change it answers, so a replay exists if and only if
    the change committed."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("caller", "key"),)

    id: UUID = id_field()
    caller: str = Field(max_length=200)
    key: str = Field(max_length=255)
    fingerprint: str = Field(max_length=64)
    status_code: int
    headers: dict[str, str] = Field(default_factory=dict, sa_type=JSONType)
    body: str = Field(sa_type=Text)
    # the persons whose data the answer holds: a replay is audited for each, erasure finds them
    victim_ids: list[str] = Field(default_factory=list, sa_type=JSONType)
    created_at: datetime = timestamp_field(index=True)
