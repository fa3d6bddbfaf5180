"""``retrowalk db upgrade|status``, ``export`` and ``import``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from retrowalk.cli.app import run


def test_db_upgrade_and_status(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["db", "upgrade"]) == 0
    assert "latest" in capsys.readouterr().out
    assert run(["db", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["status"] == "ok"
    assert (tmp_path / "default.sqlite3").exists()  # the URL the test settings give


def test_unreachable_database_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from retrowalk.config import get_settings

    monkeypatch.setenv("RETROWALK_DATABASE_URL", "postgresql://u:pw@127.0.0.1:1/x")
    get_settings.cache_clear()
    assert run(["db", "upgrade"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "cannot connect" in err
    assert "pw" not in err


def test_export_import_round_trip_through_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["db", "upgrade"]) == 0
    for fmt in ("json", "csv"):
        path = tmp_path / f"backup.{fmt}"
        assert run(["export", str(path), "--format", fmt]) == 0
        assert path.exists()
    assert run(["export", str(tmp_path / "x"), "--format", "xml"]) == 2
    assert "--format" in capsys.readouterr().err
    assert run(["import", str(tmp_path / "backup.json")]) == 0
    assert run(["import", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert "nope.json" in err
    assert err.count("\n") == 1


def test_serve_on_a_port_in_use_says_so_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    import socket

    from retrowalk.cli.app import run

    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        assert run(["serve", "--port", str(port)]) == 2
    finally:
        taken.close()
    out, err = capsys.readouterr()
    assert "running at" not in out
    assert len(err.strip().splitlines()) == 1
    assert f"port {port} is already in use" in err
    assert "--port" in err
    assert "RETROWALK_PORT" in err
