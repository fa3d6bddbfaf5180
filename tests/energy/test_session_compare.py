import csv
import json
from pathlib import Path

import pytest

from retrowalk.cli.app import run
from retrowalk.energy import Range, WalkedSegment, compare, estimate, estimate_session
from retrowalk.energy.validation import TARGET_COVERAGE, TARGET_MAE_PCT, validate
from retrowalk.errors import InvalidInputError
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support
from tests.conftest import DATA_DIR

REFERENCE_CSV = DATA_DIR / "energy-reference" / "energy_reference.csv"


# --- sessions -----------------------------------------------------------------------------


def test_session_total_is_sum_of_segments():
    segments = [
        WalkedSegment(Direction.FORWARD, 300, 1.3, 0, treadmill=True),
        WalkedSegment(Direction.BACKWARD, 600, 1.0, 2, treadmill=True),
    ]
    result = estimate_session(segments, 70)
    a = estimate("forward", 1.3, 0, 70, 300).energy_kcal
    b = estimate("backward", 1.0, 2, 70, 600).energy_kcal
    assert result.energy_kcal == a + b
    assert result.duration_s == 900
    assert result.reason is None


def test_overground_without_speed_gives_no_total_never_zero():
    planned = [
        PlannedSegment(
            SegmentKind.WARM_UP, Direction.FORWARD, 120, Environment.HALLWAY, Support.NONE
        ),
        PlannedSegment(
            SegmentKind.BACKWARD_INTERVAL,
            Direction.BACKWARD,
            60,
            Environment.TREADMILL,
            Support.TREADMILL_RAILS,
            speed_target_m_s=0.9,
            speed_limit_m_s=1.0,
        ),
    ]
    result = estimate_session(planned, 70)
    assert result.energy_kcal is None
    assert result.energy_net_kcal is None
    assert result.reason is not None
    assert "1" in result.reason
    assert result.segments[0].estimate is None
    assert "overground forward" in (result.segments[0].reason or "")
    assert result.segments[1].speed_source == "given"
    assert result.segments[1].segment.treadmill


def test_assumed_speed_costs_overground_and_says_so():
    planned = [
        PlannedSegment(SegmentKind.WARM_UP, Direction.FORWARD, 120, Environment.PARK, Support.NONE),
        PlannedSegment(
            SegmentKind.BACKWARD_INTERVAL, Direction.BACKWARD, 60, Environment.HALLWAY, Support.NONE
        ),
    ]
    result = estimate_session(
        planned, 70, assumed_forward_speed_m_s=1.3, assumed_backward_speed_m_s=0.9
    )
    assert result.energy_kcal is not None
    assert [s.speed_source for s in result.segments] == ["assumed", "assumed"]
    assert any("assumed speed" in w for w in result.warnings)


def test_empty_session_and_bad_segments():
    empty = estimate_session([], 70)
    assert empty.energy_kcal == Range.point(0.0)
    assert empty.segments == ()
    with pytest.raises(InvalidInputError, match="mass_kg"):
        estimate_session([], 5)
    with pytest.raises(InvalidInputError, match="speed_m_s"):
        WalkedSegment(Direction.BACKWARD, 60, -1.0)
    with pytest.raises(InvalidInputError, match="duration_s"):
        WalkedSegment(Direction.BACKWARD, float("nan"), 1.0)


# --- comparison ---------------------------------------------------------------------------


def test_compare_same_speed_is_the_ratio():
    result = compare(1.2, 0, 70, 900)
    assert result.vs_forward_pct.as_dict() == pytest.approx(
        {"low": 15.0, "central": 30.0, "high": 45.0}
    )
    assert result.vs_forward_net_pct.central > result.vs_forward_pct.central
    verdicts = {v.claim.key: v.verdict for v in result.verdicts}
    assert verdicts["30_pct"] == "consistent"
    # At 2.7 mph backward costs about as much as brisk forward walking: 40 % overstates it.
    assert verdicts["40_pct_vs_brisk"] == "overstates"


def test_compare_practised_walker_and_brisk_speed():
    result = compare(1.5646, 0, 70, 900, backward_practice_sessions=12)
    verdicts = {v.claim.key: v for v in result.verdicts}
    assert verdicts["10_to_20_pct"].verdict == "consistent"
    assert "2024 Compendium" in verdicts["40_pct_vs_brisk"].explanation


# --- validation (issue 3 targets) ---------------------------------------------------------


@pytest.fixture(scope="module")
def report():
    with REFERENCE_CSV.open(newline="", encoding="utf-8") as handle:
        return validate(list(csv.DictReader(handle)))


def test_validation_targets(report):
    assert len(report.model.backward) >= 6
    assert report.model.mae_pct <= TARGET_MAE_PCT
    assert report.model.coverage >= TARGET_COVERAGE
    assert report.model.mae_pct < report.forward_baseline.mae_pct
    assert report.model.mae_pct < report.met_baseline.mae_pct
    assert report.failures() == ()


def test_validation_skips_rows_with_reasons(report):
    skipped = {s.row_id: s.reason for s in report.skipped}
    assert "L/min" in skipped["HE01-BW-baseline"]
    assert "lateral" in skipped["W98-LM-80"]


def test_bench_script_runs(capsys):
    import runpy

    bench = Path(__file__).resolve().parents[2] / "bench" / "energy_validation.py"
    with pytest.raises(SystemExit) as info:
        runpy.run_path(str(bench), run_name="__main__")
    assert info.value.code == 0
    assert "coverage" in capsys.readouterr().out


# --- CLI -----------------------------------------------------------------------------------

BASE = ["energy", "--grade", "0", "--minutes", "15"]


def _json(capsys, argv):
    assert run([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_json_keys(capsys):
    data = _json(capsys, [*BASE, "--direction", "backward", "--speed", "2.5mph", "--mass", "70kg"])
    for key in ("vo2_ml_kg_min", "mets", "energy_kcal", "energy_net_kcal"):
        assert set(data[key]) == {"low", "central", "high"}
    assert isinstance(data["warnings"], list)
    assert data["inputs"]["speed_m_s"] == pytest.approx(1.1176)
    assert data["inputs"]["duration_s"] == 900
    assert data["retrowalk_version"]


@pytest.mark.parametrize(
    ("speed", "mass"),
    [("1.1176m/s", "70kg"), ("4.02336km/h", "70 kg"), ("4.02336 kph", "154.3236lb")],
)
def test_cli_units_give_identical_results(capsys, speed, mass):
    reference = _json(capsys, [*BASE, "--speed", "2.5mph", "--mass", "70kg"])
    other = _json(capsys, [*BASE, "--speed", speed, "--mass", mass])
    for key in ("vo2_ml_kg_min", "mets", "energy_kcal", "energy_net_kcal"):
        assert other[key] == pytest.approx(reference[key], abs=2e-3)


def test_cli_compare(capsys):
    data = _json(capsys, [*BASE, "--speed", "3mph", "--mass", "70kg", "--compare"])
    comparison = data["comparison"]
    assert {c["key"] for c in comparison["claims"]} == {"10_to_20_pct", "30_pct", "40_pct_vs_brisk"}
    assert set(comparison["vs_brisk_pct"]) == {"low", "central", "high"}
    assert run([*BASE, "--speed", "3mph", "--mass", "70kg", "--compare"]) == 0
    out = capsys.readouterr().out
    assert "popular claims" in out


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--speed", "2.5", "--mass", "70kg"], "--speed"),
        (["--speed", "2.5 furlongs", "--mass", "70kg"], "--speed"),
        (["--speed", "nan mph", "--mass", "70kg"], "--speed"),
        (["--speed", "-2mph", "--mass", "70kg"], "--speed"),
        (["--speed", "30mph", "--mass", "70kg"], "--speed"),
        (["--speed", "2.5mph", "--mass", "-70kg"], "--mass"),
        (["--speed", "2.5mph", "--mass", "2000lb"], "--mass"),
        (["--speed", "2.5mph", "--mass", "70 stone"], "--mass"),
        (["--speed", "2.5mph", "--mass", "70kg", "--minutes", "nan"], "--minutes"),
        (["--speed", "2.5mph", "--mass", "70kg", "--minutes", "-5"], "--minutes"),
        (["--speed", "2.5mph", "--mass", "70kg", "--grade", "90"], "--grade"),
        (["--speed", "2.5mph", "--mass", "70kg", "--grade", "steep"], "--grade"),
        (["--speed", "2.5mph", "--mass", "70kg", "--direction", "sideways"], "--direction"),
    ],
)
def test_cli_bad_input_one_line_exit_2(capsys, argv, field):
    assert run([*BASE, *argv]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error:")
    assert field in lines[0]
    assert captured.out == ""


def test_no_speed_is_costed_over_the_assumed_range_and_widened():
    from retrowalk.energy.assumed import (
        ASSUMED_BACKWARD_SPEED_M_S,
        ASSUMED_SPEED_NOTE,
        assumed_speed_m_s,
    )
    from retrowalk.energy.session import WalkedSegment

    speeds = assumed_speed_m_s("hallway", "backward")
    assert speeds == ASSUMED_BACKWARD_SPEED_M_S
    assert assumed_speed_m_s("hallway", "forward").central > speeds.central  # slower backward
    blind = WalkedSegment(Direction.BACKWARD, 300, None, assumed_speed_m_s=speeds)
    known = WalkedSegment(Direction.BACKWARD, 300, speeds.central)
    result = estimate_session([blind, WalkedSegment(Direction.FORWARD, 60, 1.2)], 70)
    assert result.energy_kcal is not None  # a total for a hallway session
    assert result.segments[0].speed_source == "assumed"
    assert ASSUMED_SPEED_NOTE in result.warnings
    wide = result.segments[0].estimate
    narrow = estimate_session([known], 70).segments[0].estimate
    assert wide is not None
    assert narrow is not None
    assert wide.energy_kcal.central == pytest.approx(narrow.energy_kcal.central)
    assert wide.energy_kcal.low < narrow.energy_kcal.low
    assert wide.energy_kcal.high > narrow.energy_kcal.high
