"""``retrowalk progress [--weeks N] [--on DAY] [--tz ZONE] [--json]``."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from retrowalk import __version__
from retrowalk.cli.app import run
from retrowalk.cli.progress import goal_bar
from retrowalk.errors import InvalidInputError
from retrowalk.services.database import open_database
from retrowalk.timeutil import parse_zone
from tests.services.progress_rows import add_3mbwt, add_log, add_plan, add_profile

MONDAY = date(2026, 3, 16)
ON = "2026-03-18"


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@pytest.fixture
def walked_data() -> None:
    """A profile, a plan, three logs and two 3MBWT results in the configured database."""
    db = open_database()
    try:
        with db.transaction() as session:
            profile = add_profile(session, "parkinsons_66")
            planned = add_plan(
                session,
                profile.id,
                [(MONDAY - timedelta(days=7), "done"), (MONDAY, "planned")],
                start_on=MONDAY - timedelta(days=7),
            )
            add_log(
                session,
                at(MONDAY - timedelta(days=7)),
                [("forward", 600), ("backward", 600)],
                profile_id=profile.id,
                rpe=13,
                energy_kcal=80.0,
                planned_session_id=planned[0].id,
            )
            add_log(
                session,
                at(MONDAY),
                [("backward", 900)],
                profile_id=profile.id,
                planned_session_id=planned[1].id,
                pain_0_10=3,
                pain_location="right knee",
                near_fall=True,
            )
            add_3mbwt(session, profile.id, at(MONDAY - timedelta(days=30)), 15.0)
            add_3mbwt(session, profile.id, at(MONDAY - timedelta(days=1)), 12.0)
    finally:
        db.dispose()


@pytest.mark.usefixtures("walked_data")
def test_progress_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["progress", "--json", "--weeks", "2", "--on", ON, "--tz", "UTC"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == ON
    assert data["time_zone"] == "UTC"
    assert data["goal_minutes"] == 150
    assert data["retrowalk_version"] == __version__
    last, this = data["weeks"]
    assert last["walking_minutes"] == 20.0
    assert last["moderate_or_more_minutes"] == 20.0
    assert last["backward_minutes"] == 10.0
    assert last["adherence"] == 1.0
    assert last["energy_kcal"] == {"low": 64, "central": 80, "high": 96}
    assert this["walking_minutes"] == 15.0
    assert this["moderate_or_more_minutes"] == 0.0
    assert this["unknown_effort_minutes"] == 15.0
    assert this["energy_kcal"] is None
    assert this["symptoms"]["near_falls"] == 1
    assert this["symptoms"]["pain_locations"] == ["right knee"]
    assert [t["score_s"] for t in data["balance_tests"]] == [15.0, 12.0]
    assert data["balance_tests"][1]["change"]["verdict"] == "improved"
    assert data["streaks"]["planned_sessions"] == {"current": 2, "longest": 2}
    assert data["notes"]


@pytest.mark.usefixtures("walked_data")
def test_progress_human(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["progress", "--weeks", "2", "--on", ON, "--tz", "UTC"]) == 0
    out = " ".join(capsys.readouterr().out.split())  # Rich wraps long lines
    assert "Minutes per week" in out
    assert "#......... 20/150" in out
    assert "1/1 (100%)" in out
    assert "80 (64-96)" in out
    assert "near-fall x1" in out
    assert "15 s," in out
    assert "improved" in out
    assert "MDC 2.13 s" in out
    assert "planned sessions done in a row: 2 now, 2 longest" in out
    assert "not a statistical interval" in out
    assert "Monday to Sunday, UTC" in out


def test_progress_on_an_empty_database(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["progress", "--json", "--on", ON, "--tz", "Europe/Paris"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["weeks"]) == 8
    assert data["weeks"][-1]["week_start"] == MONDAY.isoformat()
    assert data["time_zone"] == "Europe/Paris"
    assert run(["progress", "--on", ON]) == 0
    assert "none yet" in capsys.readouterr().out


def test_progress_default_day_and_zone(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["progress", "--json", "--weeks", "1"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert len(data["weeks"]) == 1
    assert data["time_zone"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tz", "Mars/Olympus"], "--tz"),
        (["--weeks", "0"], "weeks"),
        (["--weeks", "500"], "weeks"),
        (["--on", "18/03/2026"], "--on"),
    ],
)
def test_progress_refuses_bad_options(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["progress", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("minutes", "bar"),
    [
        (0, ".......... 0/150"),
        (75, "#####..... 75/150"),
        (150, "########## 150/150"),
        (400, "########## 400/150"),
    ],
)
def test_goal_bar(minutes: float, bar: str) -> None:
    assert goal_bar(minutes) == bar


def test_parse_zone() -> None:
    assert parse_zone("UTC") is UTC
    assert parse_zone("utc") is UTC
    assert str(parse_zone("Europe/Paris")) == "Europe/Paris"
    assert parse_zone(None) is not None
    with pytest.raises(InvalidInputError, match="--tz"):
        parse_zone("../etc/passwd")


def test_progress_shows_the_steadiness_trend_and_the_smallest_real_change(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.services.helpers import store_profile
    from tests.services.test_progress_steadiness import add_recorded_log

    db = open_database()
    try:
        with db.transaction() as session:
            store_profile(session)
            add_recorded_log(session, at(MONDAY - timedelta(days=7)), [0.70, 0.72])
            add_recorded_log(session, at(MONDAY), [0.72, 0.73])
    finally:
        db.dispose()
    assert run(["progress", "--on", ON, "--tz", "UTC"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Steadiness walking backward" in out
    assert "No real change yet: +0.02 (smallest real change 0.07)" in out
    assert "Oxford Step Counter" in out
    assert run(["progress", "--on", ON, "--tz", "UTC", "--json"]) == 0
    steadiness = json.loads(capsys.readouterr().out)["steadiness"]
    assert steadiness["verdict"] == "no_real_change"
    assert [w["sessions"] for w in steadiness["weeks"]][-2:] == [1, 1]
