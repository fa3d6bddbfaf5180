"""motion recordings: one compressed recording per session log

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:45:00

Self-contained: creates one new table and touches nothing else (retrowalk.motion.storage holds
the format of ``data``; docs/motion.md explains why recordings live in the database).
"""

import sqlalchemy as sa
from alembic import op

import retrowalk.store.types

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "motion_recordings",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_log_id", sa.String(length=36), nullable=False),
        sa.Column("created_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("started_at", retrowalk.store.types.UTCDateTime(), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=False),
        sa.Column("samples", sa.Integer(), nullable=False),
        sa.Column("sampling_rate_hz", sa.Float(), nullable=False),
        sa.Column("has_gyro", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("analysis", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_motion_recordings_session_log_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_motion_recordings")),
        sa.UniqueConstraint("session_log_id", name=op.f("uq_motion_recordings_session_log_id")),
    )


def downgrade() -> None:
    op.drop_table("motion_recordings")
