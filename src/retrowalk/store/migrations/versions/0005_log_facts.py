"""log facts: per-log figures progress sums

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 02:40:00

Derived from each log's segments, symptom reports and energy (retrowalk.services.logfacts).
Existing logs get them when the database is opened after the upgrade.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_FLOATS = (
    "walked_s",
    "backward_s",
    "kcal_low",
    "kcal_central",
    "kcal_high",
    "mets_central",
    "rpe",
)


def upgrade() -> None:
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("facts_version", sa.Integer(), nullable=True))
        for name in _FLOATS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("rpe_scale", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("pain_0_10", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("pain_location", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("events", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("session_logs", schema=None) as batch_op:
        for name in ("events", "pain_location", "pain_0_10", "rpe_scale", *_FLOATS):
            batch_op.drop_column(name)
        batch_op.drop_column("facts_version")
