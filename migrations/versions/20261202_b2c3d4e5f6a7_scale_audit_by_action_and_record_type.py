"""scale: the audit trail by action and by record type

``GET /audit-events?action=export`` (who exported) and ``?record_type=…`` are read off
(action, id) and (record_type, id), newest first, instead of walking the whole trail backwards
for a rare action. On PostgreSQL the index on the partitioned table is made on every month.

Revision ID: b2c3d4e5f6a7
Revises: a1b2c3d4e5f6
Create Date: 2026-12-02 21:20:00

"""

from collections.abc import Sequence

from alembic import op

revision: str = "b2c3d4e5f6a7"
down_revision: str | None = "a1b2c3d4e5f6"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_events_action_id", "audit_events", ["action", "id"])
    op.create_index("ix_audit_events_record_type_id", "audit_events", ["record_type", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_record_type_id", table_name="audit_events")
    op.drop_index("ix_audit_events_action_id", table_name="audit_events")
