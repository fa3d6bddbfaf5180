"""When a planned session counts as done: its backward work was mostly walked (issue 13).

One rule for the plan calendar, ``retrowalk today`` and progress adherence:

- **done**: the backward time walked that day (in the logs of that session) is at least
  :data:`DONE_BACKWARD_FRACTION` of the backward time planned;
- **partly done**: something was walked, but less than that (a 7-second session stopped as
  "tired" is partly done, not done);
- **missed**: the day has passed and nothing was walked;
- **planned**: today or later, nothing walked yet.

The threshold is a product rule (``docs/evidence.md``, "Done").
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Final

__all__ = ["DONE_BACKWARD_FRACTION", "SessionState", "is_done", "session_state"]

#: Share of the planned backward time that must be walked for a session to count as done.
#: Product rule: "mostly walked" read as 4/5, the 80 % line adherence studies commonly use
#: to call a dose "taken"; no study defines it for walking sessions (limited evidence).
DONE_BACKWARD_FRACTION: Final = 0.8


class SessionState(StrEnum):
    """What became of a planned session."""

    DONE = "done"
    PARTLY_DONE = "partly_done"
    MISSED = "missed"
    PLANNED = "planned"

    @property
    def label(self) -> str:
        """Plain words."""
        return _LABELS[self]


_LABELS = {
    SessionState.DONE: "Done",
    SessionState.PARTLY_DONE: "Partly done",
    SessionState.MISSED: "Missed",
    SessionState.PLANNED: "Planned",
}


def is_done(planned_backward_s: float, walked_backward_s: float) -> bool:
    """Whether the backward work was mostly walked (a session with no backward part planned is
    done once any backward time is walked)."""
    if planned_backward_s <= 0:
        return walked_backward_s > 0
    return walked_backward_s >= DONE_BACKWARD_FRACTION * planned_backward_s - 1e-9


def session_state(
    *,
    planned_backward_s: float,
    walked_backward_s: float,
    walked: bool,
    scheduled_on: date,
    today: date,
) -> SessionState:
    """The state of one planned session as of ``today`` (the walker's local day).

    Parameters
    ----------
    planned_backward_s
        Backward time planned, s.
    walked_backward_s
        Backward time walked in the session's logs, s.
    walked
        Whether any log belongs to the session (even one with no backward time).
    scheduled_on, today
        The planned day and today, local days.
    """
    if is_done(planned_backward_s, walked_backward_s):
        return SessionState.DONE
    if walked:
        return SessionState.PARTLY_DONE
    return SessionState.MISSED if scheduled_on < today else SessionState.PLANNED
