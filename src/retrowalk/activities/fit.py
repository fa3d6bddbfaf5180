"""FIT activity files (Garmin, Coros, Wahoo, Suunto, Zwift ...), read with ``fitdecode``.

Laps come from the file's ``lap`` messages; a file with at most one lap is cut at its pauses
(timer stop/start events, or gaps between records). Each ``session`` message is one activity
(multisport files hold several). The CRC of the header and of the file is checked: a corrupt or
truncated file is refused, never half-read. Files of another FIT type (settings, monitoring,
weight scale, workout, course ...) are refused by name.
"""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, ClassVar, Final

from retrowalk.activities.model import Activity, Lap, TrackPoint, lap_from_points, laps_from_points
from retrowalk.errors import ImportFileError

__all__ = ["FitReader"]

#: FIT sub-sports that mean a treadmill (FIT SDK Profile, ``sub_sport``).
_TREADMILL_SUB_SPORTS: Final = frozenset({"treadmill", "indoor_walking"})
#: Semicircles to degrees (FIT SDK: 2^31 semicircles = 180 degrees).
_DEG_PER_SEMICIRCLE: Final = 180.0 / 2**31


@dataclass
class _Collected:
    file_type: str | None = None
    device: str | None = None
    points: list[TrackPoint] = field(default_factory=list)
    laps: list[dict[str, Any]] = field(default_factory=list)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    breaks: list[datetime] = field(default_factory=list)
    sport: dict[str, Any] | None = None
    timer_stopped: bool = False


def _values(frame: Any) -> dict[str, Any]:
    return {f.name: f.value for f in frame.fields if f.value is not None}


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return None


def _number(values: dict[str, Any], *names: str) -> float | None:
    for name in names:
        value = values.get(name)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
    return None


def _degrees(value: Any) -> float | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value * _DEG_PER_SEMICIRCLE
    return None


class FitReader:
    """Reads FIT activity files (``fitdecode``, CRC checked)."""

    file_format: ClassVar[str] = "fit"
    suffixes: ClassVar[tuple[str, ...]] = (".fit",)

    def read(self, path: Path) -> tuple[Activity, ...]:
        """The activities in a FIT file: one per ``session`` message."""
        collected = self._collect(path)
        if collected.file_type is None:
            raise ImportFileError(
                path.name, "a FIT file without a file_id message: not an activity"
            )
        if collected.file_type != "activity":
            raise ImportFileError(
                path.name,
                f"not an activity: a FIT {collected.file_type} file (settings, monitoring, "
                "weight-scale and workout files hold no walk)",
            )
        return self._activities(path, collected)

    def _collect(self, path: Path) -> _Collected:
        import fitdecode

        out = _Collected()
        try:
            with warnings.catch_warnings():
                # fitdecode warns about odd definitions in damaged files; the CRC check decides.
                warnings.simplefilter("ignore")
                reader_cm = fitdecode.FitReader(
                    str(path), check_crc=fitdecode.CrcCheck.ENABLED, keep_raw_chunks=False
                )
                with reader_cm as reader:
                    for frame in reader:
                        if frame.frame_type == fitdecode.FIT_FRAME_DATA:
                            self._take(out, frame)
        except fitdecode.FitCRCError:
            raise ImportFileError(path.name, "corrupt FIT file (bad CRC)") from None
        except fitdecode.FitEOFError:
            raise ImportFileError(path.name, "truncated FIT file (unexpected end)") from None
        except fitdecode.FitHeaderError as exc:
            raise ImportFileError(path.name, f"not a valid FIT file (bad header: {exc})") from None
        except fitdecode.FitError as exc:
            raise ImportFileError(path.name, f"corrupt FIT file ({exc})") from None
        except (AssertionError, struct.error, UnicodeDecodeError):
            # fitdecode checks its own framing with asserts; damaged bytes can trip them.
            raise ImportFileError(path.name, "corrupt FIT file (inconsistent records)") from None
        return out

    @staticmethod
    def _take(out: _Collected, frame: Any) -> None:
        name = frame.name
        if name == "record":
            values = _values(frame)
            time = _time(values.get("timestamp"))
            if time is None:
                return
            out.points.append(
                TrackPoint(
                    time=time,
                    distance_m=_number(values, "distance"),
                    latitude_deg=_degrees(values.get("position_lat")),
                    longitude_deg=_degrees(values.get("position_long")),
                    elevation_m=_number(values, "enhanced_altitude", "altitude"),
                    heart_rate_bpm=_number(values, "heart_rate"),
                )
            )
        elif name == "lap":
            out.laps.append(_values(frame))
        elif name == "session":
            out.sessions.append(_values(frame))
        elif name == "event":
            values = _values(frame)
            if values.get("event") == "timer":
                kind = values.get("event_type")
                time = _time(values.get("timestamp"))
                if kind in ("stop", "stop_all", "stop_disable", "stop_disable_all"):
                    out.timer_stopped = True
                elif kind == "start" and out.timer_stopped and time is not None:
                    out.breaks.append(time)
                    out.timer_stopped = False
        elif name == "file_id":
            values = _values(frame)
            file_type = values.get("type")
            out.file_type = None if file_type is None else str(file_type)
            maker = values.get("manufacturer")
            product = values.get("garmin_product", values.get("product"))
            parts = [str(p) for p in (maker, product) if p is not None]
            out.device = " ".join(parts) or None
        elif name == "sport" and out.sport is None:
            out.sport = _values(frame)

    def _activities(self, path: Path, data: _Collected) -> tuple[Activity, ...]:
        points = sorted(data.points, key=lambda p: p.time)
        sessions = data.sessions or [data.sport or {}]
        activities = []
        for position, session in enumerate(sessions):
            begin = _time(session.get("start_time"))
            finish = _time(session.get("timestamp"))

            def inside(time: datetime | None, begin: Any = begin, finish: Any = finish) -> bool:
                if time is None:
                    return False
                return (begin is None or time >= begin) and (finish is None or time <= finish)

            laps_here = [lap for lap in data.laps if inside(_time(lap.get("start_time")))]
            if len(data.sessions) <= 1:
                laps_here = data.laps
            points_here = [p for p in points if inside(p.time)] if data.sessions else points
            laps = self._laps(laps_here, points_here, data.breaks)
            if not laps:
                continue
            sport = session.get("sport") or (data.sport or {}).get("sport")
            sub_sport = session.get("sub_sport") or (data.sport or {}).get("sub_sport")
            activities.append(
                Activity(
                    file_format=self.file_format,
                    laps=laps,
                    sport=None if sport is None else str(sport).lower(),
                    treadmill=str(sub_sport) in _TREADMILL_SUB_SPORTS,
                    device=data.device,
                    energy_kcal=_number(session, "total_calories"),
                    position=position,
                )
            )
        if not activities:
            raise ImportFileError(path.name, "an activity without timed laps or records (empty)")
        return tuple(activities)

    @staticmethod
    def _laps(
        laps: list[dict[str, Any]], points: list[TrackPoint], breaks: list[datetime]
    ) -> tuple[Lap, ...]:
        if len(laps) <= 1:
            cut = laps_from_points(points, breaks=breaks)
            if len(cut) > 1 or not laps:
                return cut
        out = []
        for values in laps:
            start = _time(values.get("start_time"))
            end = _time(values.get("timestamp"))
            if start is None:
                continue
            within = [p for p in points if start <= p.time <= (end or start)]
            lap = lap_from_points(
                within,
                start=start,
                duration_s=_number(values, "total_timer_time", "total_elapsed_time"),
                distance_m=_number(values, "total_distance"),
                speed_m_s=_number(values, "enhanced_avg_speed", "avg_speed"),
                heart_rate_bpm=_number(values, "avg_heart_rate"),
                energy_kcal=_number(values, "total_calories"),
            )
            if lap is not None:
                out.append(lap)
        return tuple(sorted(out, key=lambda lap: lap.start))
