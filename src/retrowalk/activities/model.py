"""Recorded activities as RetroWalk reads them: an activity is a sequence of laps.

Every reader (:mod:`retrowalk.activities.readers`) turns a file into :class:`Activity` values;
everything after that (matching to the plan, duplicates, storage) works on these frozen
dataclasses only. Units are SI (s, m, m/s, percent grade, beats per minute) and every time is
timezone-aware UTC.

Where a file has no laps, laps are cut at the recording's pauses (:func:`laps_from_points`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from retrowalk.energy.model import GRADE_PCT_MAX, GRADE_PCT_MIN

__all__ = [
    "GRADE_DISTANCE_MIN_M",
    "PAUSE_GAP_S",
    "Activity",
    "Lap",
    "TrackPoint",
    "haversine_m",
    "lap_from_points",
    "laps_from_points",
]

#: A gap between two recorded points longer than this is a pause (a new lap starts after it).
#: A design choice, not a measured figure: watches record every 1 s or, in "smart" recording,
#: at most every few seconds, so a minute without a point means the recording was paused.
PAUSE_GAP_S: Final = 60.0
#: Shortest lap distance over which a grade is computed from elevation. Consumer GPS elevation
#: wanders by metres, so over a shorter distance the grade would be noise. A design choice.
GRADE_DISTANCE_MIN_M: Final = 50.0
#: Mean Earth radius (IUGG), m: for distances between GPS points.
EARTH_RADIUS_M: Final = 6_371_008.8


@dataclass(frozen=True, slots=True)
class TrackPoint:
    """One recorded point. Every value but ``time`` may be missing (``None``).

    Attributes
    ----------
    time
        When it was recorded (aware UTC).
    distance_m
        Distance from the start of the recording, as the device counted it.
    latitude_deg, longitude_deg
        WGS84 position, degrees.
    elevation_m
        Elevation, m.
    heart_rate_bpm
        Heart rate, beats per minute.
    """

    time: datetime
    distance_m: float | None = None
    latitude_deg: float | None = None
    longitude_deg: float | None = None
    elevation_m: float | None = None
    heart_rate_bpm: float | None = None


@dataclass(frozen=True, slots=True)
class Lap:
    """One lap (or the stretch between two pauses) of a recording.

    Attributes
    ----------
    start
        When it started (aware UTC).
    duration_s
        Time moving (timer time, pauses excluded), s; above 0.
    distance_m
        Distance, m, or ``None`` when the file has none.
    speed_m_s
        Mean speed, m/s (the device's, else distance / duration), or ``None``.
    grade_pct
        Mean grade from the elevation change over the lap, percent, or ``None`` (no elevation,
        or a lap shorter than :data:`GRADE_DISTANCE_MIN_M`).
    heart_rate_bpm
        Mean heart rate, or ``None``.
    energy_kcal
        The device's energy figure for the lap, kcal, or ``None``.
    """

    start: datetime
    duration_s: float
    distance_m: float | None = None
    speed_m_s: float | None = None
    grade_pct: float | None = None
    heart_rate_bpm: float | None = None
    energy_kcal: float | None = None

    @property
    def end(self) -> datetime:
        """When it ended (start plus duration)."""
        return self.start + timedelta(seconds=self.duration_s)


@dataclass(frozen=True, slots=True)
class Activity:
    """One recorded activity with its laps, in order.

    Attributes
    ----------
    file_format
        ``"fit"``, ``"gpx"``, ``"tcx"`` or ``"apple_health"``.
    laps
        The laps, in time order (at least one).
    sport
        The sport the file names, lower case (``"walking"``, ``"hiking"``, ``"running"``,
        ``"cycling"`` ...), or ``None`` when it names none.
    treadmill
        Whether the file says it was walked on a treadmill.
    device
        The recording device or app, or ``None``.
    energy_kcal
        The device's energy figure for the whole activity, kcal, or ``None``.
    position
        Index of the activity in its file (files may hold several).
    """

    file_format: str
    laps: tuple[Lap, ...]
    sport: str | None = None
    treadmill: bool = False
    device: str | None = None
    energy_kcal: float | None = None
    position: int = 0

    @property
    def start(self) -> datetime:
        """Start of the first lap."""
        return self.laps[0].start

    @property
    def end(self) -> datetime:
        """End of the last lap."""
        return max(lap.end for lap in self.laps)

    @property
    def duration_s(self) -> float:
        """Time moving, s (sum of the laps)."""
        return float(sum(lap.duration_s for lap in self.laps))

    @property
    def distance_m(self) -> float | None:
        """Distance, m; ``None`` unless every lap has one."""
        if any(lap.distance_m is None for lap in self.laps):
            return None
        return float(sum(lap.distance_m or 0.0 for lap in self.laps))

    @property
    def lap_energy_kcal(self) -> float | None:
        """The device's energy: its total, else the sum of its lap figures, else ``None``."""
        if self.energy_kcal is not None:
            return self.energy_kcal
        if self.laps and all(lap.energy_kcal is not None for lap in self.laps):
            return float(sum(lap.energy_kcal or 0.0 for lap in self.laps))
        return None


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance between two WGS84 points, m (spherical Earth)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def _distance_m(points: Sequence[TrackPoint]) -> float | None:
    first, last = points[0].distance_m, points[-1].distance_m
    if first is not None and last is not None and last >= first:
        return last - first
    located = [
        (p.latitude_deg, p.longitude_deg)
        for p in points
        if p.latitude_deg is not None and p.longitude_deg is not None
    ]
    if len(located) < 2:
        return None
    return sum(haversine_m(a[0], a[1], b[0], b[1]) for a, b in itertools.pairwise(located))


def grade_pct(rise_m: float | None, distance_m: float | None) -> float | None:
    """Mean grade, percent, of a lap that rose ``rise_m`` over ``distance_m``; ``None`` when
    either is missing, the lap is shorter than :data:`GRADE_DISTANCE_MIN_M`, or the result is
    outside the energy model's accepted grades (elevation noise, not a walkable slope)."""
    if rise_m is None or distance_m is None or distance_m < GRADE_DISTANCE_MIN_M:
        return None
    grade = 100.0 * rise_m / distance_m
    return grade if GRADE_PCT_MIN <= grade <= GRADE_PCT_MAX else None


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def lap_from_points(
    points: Sequence[TrackPoint],
    *,
    start: datetime | None = None,
    duration_s: float | None = None,
    distance_m: float | None = None,
    speed_m_s: float | None = None,
    heart_rate_bpm: float | None = None,
    energy_kcal: float | None = None,
) -> Lap | None:
    """A lap from its recorded points; figures the file states for the lap win over those
    computed from the points. ``None`` when the lap has no time (empty and no duration)."""
    if points:
        start = start or points[0].time
        if duration_s is None:
            duration_s = (points[-1].time - points[0].time).total_seconds()
        if distance_m is None:
            distance_m = _distance_m(points)
        if heart_rate_bpm is None:
            heart_rate_bpm = _mean(p.heart_rate_bpm for p in points)
        elevations = [p.elevation_m for p in points if p.elevation_m is not None]
        rise = elevations[-1] - elevations[0] if len(elevations) >= 2 else None
    else:
        rise = None
    if start is None or duration_s is None or not duration_s > 0:
        return None
    if speed_m_s is None and distance_m is not None:
        speed_m_s = distance_m / duration_s
    return Lap(
        start=start,
        duration_s=float(duration_s),
        distance_m=distance_m,
        speed_m_s=speed_m_s if speed_m_s is None or speed_m_s > 0 else None,
        grade_pct=grade_pct(rise, distance_m),
        heart_rate_bpm=heart_rate_bpm,
        energy_kcal=energy_kcal,
    )


def laps_from_points(
    points: Sequence[TrackPoint],
    *,
    breaks: Sequence[datetime] = (),
    pause_gap_s: float = PAUSE_GAP_S,
) -> tuple[Lap, ...]:
    """Cut a recording into laps at its pauses.

    A new lap starts at each time in ``breaks`` (e.g. a FIT timer restarting) and after every gap
    between points longer than ``pause_gap_s``. Points must be in time order.
    """
    laps: list[Lap] = []
    pending = sorted(breaks)
    run: list[TrackPoint] = []
    for point in points:
        cut = bool(run) and (point.time - run[-1].time).total_seconds() > pause_gap_s
        while pending and pending[0] <= point.time:
            pending.pop(0)
            cut = cut or bool(run)
        if cut:
            lap = lap_from_points(run)
            if lap is not None:
                laps.append(lap)
            run = []
        run.append(point)
    lap = lap_from_points(run)
    if lap is not None:
        laps.append(lap)
    return tuple(laps)
