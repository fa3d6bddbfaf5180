"""Recordings with known truth, written by encoders: FIT activities (``fit-tool``), GPX, TCX and
Apple Health exports. The real corpus (``data/activity-files/``) has no treadmill walk and no
backward walking; these build them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ACTIVITY_FILES = REPO / "data" / "activity-files"


@dataclass(frozen=True)
class LapSpec:
    """One lap to write: duration, speed, and optionally heart rate, calories, climb."""

    duration_s: float
    speed_m_s: float = 1.0
    heart_rate_bpm: int | None = 100
    calories_kcal: int | None = None
    climb_m: float = 0.0


def _ms(at: datetime) -> int:
    return round(at.timestamp() * 1000)


def fit_activity(
    start: datetime,
    laps: Sequence[LapSpec],
    *,
    sport: str = "WALKING",
    sub_sport: str = "GENERIC",
    pause_s: float = 0.0,
    lap_messages: bool = True,
    total_calories: int | None = None,
) -> bytes:
    """A FIT activity file: records every second, one lap message per lap (unless
    ``lap_messages`` is false: then only timer stop/start events mark the pauses)."""
    from fit_tool.fit_file_builder import FitFileBuilder
    from fit_tool.profile.messages.activity_message import ActivityMessage
    from fit_tool.profile.messages.event_message import EventMessage
    from fit_tool.profile.messages.file_id_message import FileIdMessage
    from fit_tool.profile.messages.lap_message import LapMessage
    from fit_tool.profile.messages.record_message import RecordMessage
    from fit_tool.profile.messages.session_message import SessionMessage
    from fit_tool.profile.profile_type import (
        Event,
        EventType,
        FileType,
        Manufacturer,
        Sport,
        SubSport,
    )

    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = FileType.ACTIVITY
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = _ms(start)
    file_id.serial_number = 0x1234
    builder.add(file_id)

    def timer(at: datetime, kind: EventType) -> None:
        event = EventMessage()
        event.event = Event.TIMER
        event.event_type = kind
        event.timestamp = _ms(at)
        builder.add(event)

    at = start
    distance = 0.0
    altitude = 100.0
    lap_rows = []
    for index, lap in enumerate(laps):
        if index and pause_s:
            timer(at, EventType.STOP_ALL)
            at += timedelta(seconds=pause_s)
        timer(at, EventType.START)
        lap_start, lap_distance = at, 0.0
        seconds = int(lap.duration_s)
        for second in range(seconds + 1):
            record = RecordMessage()
            record.timestamp = _ms(at + timedelta(seconds=second))
            record.distance = distance + lap.speed_m_s * second
            record.speed = lap.speed_m_s
            record.altitude = altitude + lap.climb_m * second / max(seconds, 1)
            if lap.heart_rate_bpm is not None:
                record.heart_rate = lap.heart_rate_bpm
            builder.add(record)
        lap_distance = lap.speed_m_s * seconds
        distance += lap_distance
        altitude += lap.climb_m
        at = lap_start + timedelta(seconds=seconds)
        lap_rows.append((lap_start, at, lap, lap_distance))
    timer(at, EventType.STOP_ALL)
    if lap_messages:
        for lap_start, lap_end, lap, lap_distance in lap_rows:
            message = LapMessage()
            message.timestamp = _ms(lap_end)
            message.start_time = _ms(lap_start)
            message.total_elapsed_time = lap.duration_s
            message.total_timer_time = lap.duration_s
            message.total_distance = lap_distance
            message.avg_speed = lap.speed_m_s
            if lap.heart_rate_bpm is not None:
                message.avg_heart_rate = lap.heart_rate_bpm
            if lap.calories_kcal is not None:
                message.total_calories = lap.calories_kcal
            builder.add(message)
    session = SessionMessage()
    session.timestamp = _ms(at)
    session.start_time = _ms(start)
    session.total_elapsed_time = (at - start).total_seconds()
    session.total_timer_time = sum(lap.duration_s for lap in laps)
    session.total_distance = distance
    session.sport = Sport[sport]
    session.sub_sport = SubSport[sub_sport]
    if total_calories is not None:
        session.total_calories = total_calories
    builder.add(session)
    activity = ActivityMessage()
    activity.timestamp = _ms(at)
    activity.num_sessions = 1
    builder.add(activity)
    return bytes(builder.build().to_bytes())


def gpx_track(start: datetime, laps: Sequence[LapSpec], *, zone: str = "Z") -> str:
    """A GPX track heading north, one segment per lap, a point every 5 s; times written with
    ``zone`` (``Z`` or an offset such as ``+02:00``, the same instant)."""
    offset = (
        timedelta(0)
        if zone == "Z"
        else timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6])) * (1 if zone[0] == "+" else -1)
    )
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="retrowalk tests" xmlns="http://www.topografix.com/GPX/1/1">',
        "<trk><type>walking</type>",
    ]
    at, lat = start, 46.0
    for lap in laps:
        lines.append("<trkseg>")
        for second in range(0, int(lap.duration_s) + 1, 5):
            when = (at + timedelta(seconds=second)).astimezone(UTC) + offset
            stamp = when.replace(tzinfo=None).isoformat() + zone
            point_lat = lat + lap.speed_m_s * second / 111_195.0
            lines.append(
                f'<trkpt lat="{point_lat:.7f}" lon="14.0">'
                f"<ele>300</ele><time>{stamp}</time></trkpt>"
            )
        lat += lap.speed_m_s * int(lap.duration_s) / 111_195.0
        at += timedelta(seconds=int(lap.duration_s) + 120)
        lines.append("</trkseg>")
    lines.append("</trk></gpx>")
    return "\n".join(lines)


def _apple_time(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S +0000")


def apple_workout(start: datetime, laps: Sequence[LapSpec], kind: str = "Walking") -> str:
    """One ``Workout`` element with a lap event per lap."""
    total_s = sum(lap.duration_s for lap in laps)
    distance_km = sum(lap.duration_s * lap.speed_m_s for lap in laps) / 1000
    end = start + timedelta(seconds=total_s)
    events = []
    at = start
    for lap in laps:
        events.append(
            f'  <WorkoutEvent type="HKWorkoutEventTypeLap" date="{_apple_time(at)}" '
            f'duration="{lap.duration_s / 60:.6f}" durationUnit="min"/>'
        )
        at += timedelta(seconds=lap.duration_s)
    return (
        f' <Workout workoutActivityType="HKWorkoutActivityType{kind}" duration="{total_s / 60}" '
        f'durationUnit="min" totalDistance="{distance_km}" totalDistanceUnit="km" '
        f'totalEnergyBurned="{total_s / 60 * 4:.1f}" totalEnergyBurnedUnit="kcal" '
        f'sourceName="Test Watch" creationDate="{_apple_time(end)}" '
        f'startDate="{_apple_time(start)}" endDate="{_apple_time(end)}">\n'
        '  <MetadataEntry key="HKIndoorWorkout" value="0"/>\n' + "\n".join(events) + "\n </Workout>"
    )


APPLE_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    "<!DOCTYPE HealthData [\n<!ELEMENT HealthData (ExportDate,Me,(Record|Workout)*)>\n"
    "<!ATTLIST HealthData locale CDATA #REQUIRED>\n]>\n"
    '<HealthData locale="en_GB">\n <ExportDate value="2026-11-30 10:00:00 +0000"/>\n'
    ' <Me HKCharacteristicTypeIdentifierDateOfBirth="1960-01-01"/>\n'
)

RECORD = (
    ' <Record type="HKQuantityTypeIdentifierHeartRate" sourceName="Test Watch" unit="count/min" '
    'creationDate="{t}" startDate="{t}" endDate="{t}" value="{v}">\n'
    '  <MetadataEntry key="HKMetadataKeyHeartRateMotionContext" value="0"/>\n </Record>\n'
)


def apple_export_xml(workouts: Iterable[str], records: int = 0) -> str:
    """A whole ``export.xml``: ``records`` heart-rate records, then the workouts."""
    t = _apple_time(datetime(2026, 1, 1, tzinfo=UTC))
    body = RECORD.format(t=t, v=70) * records
    return APPLE_HEADER + body + "\n".join(workouts) + "\n</HealthData>\n"


def apple_export_zip(xml: str) -> bytes:
    """The zip the Health app shares, with ``apple_health_export/export.xml`` in it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("apple_health_export/export.xml", xml)
        archive.writestr("apple_health_export/export_cda.xml", "<ClinicalDocument/>")
    return buffer.getvalue()
