"""``retrowalk screen --profile FILE [--json]``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrowalk import __version__
from retrowalk.cli.app import run
from tests.strategies import PERSONAS_DIR


def write_profile(tmp_path: Path, persona: str, **changes: object) -> Path:
    raw = json.loads((PERSONAS_DIR / f"{persona}.json").read_text(encoding="utf-8"))
    data = {k: v for k, v in raw.items() if not k.startswith("_")} | changes
    path = tmp_path / "profile.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_screen_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_profile(tmp_path, "fell_last_year_72")
    assert run(["screen", "--profile", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["clearance"] == "go_with_support"
    assert data["version"] == __version__
    assert data["requires_support"] is True
    assert {r["rule_id"] for r in data["reasons"]} >= {"fall_past_year", "age_65_plus"}
    assert all(r["source"] and r["evidence"] and r["text"] for r in data["reasons"])


def test_screen_human(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_profile(tmp_path, "pregnant_31")
    assert run(["screen", "--profile", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Outcome: see_professional_first" in out
    assert "rule pregnancy; source: PAR-Q+" in out
    assert "not a diagnosis" in out


def test_screen_go_human(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_profile(tmp_path, "runner_25_treadmill")
    assert run(["screen", "--profile", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Outcome: go" in out
    assert "no_risk_found" in out


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"age_years": 130}, "age_years"),
        ({"mass_kg": 5}, "mass_kg"),
        ({"pain": {"knee": 11}}, "pain.knee"),
        ({"conditions": ["gout"]}, "conditions.0"),
        ({"shoe_size": 42}, "shoe_size"),
    ],
)
def test_bad_profile_is_one_stderr_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], changes: dict[str, object], field: str
) -> None:
    path = write_profile(tmp_path, "runner_25_treadmill", **changes)
    assert run(["screen", "--profile", str(path), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {field}: got ")


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["screen", "--profile", str(tmp_path / "none.json")]) == 2
    assert "none.json" in capsys.readouterr().err
