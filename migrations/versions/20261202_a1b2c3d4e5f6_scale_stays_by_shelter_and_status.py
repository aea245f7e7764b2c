"""scale: a shelter's stays by state

The worklist's medical examinations and monitoring reports, and a shelter's residents, are read
off (shelter_id, status), which replaces the index on shelter_id alone.

Revision ID: a1b2c3d4e5f6
Revises: 9e0f1a2b3c4d
Create Date: 2026-12-02 21:10:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "a1b2c3d4e5f6"
down_revision: str | None = "9e0f1a2b3c4d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_shelter_stays_shelter_id_status", "shelter_stays", ["shelter_id", "status"])
    op.drop_index("ix_shelter_stays_shelter_id", table_name="shelter_stays")


def downgrade() -> None:
    op.create_index("ix_shelter_stays_shelter_id", "shelter_stays", ["shelter_id"])
    op.drop_index("ix_shelter_stays_shelter_id_status", table_name="shelter_stays")
