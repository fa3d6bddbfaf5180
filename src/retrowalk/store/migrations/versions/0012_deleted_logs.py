"""deleted logs: a deleted session log kept whole for "Undo" (issue 13)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 15:00:00

Self-contained: creates one new table and touches nothing else
(retrowalk.services.logs.trash writes and reads it).
"""

import sqlalchemy as sa
from alembic import op

import retrowalk.store.types

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deleted_logs",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_log_id", sa.String(length=36), nullable=False),
        sa.Column("deleted_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("started_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("backward_s", sa.Float(), nullable=False),
        sa.Column("plan_message", sa.Text(), nullable=True),
        sa.Column("rows", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deleted_logs")),
    )
    op.create_index(
        op.f("ix_deleted_logs_session_log_id"), "deleted_logs", ["session_log_id"], unique=False
    )
    op.create_index(
        op.f("ix_deleted_logs_deleted_at"), "deleted_logs", ["deleted_at"], unique=False
    )


def downgrade() -> None:
    op.drop_table("deleted_logs")
