"""log generation: a counter the database bumps whenever the logs progress reads change

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 07:00:00

One row (``id`` 1). On SQLite three triggers bump it when a log is inserted or deleted, or when
a column progress groups by is updated (``retrowalk.services.loggroups`` keeps the groups while
it stays the same). ``changes`` counts; ``stamp`` becomes the current time in microseconds (or
one more than before, whichever is larger), so a file put back from a copy never repeats a
generation. PostgreSQL gets the table without triggers (its groups are never kept).

A later migration that rebuilds ``session_logs`` on SQLite (Alembic's batch mode copies the
table) drops these triggers: it must create them again (:func:`create_triggers`). Until it does,
progress finds them missing and runs its query every time.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

#: The columns of ``session_logs`` progress's grouped query reads (an update of any other
#: column, such as a guided session's checkpoint, changes no group).
GROUPED_COLUMNS = (
    "id",
    "started_at",
    "status",
    "stop_reason",
    "facts_version",
    "walked_s",
    "backward_s",
    "kcal_low",
    "kcal_central",
    "kcal_high",
    "mets_central",
    "rpe",
    "rpe_scale",
    "pain_0_10",
    "pain_location",
    "events",
)
#: SQLite's current time in microseconds since 1970 (to the millisecond).
_NOW_US = "CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER)"
_BUMP = (
    f"UPDATE log_generation SET changes = changes + 1, stamp = max(stamp + 1, {_NOW_US}) "
    "WHERE id = 1;"
)
_TRIGGERS = {
    "session_logs_generation_insert": "AFTER INSERT ON session_logs",
    "session_logs_generation_update": (
        f"AFTER UPDATE OF {', '.join(GROUPED_COLUMNS)} ON session_logs"
    ),
    "session_logs_generation_delete": "AFTER DELETE ON session_logs",
}


def create_triggers() -> None:
    """Create the triggers (SQLite only)."""
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, when in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {when} BEGIN {_BUMP} END")


def upgrade() -> None:
    op.create_table(
        "log_generation",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("changes", sa.BigInteger(), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_log_generation")),
    )
    # On SQLite the stamp starts at the current time, so a table made again (after a downgrade)
    # never starts at a generation seen before.
    start = _NOW_US if op.get_bind().dialect.name == "sqlite" else "0"
    op.execute(f"INSERT INTO log_generation (id, changes, stamp) VALUES (1, 0, {start})")
    create_triggers()


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("log_generation")
