"""Apple Health exports (``export.zip`` or its ``export.xml``), streamed.

An export holds every sample the phone ever stored and reaches gigabytes, so it is never loaded:
the XML is streamed through expat (the standard library's parser, which refuses entity-expansion
attacks) straight from the zip member, and only the ``Workout`` elements being read are kept,
so memory stays bounded whatever the file's size (``bench/import_scale.py``).

Walking and hiking workouts become activities; other workouts are skipped and counted. Laps come
from the workout's lap (or segment) events, else from its pause and resume events. Apple's
workout-level figures (distance, active energy, mean heart rate) are given to a lap only when the
workout has one lap: the export does not split them by lap.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, ClassVar, Final
from xml.parsers import expat

from retrowalk.activities.model import Activity, Lap
from retrowalk.errors import ImportFileError

__all__ = ["WALKING_WORKOUT_TYPES", "AppleHealthReader", "parse_apple_time"]

#: HealthKit workout types read as walks (HKWorkoutActivityType names).
WALKING_WORKOUT_TYPES: Final = {
    "HKWorkoutActivityTypeWalking": "walking",
    "HKWorkoutActivityTypeHiking": "hiking",
}
#: Metres in one international mile (exact, 1959 agreement).
M_PER_MILE: Final = 1609.344
#: Kilojoules in one kilocalorie (thermochemical calorie, exact).
KJ_PER_KCAL: Final = 4.184

_SECONDS: Final = {"s": 1.0, "sec": 1.0, "min": 60.0, "hr": 3600.0, "h": 3600.0}
_METRES: Final = {"m": 1.0, "km": 1000.0, "mi": M_PER_MILE}
_KCAL: Final = {"kcal": 1.0, "cal": 1.0, "kj": 1.0 / KJ_PER_KCAL}
_PAUSES: Final = {"HKWorkoutEventTypePause", "HKWorkoutEventTypeMotionPaused"}
_RESUMES: Final = {"HKWorkoutEventTypeResume", "HKWorkoutEventTypeMotionResumed"}
_READ_CHUNK_BYTES: Final = 1 << 20


def parse_apple_time(text: str) -> datetime:
    """A HealthKit export time (``2024-05-01 08:00:00 +0200``) as aware UTC."""

    return datetime.strptime(text.strip(), "%Y-%m-%d %H:%M:%S %z").astimezone(UTC)


def _quantity(value: str | None, unit: str | None, units: dict[str, float]) -> float | None:
    if value is None:
        return None
    factor = units.get((unit or "").strip().lower())
    if factor is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number * factor


@dataclass
class _Workout:
    attrs: dict[str, str]
    events: list[dict[str, str]] = field(default_factory=list)
    statistics: list[dict[str, str]] = field(default_factory=list)


@dataclass
class _Scan:
    workouts: list[Activity] = field(default_factory=list)
    skipped: int = 0
    current: _Workout | None = None
    seen_root: bool = False


def _laps(workout: _Workout) -> tuple[Lap, ...]:
    attrs = workout.attrs
    start = parse_apple_time(attrs["startDate"])
    end = parse_apple_time(attrs["endDate"])
    marked = []
    for kind in ("HKWorkoutEventTypeLap", "HKWorkoutEventTypeSegment"):
        marked = [e for e in workout.events if e.get("type") == kind and "date" in e]
        if len(marked) >= 2:
            break
    intervals: list[tuple[datetime, float]] = []
    if len(marked) >= 2:
        for event in marked:
            at = parse_apple_time(event["date"])
            seconds = _quantity(event.get("duration"), event.get("durationUnit"), _SECONDS)
            if seconds is not None and seconds > 0:
                intervals.append((at, seconds))
    else:
        running_from: datetime | None = start
        timeline = sorted(
            (parse_apple_time(e["date"]), e["type"])
            for e in workout.events
            if e.get("type") in _PAUSES | _RESUMES and "date" in e
        )
        for at, kind in timeline:
            if kind in _PAUSES and running_from is not None:
                intervals.append((running_from, (at - running_from).total_seconds()))
                running_from = None
            elif kind in _RESUMES and running_from is None:
                running_from = at
        if running_from is not None:
            intervals.append((running_from, (end - running_from).total_seconds()))
    intervals = [(at, seconds) for at, seconds in intervals if seconds > 0]
    if not intervals:
        seconds = _quantity(attrs.get("duration"), attrs.get("durationUnit"), _SECONDS)
        if seconds is None:
            seconds = (end - start).total_seconds()
        intervals = [(start, seconds)] if seconds > 0 else []
    distance = _quantity(attrs.get("totalDistance"), attrs.get("totalDistanceUnit"), _METRES)
    energy = _quantity(attrs.get("totalEnergyBurned"), attrs.get("totalEnergyBurnedUnit"), _KCAL)
    heart_rate = None
    for stat in workout.statistics:
        kind = stat.get("type", "")
        if kind.endswith("DistanceWalkingRunning") and distance is None:
            distance = _quantity(stat.get("sum"), stat.get("unit"), _METRES)
        elif kind.endswith("ActiveEnergyBurned") and energy is None:
            energy = _quantity(stat.get("sum"), stat.get("unit"), _KCAL)
        elif kind.endswith("HeartRate") and stat.get("average"):
            try:
                heart_rate = float(stat["average"])
            except ValueError:
                heart_rate = None
    if len(intervals) != 1:
        return tuple(Lap(start=at, duration_s=seconds) for at, seconds in sorted(intervals))
    at, seconds = intervals[0]
    return (
        Lap(
            start=at,
            duration_s=seconds,
            distance_m=distance,
            speed_m_s=None if distance is None else distance / seconds,
            heart_rate_bpm=heart_rate,
            energy_kcal=energy,
        ),
    )


def _energy(workout: _Workout) -> float | None:
    attrs = workout.attrs
    energy = _quantity(attrs.get("totalEnergyBurned"), attrs.get("totalEnergyBurnedUnit"), _KCAL)
    if energy is None:
        for stat in workout.statistics:
            if stat.get("type", "").endswith("ActiveEnergyBurned"):
                energy = _quantity(stat.get("sum"), stat.get("unit"), _KCAL)
    return energy


class AppleHealthReader:
    """Reads the walking workouts of an Apple Health export (zip or XML), streamed."""

    file_format: ClassVar[str] = "apple_health"
    suffixes: ClassVar[tuple[str, ...]] = (".zip", ".xml")

    def read(self, path: Path) -> tuple[Activity, ...]:
        """The walking and hiking workouts, oldest first."""
        with path.open("rb") as head:
            zipped = head.read(4) == b"PK\x03\x04"
        if zipped:
            with zipfile.ZipFile(path) as archive:
                member = self._member(path, archive)
                with archive.open(member) as stream:
                    scan = self._scan(path, stream)
        else:
            with path.open("rb") as stream:
                scan = self._scan(path, stream)
        if not scan.workouts:
            others = f" ({scan.skipped} workouts of other kinds)" if scan.skipped else ""
            raise ImportFileError(path.name, f"no walking workout in the export{others}")
        ordered = sorted(scan.workouts, key=lambda a: a.start)
        return tuple(
            Activity(
                file_format=a.file_format,
                laps=a.laps,
                sport=a.sport,
                device=a.device,
                energy_kcal=a.energy_kcal,
                position=i,
            )
            for i, a in enumerate(ordered)
        )

    @staticmethod
    def _member(path: Path, archive: zipfile.ZipFile) -> str:
        names = [
            n
            for n in archive.namelist()
            if n.lower().endswith(".xml")
            and "export_cda" not in n.lower()
            and "/" + n.lower().rsplit("/", 1)[-1] in ("/export.xml",)
        ]
        if not names:
            raise ImportFileError(
                path.name,
                "a zip without apple_health_export/export.xml: not an Apple Health export",
            )
        return names[0]

    def _scan(self, path: Path, stream: IO[bytes]) -> _Scan:
        scan = _Scan()
        parser = expat.ParserCreate()
        parser.StartElementHandler = self._start(scan, path)
        parser.EndElementHandler = self._end(scan)
        problem = "not well-formed"
        try:
            while chunk := stream.read(_READ_CHUNK_BYTES):
                parser.Parse(chunk, False)
            problem = "truncated"  # an error only at the end: the file stops mid-way
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise ImportFileError(path.name, f"{problem} Apple Health XML ({exc})") from None
        except (KeyError, ValueError) as exc:
            raise ImportFileError(path.name, f"a workout with a bad date ({exc})") from None
        if not scan.seen_root:
            raise ImportFileError(path.name, "no HealthData element: not an Apple Health export")
        return scan

    @staticmethod
    def _start(scan: _Scan, path: Path) -> Callable[[str, dict[str, str]], None]:
        def start(name: str, attrs: dict[str, str]) -> None:
            if name == "Workout":
                scan.current = _Workout(dict(attrs))
            elif scan.current is not None:
                if name == "WorkoutEvent":
                    scan.current.events.append(dict(attrs))
                elif name == "WorkoutStatistics":
                    scan.current.statistics.append(dict(attrs))
            elif name == "HealthData":
                scan.seen_root = True

        return start

    def _end(self, scan: _Scan) -> Callable[[str], None]:
        def end(name: str) -> None:
            if name != "Workout" or scan.current is None:
                return
            workout, scan.current = scan.current, None
            sport = WALKING_WORKOUT_TYPES.get(workout.attrs.get("workoutActivityType", ""))
            if sport is None:
                scan.skipped += 1
                return
            laps = _laps(workout)
            if laps:
                scan.workouts.append(
                    Activity(
                        file_format=self.file_format,
                        laps=laps,
                        sport=sport,
                        device=workout.attrs.get("sourceName"),
                        energy_kcal=_energy(workout),
                    )
                )

        return end
