"""A read-only database: health says so, writes answer 503 (web) or one line and exit 2 (CLI),
and nothing stored is lost."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from retrowalk.cli.app import run
from retrowalk.config import get_settings
from retrowalk.web.app import create_app
from tests.security.test_web_hardening import LOG
from tests.web.conftest import PROFILE


def _read_only_url(path: Path) -> str:
    """The same SQLite file, opened read-only (as when its file or folder is not writable)."""
    return f"sqlite:///file:{path}?mode=ro&uri=true"


@pytest.fixture
def stored(tmp_path: Path) -> Path:
    path = tmp_path / "ro.sqlite3"
    with TestClient(create_app(f"sqlite:///{path}")) as client:
        assert client.put("/api/profile", json=PROFILE).status_code == 200
        assert client.post("/api/logs", json=LOG).status_code == 201
    return path


def test_health_reports_a_read_only_database(stored: Path) -> None:
    with TestClient(create_app(_read_only_url(stored))) as client:
        health = client.get("/api/health").json()
    assert health["status"] == "degraded"
    assert health["database"]["status"] == "read_only"
    assert health["database"]["writable"] is False


def test_api_writes_answer_503_and_nothing_is_lost(stored: Path) -> None:
    with TestClient(create_app(_read_only_url(stored))) as client:
        before = client.get("/api/logs").json()
        later = {**LOG, "started_at": "2026-01-06T09:00:00Z"}
        refused = client.post("/api/logs", json=later)
        assert refused.status_code == 503
        assert "read-only" in refused.json()["detail"]
        assert client.put("/api/profile", json=PROFILE).status_code == 503
        assert client.get("/api/logs").json() == before
    with TestClient(create_app(f"sqlite:///{stored}")) as client:
        assert client.get("/api/health").json()["database"]["writable"] is True
        assert len(client.get("/api/logs").json()) == 1


def test_cli_log_add_prints_one_line_and_exits_2(
    stored: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RETROWALK_DATABASE_URL", _read_only_url(stored))
    get_settings.cache_clear()
    assert run(["log", "add", "--quick", "1m back", "--start", "2026-01-07T10:00+00:00"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "read-only" in err
    assert run(["log", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


@pytest.mark.postgres
def test_a_read_only_postgresql_database_is_reported_and_refused(
    make_db_url: Callable[[str], str],
) -> None:
    url = make_db_url("postgresql")
    with TestClient(create_app(url)) as client:
        assert client.put("/api/profile", json=PROFILE).status_code == 200
    read_only = url + quote(" -cdefault_transaction_read_only=on")
    with TestClient(create_app(read_only)) as client:
        health = client.get("/api/health").json()
        assert health["database"]["status"] == "read_only"
        assert client.post("/api/logs", json=LOG).status_code == 503
        assert client.get("/api/logs").json() == []
