"""Readers on real files (data/activity-files), on files written by encoders, and on damage."""

from __future__ import annotations

import csv
import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.activities.model import PAUSE_GAP_S, TrackPoint, laps_from_points
from retrowalk.activities.readers import detect_format, read_activities
from retrowalk.errors import ImportFileError
from tests.activities.builders import (
    ACTIVITY_FILES,
    LapSpec,
    apple_export_xml,
    apple_export_zip,
    apple_workout,
    fit_activity,
    gpx_track,
)

FIT = ACTIVITY_FILES / "fit"
GPX = ACTIVITY_FILES / "gpx"
TCX = ACTIVITY_FILES / "tcx"
START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
LAPS = (LapSpec(300, 1.2, calories_kcal=20), LapSpec(60, 0.6), LapSpec(120, 1.2), LapSpec(60, 0.6))


def refused(path: Path) -> str:
    with pytest.raises(ImportFileError) as caught:
        read_activities(path)
    assert caught.value.path == path.name
    assert "\n" not in str(caught.value)
    return caught.value.problem


def test_fenix_walk_matches_the_decoders_reference_records() -> None:
    (activity,) = read_activities(FIT / "garmin-fenix-5-walk.fit")
    with (FIT / "garmin-fenix-5-walk-records.csv").open() as handle:
        records = list(csv.DictReader(handle))
    assert activity.file_format == "fit"
    assert activity.sport == "walking"
    assert activity.device == "garmin fenix5"
    (lap,) = activity.laps
    # 07:32:51 PDT = 14:32:51 UTC: the first record's time.
    assert lap.start == datetime(2017, 6, 11, 14, 32, 51, tzinfo=UTC)
    assert lap.distance_m == pytest.approx(float(records[-1]["distance"]))
    assert lap.duration_s == pytest.approx(45.379)
    assert lap.speed_m_s == pytest.approx(1.495)
    assert lap.energy_kcal == 4
    assert lap.heart_rate_bpm is not None
    assert min(int(r["heart_rate"]) for r in records) <= lap.heart_rate_bpm
    rise = float(records[-1]["altitude"]) - float(records[0]["altitude"])
    assert lap.grade_pct == pytest.approx(100 * rise / float(records[-1]["distance"]))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("Settings.fit", "settings"),
        ("MonitoringFile.fit", "monitoring_b"),
        ("WeightScaleSingleUser.fit", "weight"),
        ("WorkoutRepeatSteps.fit", "workout"),
    ],
)
def test_non_activity_fit_files_are_refused_by_name(name: str, kind: str) -> None:
    assert refused(FIT / name).startswith(f"not an activity: a FIT {kind} file")


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("activity-filecrc.fit", "corrupt FIT file (bad CRC)"),
        ("activity-unexpected-eof.fit", "truncated FIT file (unexpected end)"),
        ("activity-settings-nodata.fit", "truncated FIT file (unexpected end)"),
        ("activity-settings-corruptheader.fit", "not a valid FIT file (bad header"),
    ],
)
def test_damaged_fit_files_get_one_clear_problem(name: str, problem: str) -> None:
    assert refused(FIT / "invalid" / name).startswith(problem)


@pytest.mark.parametrize("name", ["garmin-fenix-5-run.fit", "Activity.fit"])
def test_runs_are_not_walks(name: str) -> None:
    assert refused(FIT / name) == "not a walk: the file says running; RetroWalk imports walks"


def test_tcx_laps_heart_rate_and_device_energy() -> None:
    (activity,) = read_activities(TCX / "sup_activity_1.tcx")
    assert activity.device == "vívoactive HR"
    assert len(activity.laps) == 2
    assert activity.laps[0].distance_m == 1000.0
    assert activity.laps[0].heart_rate_bpm == 88.0
    assert activity.energy_kcal == sum(lap.energy_kcal or 0 for lap in activity.laps)
    assert activity.laps[0].end <= activity.laps[1].start


def test_gpx_tracks_become_activities_and_segments_laps() -> None:
    first, second = read_activities(GPX / "korita-zbevnica.gpx")
    assert first.position < second.position  # the track's index in the file (stable)
    assert first.end <= second.start
    for activity in (first, second):
        starts = [lap.start for lap in activity.laps]
        assert starts == sorted(starts)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("route.gpx", "no track points (routes or waypoints only): an empty track"),
        ("track-with-extremes.gpx", "track points without times: nothing to import"),
        ("unicode_with_bom.gpx", "no track points (routes or waypoints only): an empty track"),
        ("track-with-less-sec-time.gpx", "not a walk: the file says running"),
    ],
)
def test_gpx_without_a_timed_walk_is_refused(name: str, problem: str) -> None:
    assert refused(GPX / name).startswith(problem)


def test_a_drive_is_too_fast_to_be_a_walk() -> None:
    problem = refused(GPX / "around-visnjan-with-car.gpx")
    assert problem.startswith("not a walk: ")
    assert "faster than the 3.5 m/s RetroWalk accepts" in problem


def test_empty_segment_is_skipped() -> None:
    (activity,) = read_activities(GPX / "track-with-empty-segment.gpx")
    assert len(activity.laps) == 1


def test_treadmill_fit_written_by_an_encoder(tmp_path: Path) -> None:
    path = tmp_path / "treadmill.fit"
    path.write_bytes(fit_activity(START, LAPS, sub_sport="TREADMILL", total_calories=40))
    (activity,) = read_activities(path)
    assert activity.treadmill
    assert activity.energy_kcal == 40
    assert [lap.duration_s for lap in activity.laps] == [s.duration_s for s in LAPS]
    assert [lap.speed_m_s for lap in activity.laps] == pytest.approx([s.speed_m_s for s in LAPS])
    assert activity.laps[1].start == START + timedelta(seconds=300)


def test_fit_without_laps_is_cut_at_its_timer_pauses(tmp_path: Path) -> None:
    path = tmp_path / "paused.fit"
    path.write_bytes(fit_activity(START, LAPS, pause_s=20, lap_messages=False))
    (activity,) = read_activities(path)
    assert [lap.duration_s for lap in activity.laps] == [s.duration_s for s in LAPS]
    assert activity.laps[1].start == START + timedelta(seconds=320)


def test_gpx_time_zones_give_the_same_instants(tmp_path: Path) -> None:
    utc, offset = tmp_path / "utc.gpx", tmp_path / "offset.gpx"
    utc.write_text(gpx_track(START, LAPS))
    offset.write_text(gpx_track(START, LAPS, zone="+02:00"))
    (a,) = read_activities(utc)
    (b,) = read_activities(offset)
    assert a.start == b.start == START
    assert a.laps == b.laps


def test_apple_health_zip_keeps_walks_and_skips_other_workouts(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    later = START + timedelta(days=1)
    xml = apple_export_xml(
        [apple_workout(later, LAPS), apple_workout(START, LAPS[:1], "Running"),
         apple_workout(START, LAPS[:1], "Hiking")],
        records=50,
    )  # fmt: skip
    path.write_bytes(apple_export_zip(xml))
    hiking, walking = read_activities(path)
    assert hiking.sport == "hiking"
    assert walking.sport == "walking"
    assert walking.start == later
    assert [lap.duration_s for lap in walking.laps] == pytest.approx([s.duration_s for s in LAPS])
    (single,) = hiking.laps
    assert single.distance_m == pytest.approx(LAPS[0].duration_s * LAPS[0].speed_m_s)
    assert hiking.energy_kcal == pytest.approx(20.0)


def test_apple_health_xml_without_walks(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(apple_export_xml([apple_workout(START, LAPS, "Running")]))
    assert refused(path) == "no walking workout in the export (1 workouts of other kinds)"


def test_truncated_apple_health_export(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(apple_export_xml([apple_workout(START, LAPS)])[:-200])
    assert refused(path).startswith("truncated Apple Health XML")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"", "the file is empty"),
        (b"hello, I am a text file", "not an activity file RetroWalk reads"),
        (b"PK\x03\x04 not really a zip", "a damaged zip archive"),
    ],
)
def test_other_files(tmp_path: Path, content: bytes, problem: str) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(content)
    assert refused(path).startswith(problem)


def test_format_detection_uses_content_not_suffix(tmp_path: Path) -> None:
    path = tmp_path / "walk.txt"
    path.write_bytes((FIT / "garmin-fenix-5-walk.fit").read_bytes())
    assert detect_format(path) == "fit"


WALK_FIT = (FIT / "garmin-fenix-5-walk.fit").read_bytes()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cut=st.integers(min_value=1, max_value=len(WALK_FIT) - 1), flip=st.integers(0, 255))
def test_damaged_fit_bytes_are_refused_never_half_read(tmp_path: Path, cut: int, flip: int) -> None:
    """Any truncation, or any changed byte, of a real walk is refused (CRC or structure)."""
    truncated = tmp_path / "cut.fit"
    truncated.write_bytes(WALK_FIT[:cut])
    with pytest.raises(ImportFileError):
        read_activities(truncated)
    changed = bytearray(WALK_FIT)
    position = cut
    changed[position] = (changed[position] + 1 + flip % 255) % 256
    damaged = tmp_path / "flip.fit"
    damaged.write_bytes(bytes(changed))
    with pytest.raises(ImportFileError):
        read_activities(damaged)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_arbitrary_xml_ish_text_gives_an_activity_or_one_clear_error(
    tmp_path: Path, text: str
) -> None:
    for wrapper in ("<gpx>{}</gpx>", "<TrainingCenterDatabase>{}", "<HealthData>{}"):
        path = tmp_path / "file.xml"
        path.write_text(wrapper.format(text), encoding="utf-8")
        problems = []
        try:
            read_activities(path)
        except ImportFileError as exc:
            problems.append(str(exc))
        assert all("\n" not in problem for problem in problems)


@st.composite
def recordings(draw: st.DrawFn) -> list[TrackPoint]:
    gaps = draw(st.lists(st.floats(0.5, 3 * PAUSE_GAP_S), min_size=1, max_size=40))
    at = START
    points = [TrackPoint(time=at)]
    for gap in gaps:
        at += timedelta(seconds=gap)
        points.append(TrackPoint(time=at, elevation_m=draw(st.none() | st.floats(0, 100))))
    return points


@given(points=recordings())
def test_laps_cut_at_pauses_cover_the_moving_time(points: list[TrackPoint]) -> None:
    laps = laps_from_points(points)
    gaps = [(b.time - a.time).total_seconds() for a, b in itertools.pairwise(points)]
    moving = sum(g for g in gaps if g <= PAUSE_GAP_S)
    assert sum(lap.duration_s for lap in laps) == pytest.approx(moving)
    assert all(lap.duration_s > 0 for lap in laps)
    assert all(a.end < b.start for a, b in itertools.pairwise(laps))
    pauses = sum(1 for g in gaps if g > PAUSE_GAP_S)
    assert len(laps) <= pauses + 1


def test_apple_health_pauses_cut_laps_and_statistics_give_figures(tmp_path: Path) -> None:
    """A newer export: no totals on the Workout, WorkoutStatistics instead; pause and resume."""
    workout = (
        ' <Workout workoutActivityType="HKWorkoutActivityTypeWalking" duration="20" '
        'durationUnit="min" sourceName="Watch" startDate="2026-11-02 10:00:00 +0100" '
        'endDate="2026-11-02 10:25:00 +0100">\n'
        '  <WorkoutEvent type="HKWorkoutEventTypePause" date="2026-11-02 10:10:00 +0100"/>\n'
        '  <WorkoutEvent type="HKWorkoutEventTypeResume" date="2026-11-02 10:15:00 +0100"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierActiveEnergyBurned" '
        'startDate="2026-11-02 10:00:00 +0100" endDate="2026-11-02 10:25:00 +0100" sum="251.04" '
        'unit="kJ"/>\n'
        '  <WorkoutStatistics type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
        'startDate="2026-11-02 10:00:00 +0100" endDate="2026-11-02 10:25:00 +0100" sum="1" '
        'unit="mi"/>\n'
        " </Workout>"
    )
    path = tmp_path / "export.xml"
    path.write_text(apple_export_xml([workout]))
    (activity,) = read_activities(path)
    assert [lap.start for lap in activity.laps] == [START, START + timedelta(minutes=15)]
    assert [lap.duration_s for lap in activity.laps] == [600, 600]
    assert activity.energy_kcal == pytest.approx(60.0)  # 251.04 kJ / 4.184
    assert all(lap.distance_m is None for lap in activity.laps)  # not split by lap in exports
