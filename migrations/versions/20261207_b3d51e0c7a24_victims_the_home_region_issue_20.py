"""victims: the home region, a quasi-identifier of the de-identified dataset (issue 20)

Revision ID: b3d51e0c7a24
Revises: 726db2a1e811
Create Date: 2026-12-07 16:10:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b3d51e0c7a24"
down_revision: str | None = "726db2a1e811"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("victims", schema=None) as batch_op:
        batch_op.add_column(sa.Column("home_region", sa.String(length=6), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("victims", schema=None) as batch_op:
        batch_op.drop_column("home_region")
