"""The same walk logged twice: recognised, left out of progress, and the walker chooses.

A walk imported from a watch file and also logged by the player (or by hand), in either order,
is recognised by time overlap (:func:`retrowalk.activities.matching.same_walk`; times are UTC
inside, so a file written in another time zone matches). The log stored second is kept, marked
``duplicate_of`` the first: nothing is dropped, but it is left out of the progress figures
until the walker chooses which to keep (:func:`keep_log`, the log list's "Keep this one"
buttons, ``retrowalk log keep ID``). Choosing deletes the other log (and revises the plan if it
had adapted to it, as any deletion does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from retrowalk.errors import InvalidInputError
from retrowalk.services.activities import find_duplicates
from retrowalk.services.logs import delete_log
from retrowalk.services.logs.duplicates import mark_if_duplicate
from retrowalk.services.logs.repository import get_row
from retrowalk.store import models

__all__ = ["PendingDuplicate", "keep_log", "mark_if_duplicate", "pending"]

_LOG = models.SessionLog


@dataclass(frozen=True, slots=True)
class PendingDuplicate:
    """A log marked as the same walk as an earlier one, waiting for the walker's choice."""

    log_id: str
    source: str
    started_at: datetime
    other_id: str
    other_source: str
    other_started_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "log_id": self.log_id,
            "source": self.source,
            "started_at": self.started_at.isoformat(),
            "other_id": self.other_id,
            "other_source": self.other_source,
            "other_started_at": self.other_started_at.isoformat(),
        }


def pending(session: Session) -> list[PendingDuplicate]:
    """Every pair waiting for the walker's choice, oldest first."""
    rows = session.scalars(
        select(_LOG).where(_LOG.duplicate_of.is_not(None)).order_by(_LOG.started_at)
    ).all()
    out = []
    for row in rows:
        other = session.get(_LOG, row.duplicate_of)
        if other is None:  # its original was deleted outside this service: it counts again
            row.duplicate_of = None
            continue
        out.append(
            PendingDuplicate(
                row.id, row.source, row.started_at, other.id, other.source, other.started_at
            )
        )
    return out


def keep_log(session: Session, log_id: str) -> list[str]:
    """Keep ``log_id`` (id or prefix) and delete the log(s) it was marked the same walk as;
    returns the ids deleted.

    Raises
    ------
    retrowalk.errors.NotFoundError
        When no log has this id.
    retrowalk.errors.InvalidInputError
        Naming ``log`` when it is not one of a pair waiting for a choice.
    """
    row = get_row(session, log_id)
    others = list(
        session.scalars(
            select(_LOG.id).where(
                or_(_LOG.duplicate_of == row.id, _LOG.id == (row.duplicate_of or ""))
            )
        )
    )
    if not others:  # a pair stored before walks were marked
        others = [
            p.second_id if p.first_id == row.id else p.first_id
            for p in find_duplicates(session)
            if row.id in (p.first_id, p.second_id)
        ]
    if not others:
        raise InvalidInputError(
            "log", row.id[:8], "a log marked as the same walk as another ('log duplicates')"
        )
    row.duplicate_of = None
    session.flush()
    for other_id in others:
        delete_log(session, other_id)
    return others
