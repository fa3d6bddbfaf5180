"""activity imports: where an imported session log came from

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:00:00

One new table, ``activity_imports`` (one row per log imported from a FIT, GPX, TCX or Apple
Health file): the file's SHA-256 and the activity's index in it, the device and its energy
figure, and the laps as recorded. Self-contained: it touches no other table, so it can be
renumbered after another 0007 by changing ``revision``/``down_revision`` only.
"""

import sqlalchemy as sa
from alembic import op

from retrowalk.store.types import UTCDateTime

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_imports",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("session_log_id", sa.String(length=36), nullable=False),
        sa.Column("file_sha256", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("file_format", sa.String(length=16), nullable=False),
        sa.Column("sport", sa.String(length=32), nullable=True),
        sa.Column("device", sa.String(length=100), nullable=True),
        sa.Column("device_energy_kcal", sa.Float(), nullable=True),
        sa.Column("device_energy_kind", sa.String(length=8), nullable=True),
        sa.Column("laps", sa.JSON(), nullable=False),
        sa.Column("imported_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_log_id"],
            ["session_logs.id"],
            name=op.f("fk_activity_imports_session_log_id_session_logs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity_imports")),
        sa.UniqueConstraint("session_log_id", name=op.f("uq_activity_imports_session_log_id")),
        sa.UniqueConstraint("file_sha256", "position", name="uq_activity_imports_file_position"),
    )
    op.create_index(
        op.f("ix_activity_imports_file_sha256"), "activity_imports", ["file_sha256"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_activity_imports_file_sha256"), table_name="activity_imports")
    op.drop_table("activity_imports")
