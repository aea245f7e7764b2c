"""scale: keyset indexes for an organisation's cases and the cases referred to it

A page of an organisation's persons is read off (organisation_id, id), and its shared cases off
(to_organisation_id, victim_id): both replace the single-column indexes they start with.

Revision ID: 3c1d2e4f5a6b
Revises: fd720f3b19b0
Create Date: 2026-12-02 21:30:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "3c1d2e4f5a6b"
down_revision: str | None = "fd720f3b19b0"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_victims_organisation_id_id", "victims", ["organisation_id", "id"])
    op.drop_index("ix_victims_organisation_id", table_name="victims")
    op.create_index(
        "ix_referrals_to_organisation_id_victim_id",
        "referrals",
        ["to_organisation_id", "victim_id"],
    )
    op.drop_index("ix_referrals_to_organisation_id", table_name="referrals")


def downgrade() -> None:
    op.create_index("ix_referrals_to_organisation_id", "referrals", ["to_organisation_id"])
    op.drop_index("ix_referrals_to_organisation_id_victim_id", table_name="referrals")
    op.create_index("ix_victims_organisation_id", "victims", ["organisation_id"])
    op.drop_index("ix_victims_organisation_id_id", table_name="victims")
