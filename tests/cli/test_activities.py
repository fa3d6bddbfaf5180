"""``retrowalk import-activity``, ``activity ...`` and ``plan export-workout|calendar``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from retrowalk.activities.calendar import parse_calendar
from retrowalk.activities.workout import decode_workout
from retrowalk.cli.app import run
from retrowalk.services.database import open_database
from tests.activities.builders import ACTIVITY_FILES, LapSpec, fit_activity
from tests.services.helpers import store_plan

FIT = ACTIVITY_FILES / "fit"


@pytest.fixture
def planned() -> None:
    db = open_database()
    with db.transaction() as session:
        store_plan(session, start_on=datetime.now(UTC).date() - timedelta(days=14))
    db.dispose()


def test_batch_reports_each_file_and_continues(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    start = datetime.combine(datetime.now(UTC).date() - timedelta(days=2), time(8), tzinfo=UTC)
    made = tmp_path / "treadmill.fit"
    made.write_bytes(
        fit_activity(start, [LapSpec(120, 0.8), LapSpec(60, 0.5)], sub_sport="TREADMILL")
    )
    files = [
        FIT / "garmin-fenix-5-walk.fit",
        FIT / "Settings.fit",
        FIT / "invalid" / "activity-unexpected-eof.fit",
        made,
        FIT / "garmin-fenix-5-walk.fit",
    ]
    assert run(["import-activity", *map(str, files)]) == 1
    captured = capsys.readouterr()
    errors = captured.err.strip().splitlines()
    assert errors == [
        "error: Settings.fit: not an activity: a FIT settings file (settings, monitoring, "
        "weight-scale and workout files hold no walk)",
        "error: activity-unexpected-eof.fit: truncated FIT file (unexpected end)",
    ]
    out = captured.out.strip().splitlines()
    assert out[0].startswith("garmin-fenix-5-walk.fit: imported as log ")
    assert out[1].startswith("treadmill.fit: imported as log ")
    assert "already imported" in out[2]
    assert out[-1] == "2 imported, 1 not counted twice, 2 file(s) refused"
    assert run(["log", "list", "--json"]) == 0
    logs = json.loads(capsys.readouterr().out)
    assert sorted(log["source"] for log in logs) == ["import", "import"]
    treadmill = next(log for log in logs if log["started_at"] == start.isoformat())
    assert {s["environment"] for s in treadmill["segments"]} == {"treadmill"}


def test_json_results_and_exit_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import-activity", str(FIT / "garmin-fenix-5-walk.fit"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["refused"] == []
    (result,) = data["results"]
    assert result["status"] == "imported"
    log_id = result["log_id"]
    assert run(["activity", "mark", log_id[:8], "--lap", "1", "--backward", "--json"]) == 0
    view = json.loads(capsys.readouterr().out)
    assert view["laps"][0]["direction"] == "backward"
    assert view["laps"][0]["direction_source"] == "walker"
    assert run(["activity", "show", log_id[:8]]) == 0
    assert "from garmin-fenix-5-walk.fit" in capsys.readouterr().out


def test_mark_a_lap_that_does_not_exist(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import-activity", str(FIT / "garmin-fenix-5-walk.fit"), "--json"]) == 0
    log_id = json.loads(capsys.readouterr().out)["results"][0]["log_id"]
    assert run(["activity", "mark", log_id, "--lap", "7"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: lap: got 7; expected a lap number from 1 to 1"]


def test_bad_option_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["import-activity", str(FIT / "garmin-fenix-5-walk.fit"), "--environment", "moon"])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("error: environment: got 'moon'")


@pytest.mark.usefixtures("planned")
def test_export_workout_and_calendar(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = open_database()
    with db.transaction() as session:
        from retrowalk.services.plans import require_plan

        stored = require_plan(session)
    db.dispose()
    first = stored.plan.sessions[0]
    target = tmp_path / "first.fit"
    args = ["plan", "export-workout", "--date", first.scheduled_on.isoformat(), "-o", str(target)]
    assert run(args) == 0
    steps = decode_workout(target.read_bytes())
    assert [s.duration_s for s in steps] == pytest.approx([p.duration_s for p in first.segments])
    ics = tmp_path / "plan.ics"
    assert run(["plan", "calendar", "-o", str(ics), "--at", "18:15", "--remind", "10",
                "--new-link"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "/calendar/" in out
    events = parse_calendar(ics.read_bytes())
    assert len(events) == len(stored.plan.sessions)
    assert {(e.starts, e.remind_before_min) for e in events} == {(time(18, 15), 10)}
    assert run(["plan", "calendar", "-o", str(ics), "--at", "25:00"]) == 2
    assert capsys.readouterr().err.startswith("error: --at: got '25:00'")


def test_duplicates_listed(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["activity", "duplicates"]) == 0
    assert "No walk is logged twice." in capsys.readouterr().out
    assert run(["import-activity", str(FIT / "garmin-fenix-5-walk.fit"), "--json"]) == 0
    capsys.readouterr()
    args = ["log", "add", "--segment", "1m fwd", "--start", "2017-06-11T14:32:55+00:00"]
    assert run(args) == 0
    capsys.readouterr()
    assert run(["activity", "duplicates", "--json"]) == 0
    (pair,) = json.loads(capsys.readouterr().out)
    assert {pair["first_source"], pair["second_source"]} == {"import", "manual"}
    assert run(["activity", "duplicates"]) == 0
    assert "are the same walk" in capsys.readouterr().out


def test_a_walk_imported_and_typed_in_is_counted_once_until_one_is_kept(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["log", "duplicates"]) == 0
    assert "No walk is waiting" in capsys.readouterr().out
    args = ["log", "add", "--segment", "1m fwd", "--start", "2017-06-11T14:32:55+00:00", "--json"]
    assert run(args) == 0
    typed = json.loads(capsys.readouterr().out)["id"]
    assert run(["import-activity", str(FIT / "garmin-fenix-5-walk.fit"), "--json"]) == 0
    capsys.readouterr()
    assert run(["log", "duplicates", "--json"]) == 0
    (pair,) = json.loads(capsys.readouterr().out)
    assert pair["other_id"] == typed
    assert pair["source"] == "import"
    assert run(["log", "duplicates"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"retrowalk log keep {typed[:8]}" in out
    assert run(["log", "keep", typed[:8]]) == 0
    assert "It counts once" in capsys.readouterr().out
    assert run(["log", "duplicates", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(["log", "list", "--json"]) == 0
    assert [log["id"] for log in json.loads(capsys.readouterr().out)] == [typed]
    assert run(["log", "keep", typed[:8]]) == 2
    assert "log" in capsys.readouterr().err
