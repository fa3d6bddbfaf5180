"""Apple Health multi-lap workouts: each lap's distance and speed from the export's distance
samples of the device that recorded the workout, read in a second streamed pass."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.activities.apple_health import AppleHealthReader
from tests.activities.builders import (
    APPLE_HEADER,
    LapSpec,
    apple_export_zip,
    apple_workout,
)

START = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
LAPS = [LapSpec(300, 1.3), LapSpec(120, 0.5), LapSpec(300, 1.3), LapSpec(120, 0.5)]


def _t(at: datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S +0000")


def distance_records(
    laps: Sequence[LapSpec], cuts_s: Sequence[float], source: str = "Test Watch", unit: str = "km"
) -> str:
    """Distance samples between consecutive ``cuts_s`` (s from START), each holding the distance
    walked at the laps' speeds in its span."""
    edges = [0.0]
    for lap in laps:
        edges.append(edges[-1] + lap.duration_s)

    def walked(a: float, b: float) -> float:
        return sum(
            lap.speed_m_s * max(0.0, min(b, hi) - max(a, lo))
            for lap, lo, hi in zip(laps, edges, edges[1:], strict=False)
        )

    scale = 1000.0 if unit == "km" else 1.0
    out = []
    for a, b in itertools.pairwise(cuts_s):
        out.append(
            f' <Record type="HKQuantityTypeIdentifierDistanceWalkingRunning" '
            f'sourceName="{source}" unit="{unit}" creationDate="{_t(START)}" '
            f'startDate="{_t(START + timedelta(seconds=a))}" '
            f'endDate="{_t(START + timedelta(seconds=b))}" value="{walked(a, b) / scale:.9f}"/>\n'
        )
    return "".join(out)


def export(records: str, laps: Sequence[LapSpec] = LAPS) -> str:
    return APPLE_HEADER + records + apple_workout(START, laps) + "\n</HealthData>\n"


def test_each_lap_gets_its_distance_and_speed_from_the_watchs_samples(tmp_path: Path) -> None:
    # 10-second samples from the watch, and the phone's samples of the same steps (30 s each),
    # which must not be added
    cuts = [float(s) for s in range(0, 841, 10)]
    records = distance_records(LAPS, cuts) + distance_records(LAPS, cuts[::3], source="iPhone")
    path = tmp_path / "export.zip"
    path.write_bytes(apple_export_zip(export(records)))
    (walk,) = AppleHealthReader().read(path)
    assert [lap.distance_m for lap in walk.laps] == pytest.approx([390.0, 60.0, 390.0, 60.0])
    assert [lap.speed_m_s for lap in walk.laps] == pytest.approx([1.3, 0.5, 1.3, 0.5])


def test_a_sample_across_a_lap_edge_is_shared_by_time(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    two = [LapSpec(100, 1.0), LapSpec(100, 1.0)]
    path.write_text(export(distance_records(two, [0.0, 50.0, 150.0, 200.0]), two))
    (walk,) = AppleHealthReader().read(path)
    assert [lap.distance_m for lap in walk.laps] == pytest.approx([100.0, 100.0])


def test_laps_without_samples_keep_no_distance(tmp_path: Path) -> None:
    path = tmp_path / "export.xml"
    path.write_text(export(distance_records(LAPS, [0.0, 300.0])))  # first lap only
    (walk,) = AppleHealthReader().read(path)
    assert walk.laps[0].distance_m == pytest.approx(390.0)
    assert [lap.distance_m for lap in walk.laps[1:]] == [None, None, None]
    assert [lap.speed_m_s for lap in walk.laps[1:]] == [None, None, None]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.integers(1, 839), max_size=40, unique=True),
    st.floats(0.3, 1.8),
    st.sampled_from(["km", "m"]),
)
def test_sample_boundaries_do_not_change_the_laps_of_a_steady_walk(
    tmp_path: Path, inner: list[int], speed: float, unit: str
) -> None:
    laps = [LapSpec(lap.duration_s, speed) for lap in LAPS]
    cuts = [0.0, *sorted(float(c) for c in inner), 840.0]
    records = distance_records(laps, cuts, unit=unit)
    path = tmp_path / "export.xml"
    path.write_text(export(records, laps))
    (walk,) = AppleHealthReader().read(path)
    assert [lap.speed_m_s for lap in walk.laps] == pytest.approx([speed] * 4, rel=1e-6)
    total = sum(lap.distance_m or 0.0 for lap in walk.laps)
    assert total == pytest.approx(speed * 840, rel=1e-6)
