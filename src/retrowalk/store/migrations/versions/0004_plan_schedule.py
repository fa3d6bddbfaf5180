"""plan schedule: a plan's weeks in their own column

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 01:50:00

A plan's weeks are the bulk of its JSON (about 80 kB for 8 weeks) but change only when the
progression does; the rest (state, explanation, revision date) changes with every logged
session. Existing rows keep their weeks inside ``document`` and are read as before; the first
write moves them to ``schedule``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.add_column(sa.Column("schedule", sa.JSON(), nullable=True))


def downgrade() -> None:
    # Put the weeks back into the documents first, so no plan loses its sessions.
    plans = sa.table(
        "plans",
        sa.column("id", sa.String()),
        sa.column("document", sa.JSON()),
        sa.column("schedule", sa.JSON()),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(plans.c.id, plans.c.document, plans.c.schedule).where(
            plans.c.schedule.is_not(None)
        )
    ).all()
    for row in rows:
        bind.execute(
            plans.update()
            .where(plans.c.id == row.id)
            .values(document={**row.document, "weeks": row.schedule})
        )
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_column("schedule")
