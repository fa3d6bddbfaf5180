"""Apple Health exports (``export.zip`` or its ``export.xml``), streamed.

An export holds every sample the phone ever stored and reaches gigabytes, so it is never loaded:
the XML is streamed through expat (the standard library's parser, which refuses entity-expansion
attacks) straight from the zip member, and only the ``Workout`` elements being read are kept,
so memory stays bounded whatever the file's size (``bench/import_scale.py``).

Walking and hiking workouts become activities; other workouts are skipped and counted. Laps come
from the workout's lap (or segment) events, else from its pause and resume events. Apple's
workout-level figures (distance, active energy, mean heart rate) are given to a lap only when the
workout has one lap: the export does not split them by lap.

Lap distances of a workout with several laps come from the export's distance samples
(``Record`` elements of type ``HKQuantityTypeIdentifierDistanceWalkingRunning``) recorded by the
device that recorded the workout (its ``sourceName``: the phone and the watch both log distance
for the same steps, so mixing them would count it twice). A sample is shared between laps in
proportion to its time inside each. Apple writes the samples before the workouts, so they are
read in a second streamed pass, only when some workout has several laps; memory stays bounded
(only the laps' time windows are kept). A lap that no sample covers keeps no distance.
"""

from __future__ import annotations

import bisect
import dataclasses
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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
#: HealthKit's distance samples of walking and running.
DISTANCE_RECORD_TYPE: Final = "HKQuantityTypeIdentifierDistanceWalkingRunning"


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


@dataclass
class _LapWindows:
    """The laps of multi-lap workouts, sorted by start, and the metres found in each."""

    #: (start, end, source name, workout index, lap index), start and end in Unix seconds.
    windows: list[tuple[float, float, str, int, int]]
    metres: dict[tuple[int, int], float] = field(default_factory=dict)
    longest_s: float = 0.0

    def __post_init__(self) -> None:
        self.windows.sort()
        self._starts = [w[0] for w in self.windows]
        self.longest_s = max((w[1] - w[0] for w in self.windows), default=0.0)

    def add(self, source: str, start_s: float, end_s: float, metres: float) -> None:
        """Share a sample of ``metres`` over ``start_s``-``end_s`` between the laps it covers."""
        span = end_s - start_s
        first = bisect.bisect_left(self._starts, start_s - self.longest_s)
        for lap_start, lap_end, lap_source, workout, lap in self.windows[first:]:
            if lap_start > end_s or (span > 0 and lap_start >= end_s):
                break
            if lap_source != source:
                continue
            if span > 0:
                share = max(0.0, min(end_s, lap_end) - max(start_s, lap_start)) / span
            else:
                share = 1.0 if lap_start <= start_s < lap_end else 0.0
            if share > 0:
                key = (workout, lap)
                self.metres[key] = self.metres.get(key, 0.0) + metres * share


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
        with self._open(path) as stream:
            scan = self._scan(path, stream)
        if not scan.workouts:
            others = f" ({scan.skipped} workouts of other kinds)" if scan.skipped else ""
            raise ImportFileError(path.name, f"no walking workout in the export{others}")
        windows = _LapWindows(
            [
                (lap.start.timestamp(), lap.end.timestamp(), a.device or "", index, number)
                for index, a in enumerate(scan.workouts)
                if len(a.laps) > 1
                for number, lap in enumerate(a.laps)
            ]
        )
        if windows.windows:
            with self._open(path) as stream:
                self._stream(path, stream, self._distance_record(windows), None)
            scan.workouts = [
                _with_lap_distances(a, i, windows) for i, a in enumerate(scan.workouts)
            ]
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

    @contextmanager
    def _open(self, path: Path) -> Iterator[IO[bytes]]:
        """The export's XML as a byte stream (from the zip member, or the file itself)."""
        with path.open("rb") as head:
            zipped = head.read(4) == b"PK\x03\x04"
        if zipped:
            with zipfile.ZipFile(path) as archive:
                member = self._member(path, archive)
                with archive.open(member) as stream:
                    yield stream
        else:
            with path.open("rb") as stream:
                yield stream

    @staticmethod
    def _distance_record(windows: _LapWindows) -> Callable[[str, dict[str, str]], None]:
        def start(name: str, attrs: dict[str, str]) -> None:
            if name != "Record" or attrs.get("type") != DISTANCE_RECORD_TYPE:
                return
            metres = _quantity(attrs.get("value"), attrs.get("unit"), _METRES)
            if metres is None or metres < 0 or "startDate" not in attrs:
                return
            begin = parse_apple_time(attrs["startDate"]).timestamp()
            end = parse_apple_time(attrs.get("endDate", attrs["startDate"])).timestamp()
            if end >= begin:
                windows.add(attrs.get("sourceName", ""), begin, end, metres)

        return start

    def _scan(self, path: Path, stream: IO[bytes]) -> _Scan:
        scan = _Scan()
        self._stream(path, stream, self._start(scan, path), self._end(scan))
        if not scan.seen_root:
            raise ImportFileError(path.name, "no HealthData element: not an Apple Health export")
        return scan

    @staticmethod
    def _stream(
        path: Path,
        stream: IO[bytes],
        start: Callable[[str, dict[str, str]], None],
        end: Callable[[str], None] | None,
    ) -> None:
        parser = expat.ParserCreate()
        parser.StartElementHandler = start
        if end is not None:
            parser.EndElementHandler = end
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


def _with_lap_distances(activity: Activity, index: int, windows: _LapWindows) -> Activity:
    """``activity`` with each lap's distance and speed from the distance samples found."""
    if len(activity.laps) < 2:
        return activity
    laps = []
    for number, lap in enumerate(activity.laps):
        metres = windows.metres.get((index, number))
        if metres is None or lap.duration_s <= 0:
            laps.append(lap)
        else:
            laps.append(
                dataclasses.replace(lap, distance_m=metres, speed_m_s=metres / lap.duration_s)
            )
    return dataclasses.replace(activity, laps=tuple(laps))
