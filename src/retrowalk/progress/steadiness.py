"""Steadiness over weeks, with the smallest change the data can detect.

Each session with a motion recording gives one figure: the **step regularity** of its backward
walking (Moe-Nilssen & Helbostad 2004; :mod:`retrowalk.motion.steadiness`), the mean over its
backward segments weighted by their walking time. Only sessions with at least
:data:`STEADINESS_MIN_WALKING_S` of analysed backward walking count: the repeatability below was
measured on walks that long. Each week's figure is the mean of its sessions; the change is the
last week with a figure minus the first one shown.

A change counts as real only when it is larger than the minimal detectable change,
MDC95 = 1.96 × √2 × SEM, where SEM (the standard error of measurement) comes from repeated walks
of the same person: SEM = SD(difference) / √2 (Weir, J Strength Cond Res 19:231-240, 2005;
Haley & Fragala-Pinkham, Phys Ther 86:735-743, 2006). Two sources, the walker's own first:

- **The walker's own sessions**: the odd-numbered and the even-numbered backward intervals of
  one session are two repeated walks. With at least :data:`PERSONAL_MDC_MIN_SESSIONS` such
  sessions, their differences give the walker's own MDC.
- Otherwise :data:`STEP_REGULARITY_MDC95`, measured by ``bench/steadiness_repeatability.py`` on
  the Oxford Step Counter data (first versus second half of 24 phone recordings of 2 people).

Both are repeats within one session, so day-to-day variation is left out and the MDC is a lower
bound of the change between weeks: "no real change yet" below it is the honest reading.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final, Literal

from retrowalk.progress.model import week_start

__all__ = [
    "PERSONAL_MDC_MIN_SESSIONS",
    "STEADINESS_MIN_WALKING_S",
    "STEP_REGULARITY_MDC95",
    "SessionSteadiness",
    "SteadinessTrend",
    "WeekSteadiness",
    "mdc95_from_pairs",
    "session_steadiness",
    "steadiness_trend",
]

#: MDC95 of a session's step regularity (unitless, 0-1): 1.96 × √2 × SEM with SEM = 0.025 from
#: the first and second halves (53-110 s of walking each) of the 24 Oxford Step Counter phone
#: recordings in ``data/oxford-step-counter`` (2 people × 12). Reproduced by
#: ``bench/steadiness_repeatability.py`` (0.069, rounded to 0.07). The same bench gives 0.26 on
#: the IPOL 10 m walks (about 14 steps each): shorter walks vary much more.
STEP_REGULARITY_MDC95: Final = 0.07
#: Backward walking analysed in a session (s) for it to enter the trend: about the shortest half
#: of the Oxford recordings the MDC was measured on (53 s). Policy value.
STEADINESS_MIN_WALKING_S: Final = 60.0
#: Sessions with two halves needed before the walker's own MDC replaces the data set's (a
#: standard deviation from fewer pairs is too uncertain). Policy value.
PERSONAL_MDC_MIN_SESSIONS: Final = 8
#: 1.96 × √2: MDC95 = this × SEM.
_MDC95_FACTOR: Final = 1.96 * math.sqrt(2.0)

Verdict = Literal["steadier", "less_steady", "no_real_change", "not_enough_data"]


@dataclass(frozen=True, slots=True)
class SessionSteadiness:
    """One session's backward step regularity and, when it had 2+ backward intervals with a
    figure, the regularity of its odd and even intervals (its two repeated walks)."""

    day: date
    step_regularity: float
    walking_s: float
    halves: tuple[float, float] | None = None


@dataclass(frozen=True, slots=True)
class WeekSteadiness:
    """A week's mean step regularity, or ``None`` when no session counted."""

    week_start: date
    step_regularity: float | None
    sessions: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "week_start": self.week_start.isoformat(),
            "step_regularity": self.step_regularity,
            "sessions": self.sessions,
        }


@dataclass(frozen=True, slots=True)
class SteadinessTrend:
    """Weekly steadiness, its change and whether the change is larger than the MDC."""

    weeks: tuple[WeekSteadiness, ...]
    mdc: float
    mdc_source: Literal["yours", "data_set"]
    mdc_sessions: int
    change: float | None
    verdict: Verdict

    @property
    def sentence(self) -> str:
        """The reading in plain words."""
        if self.verdict == "not_enough_data":
            counted = sum(w.sessions for w in self.weeks)
            if counted == 0:
                return (
                    "No steadiness yet: record a session with the phone (at least "
                    f"{STEADINESS_MIN_WALKING_S / 60:g} min of backward walking)."
                )
            return "One week with a recorded session so far: a trend needs two."
        assert self.change is not None
        size = f"{self.change:+.2f} (smallest real change {self.mdc:.2f})"
        if self.verdict == "no_real_change":
            return f"No real change yet: {size}."
        if self.verdict == "steadier":
            return f"Steadier walking backward: {size}."
        return f"Less steady walking backward: {size}. Take care, and tell your clinician."

    @property
    def mdc_note(self) -> str:
        if self.mdc_source == "yours":
            return (
                f"Smallest real change from {self.mdc_sessions} of your sessions "
                "(their odd and even backward intervals compared)."
            )
        return (
            "Smallest real change from repeated phone walks of 2 people (Oxford Step Counter "
            "data); your own replaces it after "
            f"{PERSONAL_MDC_MIN_SESSIONS} recorded sessions with 2 or more backward intervals."
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "measure": "step_regularity_backward",
            "weeks": [w.to_dict() for w in self.weeks],
            "mdc": self.mdc,
            "mdc_source": self.mdc_source,
            "mdc_sessions": self.mdc_sessions,
            "change": self.change,
            "verdict": self.verdict,
            "sentence": self.sentence,
            "mdc_note": self.mdc_note,
        }


def session_steadiness(day: date, analysis: Mapping[str, Any]) -> SessionSteadiness | None:
    """A session's figure from its recording's stored analysis (``None`` when too little
    backward walking was analysed)."""
    parts = [
        (float(seg["step_regularity"]), float(seg.get("walking_s") or 0.0))
        for seg in analysis.get("segments", ())
        if seg.get("planned_direction") == "backward"
        and seg.get("step_regularity") is not None
        and (seg.get("walking_s") or 0.0) > 0
    ]
    walking_s = sum(w for _, w in parts)
    if walking_s < STEADINESS_MIN_WALKING_S:
        return None

    def mean(items: Sequence[tuple[float, float]]) -> float:
        return sum(v * w for v, w in items) / sum(w for _, w in items)

    halves = None
    if len(parts) >= 2:
        halves = (mean(parts[0::2]), mean(parts[1::2]))
    return SessionSteadiness(day, mean(parts), walking_s, halves)


def mdc95_from_pairs(pairs: Sequence[tuple[float, float]]) -> float:
    """MDC95 = 1.96 × √2 × SEM, SEM = SD(second − first) / √2 (at least 2 pairs)."""
    if len(pairs) < 2:
        raise ValueError("an MDC needs at least 2 pairs")
    sem = statistics.stdev([b - a for a, b in pairs]) / math.sqrt(2.0)
    return _MDC95_FACTOR * sem


def steadiness_trend(
    sessions: Sequence[SessionSteadiness],
    *,
    today: date,
    weeks: int,
    history: Sequence[SessionSteadiness] = (),
) -> SteadinessTrend:
    """Weekly figures for the ``weeks`` weeks ending with ``today``'s, and the change.

    ``history``: every session with a figure (any date) for the walker's own MDC; ``sessions``
    are those shown (outside the weeks they are left out).
    """
    first = week_start(today) - timedelta(weeks=weeks - 1)
    by_week: dict[date, list[float]] = {}
    for one in sessions:
        start = week_start(one.day)
        if first <= start <= week_start(today):
            by_week.setdefault(start, []).append(one.step_regularity)
    rows = tuple(
        WeekSteadiness(
            start,
            statistics.fmean(by_week[start]) if start in by_week else None,
            len(by_week.get(start, ())),
        )
        for start in (first + timedelta(weeks=k) for k in range(weeks))
    )
    pairs = [one.halves for one in history if one.halves is not None]
    source: Literal["yours", "data_set"] = "data_set"
    mdc = STEP_REGULARITY_MDC95
    if len(pairs) >= PERSONAL_MDC_MIN_SESSIONS:
        mdc, source = mdc95_from_pairs(pairs), "yours"
    shown = [w.step_regularity for w in rows if w.step_regularity is not None]
    change: float | None = None
    verdict: Verdict = "not_enough_data"
    if len(shown) >= 2:
        change = shown[-1] - shown[0]
        if abs(change) <= mdc:
            verdict = "no_real_change"
        else:
            verdict = "steadier" if change > 0 else "less_steady"
    return SteadinessTrend(
        rows, mdc, source, len(pairs) if source == "yours" else 0, change, verdict
    )
