"""The CLI contract: version, help, one-line errors with exit status 2, db/export/import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from retrowalk import __version__
from retrowalk.cli.app import run


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"retrowalk {__version__}"


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("db", "export", "import", "serve", "energy", "screen"):
        assert command in out


def test_unknown_command_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["frobnicate"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("error: ")
    assert "frobnicate" in err


def test_db_upgrade_and_status(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from retrowalk.config import get_settings

    monkeypatch.setenv("RETROWALK_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    get_settings.cache_clear()
    assert run(["db", "upgrade"]) == 0
    assert "latest" in capsys.readouterr().out
    assert run(["db", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["status"] == "ok"
    assert (tmp_path / "cli.sqlite3").exists()


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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from retrowalk.config import get_settings

    monkeypatch.setenv("RETROWALK_DATABASE_URL", f"sqlite:///{tmp_path / 'a.sqlite3'}")
    get_settings.cache_clear()
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


def test_debug_shows_the_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "retrowalk", "--debug", "import", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
        env={
            "RETROWALK_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    plain = subprocess.run(
        [sys.executable, "-m", "retrowalk", "import", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
        env={
            "RETROWALK_DATABASE_URL": f"sqlite:///{tmp_path / 'd.sqlite3'}",
            "PATH": "/usr/bin:/bin",
        },
    )
    assert plain.returncode == 2
    assert "Traceback" not in plain.stderr
    assert plain.stderr.strip().count("\n") == 0
