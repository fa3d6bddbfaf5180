"""``retrowalk today`` and ``plan show`` with done / partly done / missed (issue 13)."""

from __future__ import annotations

import json
from datetime import datetime, time

import pytest

from retrowalk.cli.app import run
from retrowalk.config import get_settings
from retrowalk.services.database import open_database
from tests.services.helpers import store_plan


def test_today_moves_on_once_todays_session_is_logged(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RETROWALK_TIME_ZONE", "UTC")
    db = open_database()
    with db.transaction() as session:
        stored = store_plan(session)
    db.dispose()
    first, second = stored.plan.sessions[:2]
    day = first.scheduled_on.isoformat()
    assert run(["today", "--on", day, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["id"] == stored.session_id(first)
    start = datetime.combine(first.scheduled_on, time(12)).isoformat() + "+00:00"
    assert run(
        ["log", "add", "--segment", "7s back", "--status", "stopped", "--stop-reason", "tired",
         "--start", start]
    ) == 0  # fmt: skip
    capsys.readouterr()
    assert run(["today", "--on", day]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Today's session is logged: partly done (7 s of" in out
    assert "Today" not in out.replace("Today's", "")  # the next session is offered, not today's
    assert run(["today", "--on", day, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["session"]["id"] == stored.session_id(second)
    assert run(["plan", "show", "--json"]) == 0
    states = json.loads(capsys.readouterr().out)["session_states"]
    assert states[0]["state"] == "partly_done"
    assert states[0]["state_label"] == "Partly done"


def test_plan_new_works_from_the_saved_profile_and_asks_before_replacing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import io

    assert run(["plan", "new"]) == 2  # nothing saved yet: one line saying what to do
    assert "profile" in capsys.readouterr().err
    db = open_database()
    with db.transaction() as session:
        store_plan(session)
    db.dispose()
    assert run(["plan", "new", "--weeks", "2", "--yes"]) == 0
    assert "Screening" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert run(["plan", "new", "--weeks", "3"]) != 0  # asked, and the answer was no
    assert "replaces your current plan" in capsys.readouterr().out
    assert run(["plan", "show", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["weeks"]) == 2


def test_no_bool_metavar_in_any_help(capsys: pytest.CaptureFixture[str]) -> None:
    from retrowalk.cli.app import COMMANDS

    for name in COMMANDS:
        run([name, "--help"])
    run(["--help"])
    text = capsys.readouterr().out
    assert "<bool>" not in text.lower()
    assert "BOOLEAN" not in text


def test_belt_speeds_follow_the_shared_units_setting(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrowalk.services.plans import create_plan
    from tests.services.helpers import store_profile

    monkeypatch.delenv("RETROWALK_UNITS", raising=False)
    db = open_database()
    with db.transaction() as session:
        store_profile(session, "runner_25_treadmill")
        stored, _ = create_plan(session, start_on=datetime.now().date(), weeks=2)  # noqa: DTZ005
    db.dispose()
    day = next(
        s for s in stored.plan.sessions if any(seg.speed_target_m_s for seg in s.segments)
    ).scheduled_on.isoformat()
    assert run(["today", "--on", day]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "belt 1.6 km/h" in out  # the default shared with the web app
    monkeypatch.setenv("RETROWALK_UNITS", "mph")
    get_settings.cache_clear()
    assert run(["today", "--on", day]) == 0
    assert "belt 1 mph" in " ".join(capsys.readouterr().out.split())


def test_plan_texts_give_speeds_in_the_shared_units_without_m_s(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from retrowalk.services.plans import create_plan
    from tests.services.helpers import store_profile

    monkeypatch.delenv("RETROWALK_UNITS", raising=False)
    db = open_database()
    with db.transaction() as session:
        store_profile(session, "runner_25_treadmill")
        create_plan(session, start_on=datetime.now().date(), weeks=2)  # noqa: DTZ005
    db.dispose()
    assert run(["plan", "show"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Treadmill: start at" in out
    assert "m/s" not in out
    assert " mph" not in out
    monkeypatch.setenv("RETROWALK_UNITS", "mph")
    get_settings.cache_clear()
    assert run(["today"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "m/s" not in out
    assert " km/h" not in out
