"""``retrowalk today`` and ``plan show`` with done / partly done / missed (issue 13)."""

from __future__ import annotations

import json
from datetime import datetime, time

import pytest

from retrowalk.cli.app import run
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
