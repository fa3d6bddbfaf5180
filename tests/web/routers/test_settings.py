"""Settings and backups (``retrowalk.web.routers.settings``): export and import over the API and
on the Settings page."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from retrowalk.web.app import create_app
from tests.web.conftest import (
    form_token,
    log_body,
)


def test_export_then_import_into_a_new_database(
    client: TestClient, planned: dict[str, Any], tmp_path: Path
) -> None:
    client.post("/api/logs", json=log_body(datetime.now(UTC) - timedelta(minutes=30)))
    exported = client.get("/api/export")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    document = exported.json()
    assert document["format"] == "retrowalk-export"
    zipped = client.get("/api/export", params={"format": "csv"})
    assert zipped.content[:2] == b"PK"
    files = {"file": ("export.json", exported.content, "application/json")}
    assert client.post("/api/import", files=files).status_code == 409  # not empty
    merged = client.post("/api/import", params={"merge": "true"}, files=files)
    assert merged.status_code == 200
    assert sum(merged.json()["inserted"].values()) == 0
    with TestClient(create_app(f"sqlite:///{tmp_path / 'new.sqlite3'}")) as fresh:
        restored = fresh.post("/api/import", files=files)
        assert restored.status_code == 200
        assert restored.json()["inserted"]["session_logs"] == 1
        corrupt = fresh.post("/api/import", files={"file": ("x.json", b"{nope", "text/plain")})
        assert corrupt.status_code == 422
        assert corrupt.json()["detail"][0]["field"] == "file"
    assert json.loads(exported.content)["tables"]["session_logs"]


def test_settings_export_and_import_pages(client: TestClient) -> None:
    token = form_token(client)
    saved = client.post("/settings", data={"csrf_token": token, "units": "mph", "voice": "on"})
    assert "Saved" in saved.text
    assert client.post("/settings", data={"csrf_token": token, "units": "m/s"}).status_code == 422
    exported = client.get("/settings/export", params={"format": "csv"})
    assert exported.content[:2] == b"PK"
    document = client.get("/settings/export").content
    no_file = client.post("/settings/import", data={"csrf_token": token})
    assert no_file.status_code == 422
    files = {"file": ("export.json", document, "application/json")}
    not_empty = client.post("/settings/import", data={"csrf_token": token}, files=files)
    assert not_empty.status_code == 409
    merged = client.post("/settings/import", data={"csrf_token": token, "merge": "on"}, files=files)
    assert "Imported 0 rows" in merged.text
    broken = {"file": ("x.json", b"not json", "application/json")}
    assert (
        client.post("/settings/import", data={"csrf_token": token}, files=broken).status_code == 422
    )
