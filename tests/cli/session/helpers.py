"""Shared by the terminal player's tests: the fast flags and the logs the CLI wrote."""

from __future__ import annotations

from sqlalchemy import select

from retrowalk.services.database import Database
from retrowalk.store import models

#: No keys, no questions, no voice, 1000 session seconds per real second.
FAST = ["--non-interactive", "--no-voice", "--time-scale", "1000"]


def logs(db: Database) -> list[models.SessionLog]:
    with db.factory() as session:
        rows = session.scalars(select(models.SessionLog).order_by(models.SessionLog.started_at))
        return [row for row in rows if row.segments is not None]
