"""``retrowalk analyze``: table, JSON, one-line errors, and a --help that does not load NumPy."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from retrowalk.cli.app import run
from tests.motion.synthetic import walk

DATA = Path(__file__).resolve().parents[2] / "data"


def test_analyze_json_on_a_generic_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    t, acc = walk(110.0, 60)
    path = tmp_path / "walk.csv"
    np.savetxt(
        path, np.column_stack([t, acc]), delimiter=",", header="time_s,ax,ay,az", comments=""
    )
    assert run(["analyze", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert abs(doc["steps"] - 60) <= 2
    assert len(doc["bouts"]) == 1
    bout = doc["bouts"][0]
    assert {
        "start_s",
        "end_s",
        "steps",
        "cadence_spm",
        "step_regularity",
        "harmonic_ratio_vertical",
    } <= set(bout)
    assert bout["cadence_spm"] == pytest.approx(110.0, rel=0.02)


def test_analyze_table_on_an_oxford_file(capsys: pytest.CaptureFixture[str]):
    path = next((DATA / "oxford-step-counter/validation").glob("user2_hand_*.csv.gz"))
    assert run(["analyze", str(path)]) == 0
    out = capsys.readouterr().out
    found = re.search(r"Total: (\d+) steps in 1 bouts", " ".join(out.split()))
    assert found is not None
    assert abs(int(found.group(1)) - 340) <= 0.03 * 340  # 340 = foot-switch truth


def test_analyze_mobgap_trial(capsys: pytest.CaptureFixture[str]):
    path = DATA / "mobgap-example-lab/lab/HA/001/data.mat"
    assert run(["analyze", str(path), "--trial", "Test5/Trial1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["steps"] > 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--format", "gpx"], "--format"),
        (["--acc-unit", "mph"], "--acc-unit"),
    ],
)
def test_bad_options_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], expected: str
):
    path = tmp_path / "x.csv"
    path.write_text("time_s,ax,ay,az\n0,0,0,9.8\n0.01,0,0,9.8\n")
    assert run(["analyze", str(path), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert expected in err


def test_a_file_that_is_not_a_recording_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = tmp_path / "notes.csv"
    path.write_text("date,minutes\n2026-01-01,20\n")
    assert run(["analyze", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "ax, ay, az" in err
    assert err.count("\n") == 1


def test_help_does_not_import_numpy():
    code = (
        "import sys; from retrowalk.cli.app import run; run(['--help']); "
        "print('numpy' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "False"
    assert "analyze" in out.stdout


def test_long_files_show_progress_and_give_the_same_answer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
):
    from retrowalk.cli import motion as cli_motion
    from retrowalk.motion import readers

    t, acc = walk(100.0, 80)
    path = tmp_path / "walk.csv"
    np.savetxt(
        path, np.column_stack([t, acc]), delimiter=",", header="time_s,ax,ay,az", comments=""
    )
    assert run(["analyze", str(path), "--json"]) == 0
    whole = json.loads(capsys.readouterr().out)
    monkeypatch.setattr(cli_motion, "PROGRESS_MIN_BYTES", 0)
    monkeypatch.setattr(readers, "CHUNK_BYTES", 50_000)  # several chunks
    chunks = list(readers.iter_chunks(path))
    assert len(chunks) > 3
    assert run(["analyze", str(path)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert f"Total: {whole['steps']} steps" in out


def _forward_then_reversed(tmp_path: Path) -> Path:
    t, acc = walk(110.0, 80, still_s=5.0)
    back = acc[::-1]
    both_t = np.concatenate([t, t[-1] + 0.01 + t])
    path = tmp_path / "two.csv"
    np.savetxt(
        path,
        np.column_stack([both_t, np.concatenate([acc, back])]),
        delimiter=",",
        header="time_s,ax,ay,az",
        comments="",
    )
    return path


def test_analyze_reference_forward_gives_each_bout_a_direction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    path = _forward_then_reversed(tmp_path)
    assert run(["analyze", str(path), "--reference-forward", "6-45", "--json"]) == 0
    bouts = json.loads(capsys.readouterr().out)["bouts"]
    assert [b["direction"] for b in bouts] == ["forward", "backward"]
    assert all(0.8 <= b["direction_confidence"] <= 1.0 for b in bouts)
    assert bouts[1]["speed_m_s"]["central"] < bouts[0]["speed_m_s"]["central"]


@pytest.mark.parametrize("interval", ["45-6", "abc", "5-9999"])
def test_analyze_reference_forward_refuses_a_bad_interval(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], interval: str
):
    path = _forward_then_reversed(tmp_path)
    assert run(["analyze", str(path), "--reference-forward", interval]) != 0
    err = capsys.readouterr().err
    assert "--reference-forward" in err
    assert len(err.strip().splitlines()) == 1
