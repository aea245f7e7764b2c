"""scale: the audit trail partitioned by month on PostgreSQL; keyset indexes by person and actor

On PostgreSQL the table becomes ``PARTITION BY RANGE (at)``: one partition per month from the
oldest event to three months ahead, and a default partition so that an event never fails for
want of its month (app/services/audit_partitions.py prepares the months to come). Its primary
key becomes (id, at), as PostgreSQL requires the partition key in it. The events are copied
over in the migration's transaction. On both databases the trail of a person and of an actor
is read off (victim_id, id) and (actor_id, id), newest first.

Revision ID: 9e0f1a2b3c4d
Revises: 7d8e9f0a1b2c
Create Date: 2026-12-02 21:00:00

"""

from collections.abc import Sequence
from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "9e0f1a2b3c4d"
down_revision: str | None = "7d8e9f0a1b2c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = """
    id uuid NOT NULL,
    at timestamp with time zone NOT NULL,
    actor_type varchar(16) NOT NULL,
    actor_id uuid NOT NULL,
    role varchar(32) NOT NULL,
    organisation_id uuid,
    action varchar(32) NOT NULL,
    record_type varchar(32) NOT NULL,
    record_id uuid,
    victim_id uuid,
    client_address varchar(64)
"""
AHEAD_MONTHS = 3


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    found, month = [], first.replace(day=1)
    while month <= last:
        found.append(month)
        month = _next(month)
    return found


def _bound(month: date) -> str:
    return f"'{month.isoformat()} 00:00:00+00'"


def _keyset_indexes() -> None:
    op.create_index("ix_audit_events_actor_id_id", "audit_events", ["actor_id", "id"])
    op.create_index("ix_audit_events_victim_id_id", "audit_events", ["victim_id", "id"])
    op.create_index("ix_audit_events_at", "audit_events", ["at"])


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table("audit_events") as batch:
            batch.drop_index("ix_audit_events_actor_id")
            batch.drop_index("ix_audit_events_victim_id")
            batch.create_index("ix_audit_events_actor_id_id", ["actor_id", "id"])
            batch.create_index("ix_audit_events_victim_id_id", ["victim_id", "id"])
        return
    op.execute("ALTER TABLE audit_events RENAME TO audit_events_unpartitioned")
    op.execute("ALTER TABLE audit_events_unpartitioned DROP CONSTRAINT pk_audit_events")
    for name in ("ix_audit_events_actor_id", "ix_audit_events_at", "ix_audit_events_victim_id"):
        op.execute(f"DROP INDEX {name}")
    op.execute(f"CREATE TABLE audit_events ({COLUMNS}) PARTITION BY RANGE (at)")
    op.execute("ALTER TABLE audit_events ADD CONSTRAINT pk_audit_events PRIMARY KEY (id, at)")
    _keyset_indexes()
    op.execute("CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT")
    oldest = op.get_bind().scalar(sa.text("SELECT min(at) FROM audit_events_unpartitioned"))
    today = datetime.now(UTC).date()
    last = today
    for _ in range(AHEAD_MONTHS):
        last = _next(last)
    for month in _months(oldest.date() if oldest else today, last):
        op.execute(
            f"CREATE TABLE audit_events_p{month.year:04d}_{month.month:02d} PARTITION OF "
            f"audit_events FOR VALUES FROM ({_bound(month)}) TO ({_bound(_next(month))})"
        )
    op.execute("INSERT INTO audit_events SELECT * FROM audit_events_unpartitioned")
    op.execute("DROP TABLE audit_events_unpartitioned")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        with op.batch_alter_table("audit_events") as batch:
            batch.drop_index("ix_audit_events_victim_id_id")
            batch.drop_index("ix_audit_events_actor_id_id")
            batch.create_index("ix_audit_events_victim_id", ["victim_id"])
            batch.create_index("ix_audit_events_actor_id", ["actor_id"])
        return
    op.execute("ALTER TABLE audit_events RENAME TO audit_events_partitioned")
    op.execute("ALTER TABLE audit_events_partitioned DROP CONSTRAINT pk_audit_events")
    for name in (
        "ix_audit_events_actor_id_id",
        "ix_audit_events_at",
        "ix_audit_events_victim_id_id",
    ):
        op.execute(f"DROP INDEX {name}")
    op.execute(f"CREATE TABLE audit_events ({COLUMNS})")
    op.execute("ALTER TABLE audit_events ADD CONSTRAINT pk_audit_events PRIMARY KEY (id)")
    op.execute("INSERT INTO audit_events SELECT * FROM audit_events_partitioned")
    op.execute("DROP TABLE audit_events_partitioned")  # and its partitions with it
    op.create_index("ix_audit_events_actor_id", "audit_events", ["actor_id"])
    op.create_index("ix_audit_events_at", "audit_events", ["at"])
    op.create_index("ix_audit_events_victim_id", "audit_events", ["victim_id"])
