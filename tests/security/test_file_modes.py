"""Health data on disk is readable by its owner only: data folder 0700, database, its WAL and
shared-memory files and export files 0600."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from retrowalk.cli.app import run
from retrowalk.config import default_data_dir, get_settings
from retrowalk.services.database import open_database


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def _default_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RETROWALK_DATABASE_URL")  # the default place, under XDG_DATA_HOME
    get_settings.cache_clear()
    previous = os.umask(0o022)  # the usual umask, which would give 0755 and 0644
    yield
    os.umask(previous)


def test_new_data_folder_database_and_exports_are_private(tmp_path: Path) -> None:
    assert run(["log", "add", "--quick", "1m back", "--start", "2026-01-05T10:00"]) == 0
    folder = default_data_dir()
    database = folder / "retrowalk.sqlite3"
    assert _mode(folder) == 0o700
    assert _mode(database) == 0o600
    open_db = open_database()  # while it is open and written, its -wal and -shm files exist
    with open_db.transaction() as session:
        session.execute(text("UPDATE session_logs SET notes = 'x'"))
    for side in ("-wal", "-shm"):
        assert _mode(database.with_name(database.name + side)) == 0o600, side
    open_db.dispose()
    for fmt in ("json", "csv"):
        export = tmp_path / f"export.{fmt}"
        assert run(["export", str(export), "--format", fmt]) == 0
        assert _mode(export) == 0o600, fmt


def test_an_existing_database_is_made_private(tmp_path: Path) -> None:
    assert run(["log", "list"]) == 0
    folder = default_data_dir()
    database = folder / "retrowalk.sqlite3"
    folder.chmod(0o755)
    database.chmod(0o644)
    assert run(["log", "list"]) == 0
    assert _mode(folder) == 0o700
    assert _mode(database) == 0o600
