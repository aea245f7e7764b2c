"""scale: the worklist and the reports find their rows off indexes

Follow-up contacts, service agreements (both parties) and care plans by the organisation that
keeps them: a worklist page reads its own items, not the whole table. Assessments by the day
they were performed (a month's shelter report); the few erased persons, which the national
counts leave out.

Revision ID: 7d8e9f0a1b2c
Revises: 3c1d2e4f5a6b
Create Date: 2026-12-02 20:45:00

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "7d8e9f0a1b2c"
down_revision: str | None = "3c1d2e4f5a6b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("follow_up_contacts", "organisation_id"),
    ("service_agreements", "organisation_id"),
    ("service_agreements", "provider_organisation_id"),
    ("care_plans", "organisation_id"),
    ("assessments", "performed_on"),
]
ERASED = sa.text("status = 'erased'")


def upgrade() -> None:
    for table, column in INDEXES:
        op.create_index(f"ix_{table}_{column}", table, [column])
    op.create_index(
        "ix_victims_erased", "victims", ["id"], sqlite_where=ERASED, postgresql_where=ERASED
    )


def downgrade() -> None:
    op.drop_index("ix_victims_erased", table_name="victims")
    for table, column in reversed(INDEXES):
        op.drop_index(f"ix_{table}_{column}", table_name=table)
