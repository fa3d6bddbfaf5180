"""DNS rebinding, foreign origins, request body size and JSON nesting, at the web edge."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from retrowalk.cli.app import run
from retrowalk.web.app import create_app
from tests.web.conftest import PROFILE

LOG = {
    "started_at": "2026-01-05T09:00:00Z",
    "segments": [
        {"direction": "backward", "duration_s": 60, "environment": "hallway",
         "support": "wall_or_rail"}
    ],
}  # fmt: skip


def test_a_foreign_host_gets_neither_data_nor_writes(client: TestClient) -> None:
    assert client.put("/api/profile", json=PROFILE).status_code == 200
    rebound = {"Host": "attacker.example:8000"}
    assert client.get("/api/export", headers=rebound).status_code == 421
    assert client.post("/api/logs", json=LOG, headers=rebound).status_code == 421
    assert client.get("/api/logs").json() == []
    # The names the server is started for still work.
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000", "testserver"):
        assert client.get("/api/health", headers={"Host": host}).status_code == 200, host


def test_lan_mode_accepts_this_computers_name_and_ip_addresses(tmp_path: Path) -> None:
    import socket

    app = create_app(f"sqlite:///{tmp_path / 'lan.sqlite3'}", lan=True)
    with TestClient(app) as client:
        for host in (socket.gethostname(), f"{socket.gethostname()}.local", "192.168.1.20:8000"):
            answer = client.get("/login", headers={"Host": host})
            assert answer.status_code == 200, host
        assert client.get("/login", headers={"Host": "evil.example"}).status_code == 421


def test_a_write_from_a_foreign_origin_is_refused(client: TestClient) -> None:
    for origin in ("http://attacker.example", "null"):
        refused = client.post("/api/logs", json=LOG, headers={"Origin": origin})
        assert refused.status_code == 403
    assert client.get("/api/logs").json() == []


def test_request_bodies_are_bounded(client: TestClient) -> None:
    huge = b'{"notes": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = client.post("/api/logs", content=huge, headers={"Content-Type": "application/json"})
    assert response.status_code == 413

    def chunks() -> object:  # no Content-Length: counted while read
        for _ in range(40):
            yield b"x" * 65536

    streamed = client.post(
        "/api/logs", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert streamed.status_code == 413
    form = client.post(
        "/settings", content=chunks(), headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert form.status_code == 413


@pytest.mark.parametrize("path", ["/api/logs", "/api/profile"])
def test_deeply_nested_json_is_one_clear_error(client: TestClient, path: str) -> None:
    body = b"[" * 100_000 + b"]" * 100_000
    response = client.request(
        "PUT" if path == "/api/profile" else "POST",
        path,
        content=body,
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 422
    assert "nested" in json.dumps(response.json())


def _nested_export() -> bytes:
    return b'{"format": "retrowalk-export", "schema_version": 1, "tables": ' + (
        b"[" * 100_000 + b"]" * 100_000 + b"}"
    )


def test_import_of_deeply_nested_json_is_one_clear_error(client: TestClient) -> None:
    files = {"file": ("export.json", _nested_export(), "application/json")}
    response = client.post("/api/import", files=files)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "file"
    assert "nested" in response.json()["detail"][0]["message"]


def test_cli_import_of_deeply_nested_json_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nested.json"
    path.write_bytes(_nested_export())
    assert run(["import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "nested" in err


def _zip_bomb(unpacked_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        manifest = {"format": "retrowalk-export", "schema_version": 1,
                    "tables": {"profiles": {"columns": [], "rows": 0}}}  # fmt: skip
        archive.writestr("manifest.json", json.dumps(manifest))
        with archive.open("profiles.csv", "w") as member:
            block = b"\0" * (1024 * 1024)
            for _ in range(unpacked_mb):
                member.write(block)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client: TestClient) -> None:
    bomb = _zip_bomb(200)
    assert len(bomb) < 1024 * 1024  # 200 MB unpacked from well under 1 MB
    files = {"file": ("export.zip", bomb, "application/zip")}
    response = client.post("/api/import", files=files)
    assert response.status_code == 422
    assert "zip export of at most" in response.json()["detail"][0]["message"]


def test_unpacking_stops_at_the_budget_whatever_the_listing_says() -> None:
    from retrowalk.errors import InvalidInputError
    from retrowalk.services.bounds import read_zip_member

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.csv", b"a" * 5000)
    budget = [1000]
    with zipfile.ZipFile(buffer) as archive, pytest.raises(InvalidInputError):
        read_zip_member(archive, "a.csv", "file", budget)
    budget = [6000]
    with zipfile.ZipFile(buffer) as archive:
        assert len(read_zip_member(archive, "a.csv", "file", budget)) == 5000
    assert budget == [1000]
