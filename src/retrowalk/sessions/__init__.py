"""Guided sessions: quick specs, cue texts, the cue timeline and the pure player state machine.

Everything here is pure: no I/O, no framework, and the clock is injected.

- :mod:`~retrowalk.sessions.quick` parses specs such as ``5x(1m back, 1m fwd)``;
- :mod:`~retrowalk.sessions.cues` holds what is said, each text with its source;
- :mod:`~retrowalk.sessions.timeline` places every cue on the session time axis (JSON in and out);
- :mod:`~retrowalk.sessions.player` plays a timeline: start, pause, resume, skip, stop, poll,
  snapshot and restore.
"""

from __future__ import annotations

from retrowalk.sessions.player import (
    RunSnapshot,
    RunStatus,
    SessionRun,
    SessionStateError,
    StopReason,
    completed_segments,
)
from retrowalk.sessions.quick import format_quick, parse_quick
from retrowalk.sessions.timeline import CueEvent, Timeline, TimelineSegment, build_timeline

__all__ = [
    "CueEvent",
    "RunSnapshot",
    "RunStatus",
    "SessionRun",
    "SessionStateError",
    "StopReason",
    "Timeline",
    "TimelineSegment",
    "build_timeline",
    "completed_segments",
    "format_quick",
    "parse_quick",
]
