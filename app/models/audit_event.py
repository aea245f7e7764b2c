"""The audit trail: who read or changed which record, when, from where."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from app.models.base import id_field, timestamp_field


class AuditEvent(SQLModel, table=True):
    """Who read or changed which record, when and from where. Append-only; no foreign keys, so
    the trail outlives the records it speaks of (erasure keeps it). Never holds personal data."""

    __tablename__ = "audit_events"
    # a person's and an actor's trail, newest first (GET /audit-events). On PostgreSQL the table
    # is partitioned by month of ``at`` and its primary key is (id, at): the migration and
    # app/services/audit_partitions.py, not these models, make the partitions.
    __table_args__ = (
        Index("ix_audit_events_actor_id_id", "actor_id", "id"),
        Index("ix_audit_events_victim_id_id", "victim_id", "id"),
        # who exported, who erased; what was read of one kind of record
        Index("ix_audit_events_action_id", "action", "id"),
        Index("ix_audit_events_record_type_id", "record_type", "id"),
        # each chain, in order (python -m app audit verify)
        Index("ix_audit_events_chain_chain_seq", "chain", "chain_seq"),
    )

    id: UUID = id_field()
    at: datetime = timestamp_field(index=True)
    actor_type: str = Field(max_length=16)
    actor_id: UUID
    role: str = Field(max_length=32)
    organisation_id: UUID | None = None
    action: str = Field(max_length=32)
    record_type: str = Field(max_length=32)
    record_id: UUID | None = None
    victim_id: UUID | None = None
    client_address: str | None = Field(default=None, max_length=64)
    # the chain (one of the actor's, domain/audit_chain.py): its place, the hash before it and
    # its own; none on events written before the chains began
    chain: str | None = Field(default=None, max_length=48)
    chain_seq: int | None = None
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class AuditChain(SQLModel, table=True):
    """The head of one of an actor's chains (``<actor id>/<lane>``): its last event's place and
    hash. Locked while a request appends to it, so appends to one chain take their turn."""

    __tablename__ = "audit_chains"

    chain: str = Field(primary_key=True, max_length=48)
    seq: int = 0
    hash: str = Field(max_length=64)
