"""``retrowalk log add|edit|list|show|delete``."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from retrowalk.cli.app import run
from retrowalk.services.database import open_database
from tests.services.helpers import store_plan


@pytest.fixture
def planned() -> None:
    db = open_database()
    with db.transaction() as session:
        store_plan(session)
    db.dispose()


def add(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert run(["log", "add", *args, "--json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.usefixtures("planned")
def test_add_prints_energy_range_and_plan_change(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(
        [
            "log", "add", "--segment", "backward 2m", "--segment", "1m fwd",
            "--environment", "treadmill", "--speed", "1mph", "--rpe", "12", "--pain", "5",
            "--pain-location", "right knee", "--start", "2026-01-05T10:00+01:00",
        ]
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert "Energy:" in out
    assert "range" in out
    assert "Plan: regress" in out
    assert "5/10" in out


@pytest.mark.usefixtures("planned")
def test_add_json_shape_and_utc(capsys: pytest.CaptureFixture[str]) -> None:
    data = add(capsys, "--quick", "2x(1m back, 1m fwd)", "--start", "2026-01-05T10:00+01:00")
    assert data["started_at"] == "2026-01-05T09:00:00+00:00"
    assert data["source"] == "manual"
    assert isinstance(data["segments"], list)
    assert len(data["segments"]) == 4
    assert data["plan_change"] is not None
    for key in ("id", "ended_at", "status", "energy", "ratings", "notes"):
        assert key in data


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--segment", "2m back", "--rpe", "25"], "rpe"),
        (["--segment", "2m back", "--pain", "-1"], "pain_0_10"),
        (["--segment", "30m back", "--duration", "20m"], "segments[0].duration_s"),
        (["--segment", "2m back", "--start", "2099-01-01"], "started_at"),
        (["--segment", "2m sideways"], "--segment"),
        (["--segment", "2m back", "--speed", "3"], "--speed"),
        (["--segment", "2m back", "--rpe-scale", "x"], "--rpe-scale"),
    ],
)
def test_invalid_input_is_one_line_naming_the_field(
    capsys: pytest.CaptureFixture[str], args: list[str], field: str
) -> None:
    assert run(["log", "add", *args]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {field}: ")
    assert run(["log", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_edit_list_show_delete(capsys: pytest.CaptureFixture[str]) -> None:
    start = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    first = add(capsys, "--segment", "2m back", "--start", start, "--rpe", "11")
    short = str(first["id"])[:8]
    assert run(["log", "edit", short, "--pain", "2", "--notes", "fine", "--json"]) == 0
    edited = json.loads(capsys.readouterr().out)
    assert edited["ratings"]["pain_0_10"] == 2
    assert edited["ratings"]["rpe"] == 11
    assert edited["notes"] == "fine"
    assert run(["log", "edit", short, "--rpe", "30"]) == 2
    assert "rpe" in capsys.readouterr().err
    assert run(["log", "list"]) == 0
    assert short in capsys.readouterr().out
    assert run(["log", "show", short]) == 0
    assert "pain 2/10" in capsys.readouterr().out
    assert run(["log", "delete", short, "--yes"]) == 0
    assert run(["log", "show", short]) == 2
    assert "matches nothing" in capsys.readouterr().err


@pytest.mark.usefixtures("planned")
def test_delete_a_mistaken_fall_says_the_plan_goes_on(capsys: pytest.CaptureFixture[str]) -> None:
    start = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M+00:00")
    data = add(capsys, "--quick", "2x(1m back, 1m fwd)", "--fall", "--rpe", "12", "--start", start)
    assert run(["log", "delete", str(data["id"]), "--yes"]) == 0
    out = capsys.readouterr().out
    assert "Plan: Your plan is no longer stopped" in " ".join(out.split())


@pytest.mark.usefixtures("planned")
def test_a_real_stop_resumes_only_with_seen_professional(
    capsys: pytest.CaptureFixture[str],
) -> None:
    start = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M+00:00")
    add(capsys, "--quick", "2x(1m back, 1m fwd)", "--fall", "--rpe", "12", "--start", start)
    assert run(["plan", "show"]) == 0
    assert "plan resume --seen-professional" in capsys.readouterr().out
    assert run(["plan", "resume"]) == 2
    assert "--seen-professional" in capsys.readouterr().err
    assert run(["plan", "resume", "--seen-professional", "--yes"]) == 0
    assert "continues from the supported start" in " ".join(capsys.readouterr().out.split())
    assert run(["plan", "show", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["status"] == "active"
    assert shown["changes"][-1]["rule_id"] == "clearance.seen_professional"


@pytest.mark.usefixtures("planned")
def test_list_and_show_every_red_flag_and_the_pain_location(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrowalk.vocabulary import Symptom

    start = (datetime.now(UTC) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M+00:00")
    flags = [f"--{s.value.replace('_', '-')}" for s in Symptom]
    data = add(
        capsys, "--segment", "2m back", "--start", start, "--rpe", "12", "--pain", "5",
        "--pain-location", "right knee", *flags,
    )  # fmt: skip
    assert [s["label"] for s in data["symptoms"]] == [s.label for s in Symptom]  # type: ignore[index,union-attr]
    assert run(["log", "show", str(data["id"])]) == 0
    shown = " ".join(capsys.readouterr().out.split())
    assert "Red flags: " + ", ".join(s.label for s in Symptom) in shown
    assert "pain 5/10 (right knee)" in shown
    from retrowalk.cli.render import console

    for width in (80, 160):  # a block per session in a narrow terminal, a table in a wide one
        monkeypatch.setattr(console, "_width", width)
        assert run(["log", "list"]) == 0
        listed = capsys.readouterr().out
        assert "symptoms" in listed
        for word in ("Dizziness", "near-fall", "fall", "Chest", "Fainting", "right knee"):
            assert word in listed


@pytest.mark.usefixtures("planned")
def test_a_hallway_session_without_a_speed_has_energy_from_an_assumed_speed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["log", "add", "--quick", "2x(1m back, 1m fwd)", "--rpe", "12"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "(assumed speed)" in out
    assert "2 min backward, 4 min in all" in out  # durations for people, not "2:00"
    assert "Energy: " in out
    assert "no total" not in out
    assert "Assumed speed: no speed was given" in out
    assert "limited evidence" in out


@pytest.mark.usefixtures("planned")
def test_times_are_the_walkers_local_time_from_the_setting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETROWALK_TIME_ZONE", "Asia/Tokyo")
    from retrowalk.config import get_settings

    get_settings.cache_clear()
    data = add(capsys, "--segment", "2m back", "--start", "2026-01-05T10:00")
    assert data["started_at"] == "2026-01-05T01:00:00+00:00"  # stored in UTC
    assert run(["log", "show", str(data["id"])]) == 0
    out = capsys.readouterr().out
    assert "Mon 05 Jan 2026 10:00" in out
    assert "UTC" not in out
