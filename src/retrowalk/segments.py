"""A planned segment: one part of a session with one direction, place, support and duration.

Plans produce them, the session timeline plays them, the energy model costs them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from retrowalk.errors import InvalidInputError
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

#: Longest single segment accepted (4 hours); a guard against typos, not advice.
MAX_SEGMENT_DURATION_S = 4 * 3600.0


@dataclass(frozen=True, slots=True)
class PlannedSegment:
    """One segment of a planned session.

    Parameters
    ----------
    kind
        Role of the segment (warm-up, backward interval, forward recovery, cool-down).
    direction
        Walking direction.
    duration_s
        Planned duration in seconds (> 0).
    environment
        Where it is walked.
    support
        What the walker holds or relies on.
    speed_target_m_s
        Treadmill belt speed to set, in m/s; ``None`` overground (self-paced).
    speed_limit_m_s
        Highest belt speed allowed for this person now, in m/s; required on a treadmill.
    grade_pct
        Treadmill or path grade in percent (0 = level).
    cues
        Technique cues to speak during the segment, in order.
    """

    kind: SegmentKind
    direction: Direction
    duration_s: float
    environment: Environment
    support: Support
    speed_target_m_s: float | None = None
    speed_limit_m_s: float | None = None
    grade_pct: float = 0.0
    cues: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not (math.isfinite(self.duration_s) and 0 < self.duration_s <= MAX_SEGMENT_DURATION_S):
            raise InvalidInputError(
                "duration_s",
                self.duration_s,
                f"more than 0 and at most {MAX_SEGMENT_DURATION_S:g} s",
            )
        for name in ("speed_target_m_s", "speed_limit_m_s"):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value > 0):
                raise InvalidInputError(name, value, "a speed above 0 m/s, or none")
        if self.environment.is_treadmill and self.speed_limit_m_s is None:
            raise InvalidInputError("speed_limit_m_s", None, "a limit for every treadmill segment")
        if (
            self.speed_target_m_s is not None
            and self.speed_limit_m_s is not None
            and self.speed_target_m_s > self.speed_limit_m_s + 1e-9
        ):
            raise InvalidInputError(
                "speed_target_m_s",
                self.speed_target_m_s,
                f"at most the limit {self.speed_limit_m_s} m/s",
            )
        if not math.isfinite(self.grade_pct):
            raise InvalidInputError("grade_pct", self.grade_pct, "a finite grade in percent")
