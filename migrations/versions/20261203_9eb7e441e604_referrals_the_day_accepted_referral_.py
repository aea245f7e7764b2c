"""referrals: the day accepted (REFERRAL-CONTACT-14D)

Revision ID: 9eb7e441e604
Revises: d3e9e8dd8c0d
Create Date: 2026-12-03 15:20:01.569176

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "9eb7e441e604"
down_revision: str | None = "d3e9e8dd8c0d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("accepted_on", sa.Date(), nullable=True))
    # a referral accepted before this column existed was accepted when it last changed: it has
    # changed nothing since (an initial contact would have moved it on)
    referrals = sa.table(
        "referrals", sa.column("status", sa.String), sa.column("accepted_on", sa.Date),
        sa.column("updated_at", sa.DateTime),
    )  # fmt: skip
    op.execute(
        referrals.update()
        .where(referrals.c.status == "accepted")
        .values(accepted_on=sa.func.date(referrals.c.updated_at))  # the day, on both databases
    )


def downgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_column("accepted_on")
