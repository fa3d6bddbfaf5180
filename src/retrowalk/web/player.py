"""What the browser player needs from a plan: the schedule of one planned session."""

from __future__ import annotations

from typing import Final

from retrowalk.errors import NotFoundError
from retrowalk.plans import PlannedSession
from retrowalk.services.plans import StoredPlan
from retrowalk.sessions import Timeline, build_timeline

#: Stored with a plan made although screening said to see a professional first (same words as
#: the CLI's ``--acknowledge-risk``).
ACKNOWLEDGEMENT: Final = (
    "I have read the screening reasons. I have talked to a health professional, or I accept "
    "the risk of starting without doing so."
)


def find_planned(stored: StoredPlan, session_id: str) -> PlannedSession:
    """The planned session with this id in the current plan."""
    for planned, planned_id in zip(stored.plan.sessions, stored.session_ids, strict=True):
        if planned_id == session_id:
            return planned
    raise NotFoundError(f"no session {session_id!r} in the current plan")


def planned_timeline(stored: StoredPlan, session_id: str, units: str) -> Timeline:
    """The cue schedule of a planned session."""
    return build_timeline(find_planned(stored, session_id).segments, units=units)
