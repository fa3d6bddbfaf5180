"""GPX tracks (phones, Strava exports, most watches' "export GPX"), read with ``gpxpy``.

Each track is one activity; each track segment (apps start a new one after a pause) is cut
further at gaps longer than :data:`~retrowalk.activities.model.PAUSE_GAP_S`. GPX times are UTC
by the GPX 1.1 schema; a time written without a zone is read as UTC. Heart rate comes from the
Garmin TrackPointExtension (``gpxtpx:hr``) where present.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar

from retrowalk.activities.model import Activity, Lap, TrackPoint, laps_from_points
from retrowalk.errors import ImportFileError

__all__ = ["GpxReader", "sport_of"]


def sport_of(text: str | None) -> str | None:
    """A sport named in free text (GPX ``<type>``, TCX ``Sport``), in RetroWalk's words."""
    if not text:
        return None
    lowered = text.strip().lower()
    for word, sport in (
        ("walk", "walking"),
        ("hik", "hiking"),
        ("run", "running"),
        ("cycl", "cycling"),
        ("bik", "cycling"),
        ("ride", "cycling"),
        ("swim", "swimming"),
        ("ski", "skiing"),
    ):
        if word in lowered:
            return sport
    return "other" if lowered == "other" else lowered


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=UTC)  # GPX 1.1: times are UTC
    return value.astimezone(UTC)


def _heart_rate(extensions: list[Any]) -> float | None:
    for element in extensions:
        for child in element.iter():
            tag = str(child.tag).rsplit("}", 1)[-1].lower()
            if tag in ("hr", "heartrate") and child.text:
                try:
                    return float(child.text)
                except ValueError:
                    return None
    return None


class GpxReader:
    """Reads GPX tracks (``gpxpy``)."""

    file_format: ClassVar[str] = "gpx"
    suffixes: ClassVar[tuple[str, ...]] = (".gpx",)

    def read(self, path: Path) -> tuple[Activity, ...]:
        """One activity per track with timed points."""
        import gpxpy
        import gpxpy.gpx

        try:
            with path.open(encoding="utf-8-sig", errors="strict") as handle:
                document = gpxpy.parse(handle)
        except gpxpy.gpx.GPXXMLSyntaxException as exc:
            detail = " ".join(str(exc).split())[:120]
            raise ImportFileError(path.name, f"not well-formed GPX ({detail})") from None
        except gpxpy.gpx.GPXException as exc:
            raise ImportFileError(path.name, f"invalid GPX ({exc})") from None
        except UnicodeDecodeError:
            raise ImportFileError(path.name, "not UTF-8 text: not a GPX file") from None
        tracks = [t for t in document.tracks if any(s.points for s in t.segments)]
        if not tracks:
            what = "routes or waypoints only" if document.routes or document.waypoints else "none"
            raise ImportFileError(path.name, f"no track points ({what}): an empty track")
        creator = document.creator or None
        activities = []
        untimed = 0
        for position, track in enumerate(tracks):
            laps: list[Lap] = []
            for segment in track.segments:
                points = [
                    TrackPoint(
                        time=time,
                        latitude_deg=p.latitude,
                        longitude_deg=p.longitude,
                        elevation_m=p.elevation,
                        heart_rate_bpm=_heart_rate(p.extensions),
                    )
                    for p in segment.points
                    if (time := _utc(p.time)) is not None
                ]
                untimed += len(segment.points) - len(points)
                points.sort(key=lambda p: p.time)
                laps.extend(laps_from_points(points))
            if laps:
                activities.append(
                    Activity(
                        file_format=self.file_format,
                        laps=tuple(sorted(laps, key=lambda lap: lap.start)),
                        sport=sport_of(track.type),
                        device=creator,
                        position=position,
                    )
                )
        if not activities:
            problem = "track points without times" if untimed else "no timed stretch of track"
            raise ImportFileError(path.name, f"{problem}: nothing to import")
        return tuple(activities)
