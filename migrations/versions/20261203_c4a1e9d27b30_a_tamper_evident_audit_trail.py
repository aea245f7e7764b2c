"""a tamper-evident audit trail: each actor's events chained by their hashes

Each actor has 16 chains (lanes), a request appending to one drawn at random, so that one
actor's concurrent requests do not queue on one chain's head.

Events written before stay outside the chains (no seq, no hashes); an actor's chain begins with
their first event after the upgrade. ``python -m app audit verify`` walks the chains.

Revision ID: c4a1e9d27b30
Revises: f325b0b3d162
Create Date: 2026-12-03 06:40:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c4a1e9d27b30"
down_revision: str | None = "f325b0b3d162"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_chains",
        sa.Column("chain", sa.String(length=48), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_chains")),
    )
    # plain ALTERs: on PostgreSQL the trail is partitioned by month, and its partitions follow
    op.add_column("audit_events", sa.Column("chain", sa.String(length=48), nullable=True))
    op.add_column("audit_events", sa.Column("chain_seq", sa.Integer(), nullable=True))
    op.add_column("audit_events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_events", sa.Column("hash", sa.String(length=64), nullable=True))
    op.create_index("ix_audit_events_chain_chain_seq", "audit_events", ["chain", "chain_seq"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_chain_chain_seq", table_name="audit_events")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("chain_seq")
        batch_op.drop_column("chain")
    op.drop_table("audit_chains")
