"""case assignments: who holds a case for an organisation (CASELOAD-TRANSFER)

Revision ID: ac57ee8994d8
Revises: fc382398bd91
Create Date: 2026-12-07 02:45:42.686917

Cases registered before this revision are held by nobody until the manager gives them to a
worker (PUT /victims/{id}/holder).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "ac57ee8994d8"
down_revision: str | None = "fc382398bd91"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DRAFT = sa.text("status = 'draft'")


def upgrade() -> None:
    op.create_table(
        "case_assignments",
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("victim_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("assigned_on", sa.Date(), nullable=False),
        sa.Column("assigned_by", sa.Uuid(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"], ["organisations.id"],
            name=op.f("fk_case_assignments_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_case_assignments_user_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["victim_id"], ["victims.id"], name=op.f("fk_case_assignments_victim_id_victims")
        ),
        sa.PrimaryKeyConstraint("organisation_id", "victim_id", name=op.f("pk_case_assignments")),
    )  # fmt: skip
    with op.batch_alter_table("case_assignments", schema=None) as batch_op:
        batch_op.create_index("ix_case_assignments_user_id", ["user_id", "victim_id"])
        batch_op.create_index(batch_op.f("ix_case_assignments_victim_id"), ["victim_id"])
    # a worker's drafts
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessments_drafts", ["author_id"], sqlite_where=_DRAFT, postgresql_where=_DRAFT
        )
    with op.batch_alter_table("care_plans", schema=None) as batch_op:
        batch_op.create_index(
            "ix_care_plans_drafts", ["created_by"], sqlite_where=_DRAFT, postgresql_where=_DRAFT
        )


def downgrade() -> None:
    with op.batch_alter_table("care_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_care_plans_drafts")
    with op.batch_alter_table("assessments", schema=None) as batch_op:
        batch_op.drop_index("ix_assessments_drafts")
    op.drop_table("case_assignments")
