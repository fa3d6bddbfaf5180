"""Health, the OpenAPI document and the API documentation (``retrowalk.web.routers.meta``)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from retrowalk import __version__
from retrowalk.web.app import create_app


def test_health_reports_version_and_database(tmp_path: Path) -> None:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'w.sqlite3'}")) as client:
        response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["version"] == __version__
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"
    assert body["database"]["revision"] == body["database"]["head"]


def test_app_migrates_on_start(tmp_path: Path) -> None:
    path = tmp_path / "fresh.sqlite3"
    assert not path.exists()
    with TestClient(create_app(f"sqlite:///{path}")) as client:
        assert client.get("/api/health").json()["database"]["status"] == "ok"
    assert path.exists()


def test_openapi_is_served(tmp_path: Path) -> None:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'o.sqlite3'}")) as client:
        assert client.get("/openapi.json").status_code == 200


def test_docs_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert client.get("/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/swagger/other.js").status_code == 404
