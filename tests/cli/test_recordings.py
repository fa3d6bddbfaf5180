"""``retrowalk log attach|detach`` and the motion lines of ``log show``."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from retrowalk.cli.app import run
from retrowalk.services.database import open_database
from tests.services.helpers import store_profile
from tests.services.test_recordings import PLAN, clock_csv, session_recording


@pytest.fixture
def profile() -> None:
    db = open_database()
    with db.transaction() as session:
        store_profile(session)
    db.dispose()


def _log(capsys: pytest.CaptureFixture[str], start: datetime) -> str:
    spec = "2m fwd, 1m back, 1m fwd, 1m back, 2m fwd"
    args = ["log", "add", "--quick", spec, "--start", start.isoformat(), "--json"]
    assert run(args) == 0
    return str(json.loads(capsys.readouterr().out)["id"])


def _file(tmp_path: Path, start: datetime) -> Path:
    return clock_csv(tmp_path / "phone.csv", session_recording(PLAN), start - timedelta(seconds=5))


@pytest.mark.usefixtures("profile")
def test_attach_then_show_then_detach(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    start = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
    log_id = _log(capsys, start)
    assert run(["log", "attach", log_id[:8], str(_file(tmp_path, start))]) == 0
    out = " ".join(capsys.readouterr().out.split())  # Rich wraps long lines
    assert "by the file's own timestamps" in out
    assert "backward confirmed for 2 of 2 intervals" in out
    assert run(["log", "show", log_id[:8]]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "steps" in shown
    assert re.search(r"7[5-9]\d steps, cadence 1(09|10|11) steps/min", shown)
    assert "speed from your steps about" in shown
    assert re.search(r"Steadiness walking backward: step regularity 0\.\d\d", shown)
    assert run(["log", "show", log_id[:8], "--json"]) == 0
    motion = json.loads(capsys.readouterr().out)["motion"]
    assert motion["analysis"]["backward_confirmed"] == 2
    assert run(["log", "detach", log_id[:8]]) == 0
    assert "session is kept" in capsys.readouterr().out
    assert run(["log", "show", log_id[:8], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["motion"] is None


@pytest.mark.usefixtures("profile")
def test_attach_a_file_from_another_day_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    start = (datetime.now(UTC) - timedelta(days=1)).replace(microsecond=0)
    log_id = _log(capsys, start)
    path = _file(tmp_path, start - timedelta(days=3))
    assert run(["log", "attach", log_id[:8], str(path)]) != 0
    err = capsys.readouterr().err
    assert "another session" in err
    assert len(err.strip().splitlines()) == 1
