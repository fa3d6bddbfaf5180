"""Import is one more entry path: it applies the same checks as the API (notes length, dates)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from retrowalk.cli.app import run
from retrowalk.web.app import create_app
from tests.security.test_web_hardening import LOG
from tests.web.conftest import PROFILE


@pytest.fixture
def export(tmp_path: Path) -> dict[str, Any]:
    """An export of one profile and one rated log."""
    with TestClient(create_app(f"sqlite:///{tmp_path / 'source.sqlite3'}")) as client:
        assert client.put("/api/profile", json=PROFILE).status_code == 200
        rated = {**LOG, "ratings": {"rpe": 12, "pain_0_10": 1}}
        assert client.post("/api/logs", json=rated).status_code == 201
        document: dict[str, Any] = client.get("/api/export").json()
    return document


def _long_log_notes(doc: dict[str, Any]) -> None:
    doc["tables"]["session_logs"][0]["notes"] = "n" * 501


def _long_rating_notes(doc: dict[str, Any]) -> None:
    doc["tables"]["symptom_reports"][0]["notes"] = "n" * 501


def _year_1999(doc: dict[str, Any]) -> None:
    doc["tables"]["session_logs"][0]["started_at"] = "1999-06-01T09:00:00+00:00"


def _pain_11(doc: dict[str, Any]) -> None:
    doc["tables"]["symptom_reports"][0]["pain_0_10"] = 11


TAMPERINGS = {
    "notes": _long_log_notes,
    "ratings.notes": _long_rating_notes,
    "started_at": _year_1999,
    "pain_0_10": _pain_11,
}


@pytest.mark.parametrize("field", TAMPERINGS)
def test_cli_import_refuses_what_the_api_refuses(
    export: dict[str, Any],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: str,
) -> None:
    tamper: Callable[[dict[str, Any]], None] = TAMPERINGS[field]
    tamper(export)
    path = tmp_path / "tampered.json"
    path.write_text(json.dumps(export))
    assert run(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert f"{field}: got" in err
    assert run(["log", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_api_import_refuses_long_notes(export: dict[str, Any], client: TestClient) -> None:
    _long_log_notes(export)
    files = {"file": ("export.json", json.dumps(export).encode(), "application/json")}
    response = client.post("/api/import", files=files)
    assert response.status_code == 422
    assert "notes" in response.json()["detail"][0]["message"]
    assert client.get("/api/logs").json() == []


def test_an_untampered_export_still_imports(
    export: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    assert run(["import", str(path)]) == 0
    capsys.readouterr()
    assert run(["log", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
