"""What the browser player needs: the schedule of a planned or quick session and its settings."""

from __future__ import annotations

from typing import Any, Final

from retrowalk.errors import NotFoundError, quote
from retrowalk.formatting import PLAN_ACTION_WORDS
from retrowalk.plans import PlannedSession
from retrowalk.services.guided import GuidedSession
from retrowalk.services.plans import StoredPlan
from retrowalk.sessions import RunStatus, StopReason, Timeline, build_timeline
from retrowalk.sessions.cues import stop_text
from retrowalk.sessions.quick import (
    QUICK_MAX_REPEATS,
    QUICK_MAX_SEGMENTS,
    QUICK_MAX_TOTAL_S,
    QUICK_MIN_SEGMENT_S,
)
from retrowalk.vocabulary import Environment, Support
from retrowalk.web.forms import FIELD_LABELS
from retrowalk.web.preferences import Preferences

#: Stored with a plan made although screening said to see a professional first (same words as
#: the CLI's ``--acknowledge-risk``).
ACKNOWLEDGEMENT: Final = (
    "I have read the screening reasons. I have talked to a health professional, or I accept "
    "the risk of starting without doing so."
)

#: What the quick-session form accepts, in words, from the quick parser's own bounds.
QUICK_RANGES: Final = (
    f"Each part {QUICK_MIN_SEGMENT_S:g} s to {QUICK_MAX_TOTAL_S / 60:g} min; repeat counts "
    f"1 to {QUICK_MAX_REPEATS}; at most {QUICK_MAX_SEGMENTS} parts and "
    f"{QUICK_MAX_TOTAL_S / 60:g} min in all."
)
#: The example the quick-session form starts with.
QUICK_EXAMPLE: Final = "5x(1m back, 1m fwd)"
#: Places the quick-session form offers: a treadmill needs a belt speed limit, which only a plan
#: sets (the service refuses a treadmill quick session without one).
QUICK_ENVIRONMENTS: Final = tuple(e.value for e in Environment if not e.is_treadmill)
#: Support the quick-session form offers (treadmill rails only go with a treadmill).
QUICK_SUPPORTS: Final = tuple(s.value for s in Support if s is not Support.TREADMILL_RAILS)


def find_planned(stored: StoredPlan, session_id: str) -> PlannedSession:
    """The planned session with this id in the current plan."""
    for planned, planned_id in zip(stored.plan.sessions, stored.session_ids, strict=True):
        if planned_id == session_id:
            return planned
    raise NotFoundError(f"no session {quote(session_id)} in the current plan")


def planned_timeline(stored: StoredPlan, session_id: str, units: str) -> Timeline:
    """The cue schedule of a planned session."""
    return build_timeline(find_planned(stored, session_id).segments, units=units)


def player_data(
    *,
    title: str,
    timeline: Timeline,
    prefs: Preferences,
    clock_rate: float,
    planned_session_id: str | None = None,
    guided: GuidedSession | None = None,
) -> dict[str, Any]:
    """The JSON the player script reads (``player.html``'s ``#player-data``).

    ``clock_rate`` is the fast fake clock's rate (1 outside test mode). ``planned_session_id``:
    the planned session played (the player starts it on the server when Start is pressed).
    ``guided``: a session already started on the server (a quick session): the player joins it
    instead of starting one, and continues its run (paused) when this browser has no state of
    its own for it.
    """
    under_way = guided is not None and guided.snapshot.status in (
        RunStatus.RUNNING,
        RunStatus.PAUSED,
    )
    return {
        "planned_session_id": planned_session_id,
        "log_id": None if guided is None else guided.log_id,
        "started_at": None if guided is None else guided.started_at.isoformat(),
        "source": "guided" if guided is None else guided.source,
        "snapshot": guided.snapshot.to_dict() if guided is not None and under_way else None,
        "title": title,
        "timeline": timeline.to_dict(),
        "timeline_id": timeline.fingerprint(),
        "voice": prefs.voice,
        "units": prefs.units,
        "clock_rate": clock_rate,
        "stop_texts": {r.value: stop_text(r.value) for r in StopReason},
        "plan_words": PLAN_ACTION_WORDS,
        # A refused log names its field by the label the walker sees (issue 13).
        "field_labels": FIELD_LABELS,
    }


def quick_context(values: dict[str, Any]) -> dict[str, Any]:
    """What the quick-session form needs (on Today and on ``/quick``)."""
    return {
        "quick_values": {"quick_spec": QUICK_EXAMPLE, **values},
        "quick_ranges": QUICK_RANGES,
        "quick_environments": QUICK_ENVIRONMENTS,
        "quick_supports": QUICK_SUPPORTS,
    }
