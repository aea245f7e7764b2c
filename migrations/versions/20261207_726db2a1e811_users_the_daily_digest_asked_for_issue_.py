"""users: the daily digest asked for (issue 19)

Revision ID: 726db2a1e811
Revises: ac57ee8994d8
Create Date: 2026-12-07 03:52:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "726db2a1e811"
down_revision: str | None = "ac57ee8994d8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminder_email", sa.String(length=254), nullable=True))
        batch_op.add_column(
            sa.Column("daily_digest", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(sa.Column("digest_queued_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("digest_queued_on")
        batch_op.drop_column("daily_digest")
        batch_op.drop_column("reminder_email")
