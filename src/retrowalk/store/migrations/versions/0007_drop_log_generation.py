"""Drop the logs' generation table and its triggers.

Progress no longer keeps grouped logs between reports (it reads one row per log in the weeks it
shows), so the bookkeeping of migration 0006 is not needed. The per-log facts of 0005 stay.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import importlib

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_0006 = importlib.import_module("retrowalk.store.migrations.versions.0006_log_generation")


def upgrade() -> None:
    _0006.downgrade()


def downgrade() -> None:
    _0006.upgrade()
