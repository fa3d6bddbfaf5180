"""The app (``retrowalk.web.app``): every page it serves renders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import (
    log_body,
)


def test_every_page_renders(client: TestClient, planned: dict[str, Any]) -> None:
    client.post("/api/logs", json=log_body(datetime.now(UTC) - timedelta(minutes=30)))
    log_id = client.get("/api/logs").json()[0]["id"]
    session_id = client.get("/api/today").json()["session"]["id"]  # the plan adapted to the log
    pages = [
        "/onboarding",
        "/onboarding/result",
        "/balance-test",
        "/today",
        "/plan",
        f"/player/{session_id}",
        "/log",
        "/log/new",
        f"/log/{log_id}/edit",
        "/progress",
        "/settings",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<main" in response.text
    assert client.get("/player/nope").status_code == 404
    assert client.get("/log/nope-nope/edit").status_code == 404
