"""session log indexes: the progress streak read from the index, logs by planned session

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 11:40:00

The index on ``started_at`` also holds the columns the streak of weeks meeting the goal reads
(status, whether it duplicates another log, facts version, seconds walked, rating and METs):
the whole history is read from the index, not from each log's wide row
(``bench/progress_scale.py``: a 10-year report). The planned
session a log names gets its index: the plan calendar looks logs up by it, and PostgreSQL does
not index a foreign key by itself.
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

#: The columns of the streak's query, after ``started_at`` (see ``models.SessionLog``).
_STREAK_COLUMNS = [
    "status",
    "duplicate_of",
    "facts_version",
    "walked_s",
    "rpe",
    "rpe_scale",
    "mets_central",
]


def upgrade() -> None:
    with op.batch_alter_table("session_logs") as batch:
        batch.drop_index("ix_session_logs_started_at")
        batch.create_index("ix_session_logs_started_at", ["started_at", *_STREAK_COLUMNS])
        batch.create_index("ix_session_logs_planned_session_id", ["planned_session_id"])


def downgrade() -> None:
    with op.batch_alter_table("session_logs") as batch:
        batch.drop_index("ix_session_logs_planned_session_id")
        batch.drop_index("ix_session_logs_started_at")
        batch.create_index("ix_session_logs_started_at", ["started_at"])
