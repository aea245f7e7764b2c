"""referrals: indexes for the escalations (REFERRAL-ANSWER-14D, REFERRAL-CONTACT-14D)

Revision ID: fc382398bd91
Revises: 9eb7e441e604
Create Date: 2026-12-07 02:39:12.948068

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "fc382398bd91"
down_revision: str | None = "9eb7e441e604"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNANSWERED = sa.text("status = 'requested'")
_WITHOUT_CONTACT = sa.text("status = 'accepted' AND contact_on IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index(
            "ix_referrals_unanswered", ["from_organisation_id", "referred_on"],
            sqlite_where=_UNANSWERED, postgresql_where=_UNANSWERED,
        )  # fmt: skip
        batch_op.create_index(
            "ix_referrals_without_contact", ["from_organisation_id", "accepted_on"],
            sqlite_where=_WITHOUT_CONTACT, postgresql_where=_WITHOUT_CONTACT,
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_without_contact")
        batch_op.drop_index("ix_referrals_unanswered")
