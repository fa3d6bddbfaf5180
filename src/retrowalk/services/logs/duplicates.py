"""Marking a log as the same walk as one logged before (see :mod:`retrowalk.services.duplicates`,
which lists the pairs and keeps the walker's choice)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from retrowalk.activities.matching import same_walk
from retrowalk.store import models
from retrowalk.vocabulary import WALKED_STATUSES

_LOG = models.SessionLog
#: How far back logs are looked at for an overlap (the longest session accepted is 4 h).
_LOOKBACK: Final = timedelta(hours=24)


def _end(row: models.SessionLog) -> datetime:
    return row.ended_at or row.started_at + timedelta(
        seconds=row.walked_s or sum(s.duration_s for s in row.segments)
    )


def mark_if_duplicate(session: Session, row: models.SessionLog) -> models.SessionLog | None:
    """Mark the just-stored walked ``row`` as a repeat of an earlier-stored log of the same walk
    (one of the two imported from a file), and return that log; ``None`` when there is none."""
    if row.status not in WALKED_STATUSES:
        return None
    start, end = row.started_at, _end(row)
    candidates = session.scalars(
        select(_LOG)
        .where(_LOG.id != row.id)
        .where(_LOG.status.in_(WALKED_STATUSES))
        .where(_LOG.duplicate_of.is_(None))
        .where(_LOG.started_at <= end)
        .where(_LOG.started_at >= start - _LOOKBACK)
        .order_by(_LOG.started_at)
    ).all()
    for other in candidates:
        if "import" not in (row.source, other.source):
            continue
        if same_walk(start, end, other.started_at, _end(other)):
            row.duplicate_of = other.id
            session.flush()
            return other
    return None


def clear_marks_to(session: Session, log_id: str) -> None:
    """Logs marked as repeats of ``log_id`` count again (it is being deleted)."""
    session.execute(
        update(_LOG)
        .where(_LOG.duplicate_of == log_id)
        .values(duplicate_of=None)
        .execution_options(synchronize_session="fetch")
    )
