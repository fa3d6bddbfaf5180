"""log duplicate_of: the same walk logged twice, until the walker chooses

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 15:00:00

Self-contained: one nullable column and its index (of the marked logs only) on session_logs.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("duplicate_of", sa.String(length=36), nullable=True))
        # Only the few marked logs are indexed: an index of every log's NULL would be chosen
        # for ``duplicate_of IS NULL`` and read the whole table through it.
        batch_op.create_index(
            batch_op.f("ix_session_logs_duplicate_of"),
            ["duplicate_of"],
            unique=False,
            sqlite_where=sa.text("duplicate_of IS NOT NULL"),
            postgresql_where=sa.text("duplicate_of IS NOT NULL"),
        )


def downgrade() -> None:
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_logs_duplicate_of"))
        batch_op.drop_column("duplicate_of")
