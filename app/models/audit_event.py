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
        # each actor's chain, in order (python -m app audit verify)
        Index("ix_audit_events_actor_id_chain_seq", "actor_id", "chain_seq"),
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
    # the actor's chain (domain/audit_chain.py): its place, the hash before it and its own;
    # none on events written before the chain began
    chain_seq: int | None = None
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class AuditChain(SQLModel, table=True):
    """The head of an actor's chain: its last event's place and hash. Locked while a request
    appends to it, so two requests of one actor append one after the other."""

    __tablename__ = "audit_chains"

    actor_id: UUID = Field(primary_key=True)
    seq: int = 0
    hash: str = Field(max_length=64)
