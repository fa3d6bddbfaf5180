"""Which recorded laps were the plan's backward parts, and which recordings are the same walk.

Pure functions over :class:`~retrowalk.activities.model.Lap` and planned segments.

Laps to plan
    A watch counts a backward interval as ordinary walking, so direction comes from the plan. When
    the recording has as many laps as the planned session has parts and every lap lasts as long
    as its part (within the tolerance), lap *i* is part *i* (a workout exported with
    :mod:`retrowalk.activities.workout` and walked on the watch comes back like this). Otherwise
    each planned backward part, in order, takes the next lap whose duration matches it. The
    walker can correct any lap afterwards.

Duplicates
    Two recordings are the same walk when they overlap in time for at least
    :data:`DUPLICATE_OVERLAP_SHARE` of the shorter one. Times are compared as aware UTC, so a
    file written in another time zone still matches.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

from retrowalk.activities.model import Lap
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction

__all__ = [
    "DUPLICATE_OVERLAP_SHARE",
    "MATCH_TOLERANCE_S",
    "MATCH_TOLERANCE_SHARE",
    "DirectionSource",
    "LapMatch",
    "PlanMatch",
    "best_plan_match",
    "durations_match",
    "match_laps",
    "overlap_s",
    "same_walk",
]

#: A lap matches a planned part when their durations differ by at most the larger of this many
#: seconds and :data:`MATCH_TOLERANCE_SHARE` of the part. A design choice, not a measured
#: figure: it absorbs a late lap-button press and a watch's auto-pause.
MATCH_TOLERANCE_S: Final = 10.0
#: See :data:`MATCH_TOLERANCE_S`.
MATCH_TOLERANCE_SHARE: Final = 0.10
#: Two recordings are one walk when they overlap for at least this share of the shorter one.
#: A design choice: a walk logged on the phone and recorded on the watch overlap almost wholly;
#: two sessions on one day overlap not at all.
DUPLICATE_OVERLAP_SHARE: Final = 0.5

DirectionSource = Literal["plan", "default", "walker"]


@dataclass(frozen=True, slots=True)
class LapMatch:
    """A lap's direction and where it came from.

    Attributes
    ----------
    direction
        Forward or backward.
    source
        ``"plan"`` (matched to a planned part), ``"default"`` (unmatched: forward) or
        ``"walker"`` (set by the walker).
    planned_position
        Index of the planned part the lap matched, or ``None``.
    """

    direction: Direction
    source: DirectionSource
    planned_position: int | None = None


@dataclass(frozen=True, slots=True)
class PlanMatch:
    """The laps of a recording matched to one planned session.

    Attributes
    ----------
    planned_session_id
        The planned session (``None`` when no lap matched any plan).
    laps
        One match per lap, in order.
    """

    planned_session_id: str | None
    laps: tuple[LapMatch, ...]

    @property
    def backward_matched(self) -> int:
        """Laps matched to a planned backward part."""
        return sum(1 for m in self.laps if m.source == "plan" and m.direction is Direction.BACKWARD)


def durations_match(lap_s: float, planned_s: float) -> bool:
    """Whether a lap of ``lap_s`` seconds can be a planned part of ``planned_s`` seconds."""
    tolerance = max(MATCH_TOLERANCE_S, MATCH_TOLERANCE_SHARE * planned_s)
    return abs(lap_s - planned_s) <= tolerance


def match_laps(laps: Sequence[Lap], planned: Sequence[PlannedSegment]) -> tuple[LapMatch, ...]:
    """Each lap's direction from one planned session (see the module's description)."""
    unmatched = LapMatch(Direction.FORWARD, "default")
    if len(laps) == len(planned) and all(
        durations_match(lap.duration_s, part.duration_s)
        for lap, part in zip(laps, planned, strict=True)
    ):
        return tuple(
            LapMatch(Direction(part.direction), "plan", index) for index, part in enumerate(planned)
        )
    matches = [unmatched] * len(laps)
    next_part = 0
    for index, lap in enumerate(laps):
        for position in range(next_part, len(planned)):
            part = planned[position]
            if part.direction is Direction.BACKWARD and durations_match(
                lap.duration_s, part.duration_s
            ):
                matches[index] = LapMatch(Direction.BACKWARD, "plan", position)
                next_part = position + 1
                break
    return tuple(matches)


def best_plan_match(
    laps: Sequence[Lap], candidates: Sequence[tuple[str, Sequence[PlannedSegment]]]
) -> PlanMatch:
    """The planned session (of ``candidates``: id and parts) whose backward parts match the most
    laps; all laps forward and no session when none matches."""
    best = PlanMatch(None, tuple(LapMatch(Direction.FORWARD, "default") for _ in laps))
    for planned_id, parts in candidates:
        found = PlanMatch(planned_id, match_laps(laps, parts))
        matched = sum(1 for m in found.laps if m.source == "plan")
        if found.backward_matched and matched > sum(1 for m in best.laps if m.source == "plan"):
            best = found
    return best


def overlap_s(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> float:
    """Seconds two time spans share (0 when apart)."""
    return max(0.0, (min(a_end, b_end) - max(a_start, b_start)).total_seconds())


def same_walk(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    """Whether two recordings are the same walk (see :data:`DUPLICATE_OVERLAP_SHARE`)."""
    shorter = min((a_end - a_start).total_seconds(), (b_end - b_start).total_seconds())
    if shorter <= 0:
        return a_start == b_start
    return overlap_s(a_start, a_end, b_start, b_end) >= DUPLICATE_OVERLAP_SHARE * shorter
