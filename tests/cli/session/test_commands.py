"""``retrowalk session start|resume``: a quick session, Ctrl-C then resume, refusals."""

from __future__ import annotations

import pytest

from retrowalk.cli.app import run
from retrowalk.cli.session.keys import KeyReader
from retrowalk.services.database import Database
from tests.cli.session.helpers import FAST, logs


def test_quick_session_plays_and_logs(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["session", "start", "--quick", "1m back, 30s fwd", *FAST]) == 0
    out = capsys.readouterr().out
    assert "[0:10] Turn around. Walk backward" in out
    assert "Session complete" in out
    assert "Energy:" in out
    (row,) = logs(db)
    assert row.status == "completed"
    assert row.source == "quick"
    assert [s.duration_s for s in row.segments] == [60.0, 30.0]
    assert row.checkpoint is None


@pytest.mark.realtime
def test_ctrl_c_keeps_the_session_in_progress_then_resume_continues(
    db: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    calls = {"n": 0}
    real_wait = KeyReader.wait

    def interrupting_wait(self: KeyReader, timeout_s: float) -> str | None:
        calls["n"] += 1
        if calls["n"] == 20:
            raise KeyboardInterrupt
        return real_wait(self, timeout_s)

    monkeypatch.setattr(KeyReader, "wait", interrupting_wait)
    # 30 minutes at 100x: 18 s of real time, far more than 20 polls take even on a slow machine
    # (a 5-minute session once ended by itself before the 20th poll).
    args = ["session", "start", "--quick", "30m back", "--non-interactive", "--no-voice"]
    assert run([*args, "--time-scale", "100"]) == 130
    assert "session resume" in capsys.readouterr().out
    (row,) = logs(db)
    assert row.status == "in_progress"
    assert row.checkpoint is not None
    monkeypatch.setattr(KeyReader, "wait", real_wait)
    assert run(["session", "resume", "--non-interactive"]) == 2
    assert "--continue" in capsys.readouterr().err
    assert run(["session", "resume", "--continue", *FAST]) == 0
    (row,) = logs(db)
    assert row.status == "completed"
    assert row.segments[0].duration_s == pytest.approx(1800)


def test_resume_without_session(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["session", "resume", "--log-partial", "--non-interactive"]) == 2
    assert "no session in progress" in capsys.readouterr().err


def test_second_start_is_refused(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.transaction() as session:
        from retrowalk.services.guided import start_guided

        start_guided(session, quick_spec="1m back")
    assert run(["session", "start", "--quick", "1m back", *FAST]) == 2
    assert "still in progress" in capsys.readouterr().err


# The real time a checkpoint may take beyond its interval: one short SQLite transaction and the
