"""TCX files (Garmin Training Center, Polar, Suunto, MapMyRide exports): laps as the file
gives them, read with the standard library's XML parser (expat, which refuses entity
expansion attacks since Python 3.7.1 / expat 2.4.1).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import ClassVar
from xml.etree import ElementTree

from retrowalk.activities.gpx import sport_of
from retrowalk.activities.model import Activity, Lap, TrackPoint, lap_from_points
from retrowalk.errors import ImportFileError

__all__ = ["TcxReader", "parse_tcx_time"]


def parse_tcx_time(text: str | None) -> datetime | None:
    """An xsd:dateTime as aware UTC (``Z`` or an offset; no zone is read as UTC)."""
    if not text:
        return None
    value = text.strip()
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _float(element: ElementTree.Element | None) -> float | None:
    if element is None or element.text is None:
        return None
    try:
        return float(element.text)
    except ValueError:
        return None


class TcxReader:
    """Reads TCX activities (one per ``Activity`` element)."""

    file_format: ClassVar[str] = "tcx"
    suffixes: ClassVar[tuple[str, ...]] = (".tcx",)

    def read(self, path: Path) -> tuple[Activity, ...]:
        """The activities of a TCX file, with their laps."""
        try:
            root = ElementTree.parse(path).getroot()
        except ElementTree.ParseError as exc:
            raise ImportFileError(path.name, f"not well-formed TCX ({exc})") from None
        activities = []
        untimed = False
        for position, element in enumerate(root.iterfind("{*}Activities/{*}Activity")):
            laps: list[Lap] = []
            for lap_element in element.iterfind("{*}Lap"):
                points = []
                for point in lap_element.iterfind("{*}Track/{*}Trackpoint"):
                    time = parse_tcx_time(point.findtext("{*}Time"))
                    if time is None:
                        untimed = True
                        continue
                    points.append(
                        TrackPoint(
                            time=time,
                            distance_m=_float(point.find("{*}DistanceMeters")),
                            latitude_deg=_float(point.find("{*}Position/{*}LatitudeDegrees")),
                            longitude_deg=_float(point.find("{*}Position/{*}LongitudeDegrees")),
                            elevation_m=_float(point.find("{*}AltitudeMeters")),
                            heart_rate_bpm=_float(point.find("{*}HeartRateBpm/{*}Value")),
                        )
                    )
                points.sort(key=lambda p: p.time)
                start = parse_tcx_time(lap_element.get("StartTime"))
                if start is None and points:
                    start = points[0].time
                lap = lap_from_points(
                    points,
                    start=start,
                    duration_s=_float(lap_element.find("{*}TotalTimeSeconds")),
                    distance_m=_float(lap_element.find("{*}DistanceMeters")),
                    heart_rate_bpm=_float(lap_element.find("{*}AverageHeartRateBpm/{*}Value")),
                    energy_kcal=_float(lap_element.find("{*}Calories")),
                )
                if lap is not None:
                    laps.append(lap)
            if not laps:
                continue
            creator = element.findtext("{*}Creator/{*}Name")
            energies = [lap.energy_kcal for lap in laps]
            activities.append(
                Activity(
                    file_format=self.file_format,
                    laps=tuple(sorted(laps, key=lambda lap: lap.start)),
                    sport=sport_of(element.get("Sport")),
                    device=creator.strip() if creator else None,
                    energy_kcal=None
                    if any(e is None for e in energies)
                    else sum(e or 0.0 for e in energies),
                    position=position,
                )
            )
        if not activities:
            problem = "laps without times" if untimed else "no activity with timed laps"
            raise ImportFileError(path.name, f"{problem}: an empty TCX file")
        return tuple(activities)
