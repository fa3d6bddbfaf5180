"""Phone mode pages: the one-time pairing link, the Phone page, the CA download, the manifest."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from retrowalk.services.database import open_database
from retrowalk.web.app import create_app
from retrowalk.web.html import WEB_DIR
from retrowalk.web.lan import ServeConfig
from retrowalk.web.pairing import TOKEN_TTL_S, PairingTokens
from retrowalk.web.security import (
    CSRF_COOKIE,
    LOGIN_ATTEMPTS,
    SESSION_COOKIE,
    store_pairing_code,
)
from retrowalk.web.tls import ensure_certificates

CODE = "ABCDE-23456"


@pytest.fixture
def config(tmp_path: Path) -> ServeConfig:
    tls = ensure_certificates(("192.168.1.20", "localhost"), tmp_path / "tls")
    return ServeConfig(
        scheme="https",
        port=8443,
        addresses=("192.168.1.20", "fd00::2"),
        names=("walker-laptop", "walker-laptop.local"),
        ca_fingerprint_sha256=tls.ca_fingerprint_sha256,
        ca_cert_path=tls.ca_cert_path,
    )


@pytest.fixture
def lan(tmp_path: Path, config: ServeConfig) -> Iterator[TestClient]:
    url = f"sqlite:///{tmp_path / 'lan.sqlite3'}"
    db = open_database(url)
    with db.transaction() as session:
        store_pairing_code(session, CODE)
    db.dispose()
    app = create_app(url, lan=True, serve=config)
    with TestClient(app, base_url="https://192.168.1.20:8443") as client:
        yield client


def _token(client: TestClient) -> str:
    return str(client.app.state.pairing.issue())  # type: ignore[attr-defined]


def test_a_pairing_link_logs_in_once(lan: TestClient) -> None:
    token = _token(lan)
    assert lan.get("/today", follow_redirects=False).headers["location"].startswith("/login")
    response = lan.get(f"/pair?token={token}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Secure" in cookie
    assert lan.get("/api/logs").status_code == 200
    lan.cookies.clear()
    again = lan.get(f"/pair?token={token}", follow_redirects=False)
    assert again.status_code == 410
    assert "expired or was already used" in again.text
    assert lan.get("/api/logs").status_code == 401


def test_an_expired_pairing_link_is_refused_and_says_why(lan: TestClient) -> None:
    now = [1000.0]
    lan.app.state.pairing = PairingTokens(ttl_s=TOKEN_TTL_S, clock=lambda: now[0])  # type: ignore[attr-defined]
    token = _token(lan)
    now[0] += TOKEN_TTL_S + 1
    expired = lan.get(f"/pair?token={token}", follow_redirects=False)
    assert expired.status_code == 410
    assert "expired or was already used" in expired.text
    assert SESSION_COOKIE not in expired.headers.get("set-cookie", "")
    assert lan.get("/api/logs").status_code == 401


def test_an_api_write_from_the_https_lan_origin_is_accepted(
    lan: TestClient,
) -> None:
    lan.get(f"/pair?token={_token(lan)}")
    origin = {"Origin": "https://192.168.1.20:8443", "Sec-Fetch-Site": "same-origin"}
    csrf = lan.cookies[CSRF_COOKIE]
    written = lan.post(
        "/api/logs",
        json={
            "started_at": "2026-01-05T09:00:00Z",
            "segments": [
                {
                    "direction": "backward",
                    "duration_s": 60,
                    "environment": "hallway",
                    "support": "wall_or_rail",
                }
            ],
        },
        headers={**origin, "X-CSRF-Token": csrf},
    )
    assert written.status_code == 201, written.text
    foreign = lan.post(
        "/api/logs",
        json={},
        headers={"Origin": "https://attacker.example", "X-CSRF-Token": csrf},
    )
    assert foreign.status_code == 403


@pytest.mark.parametrize(
    "host", ["walker-laptop.local:8443", "192.168.1.20:8443", "[fd00::2]:8443"]
)
def test_the_names_the_certificate_covers_pass_the_host_allow_list(
    lan: TestClient, host: str
) -> None:
    assert lan.get("/login", headers={"Host": host}).status_code == 200
    assert lan.get("/login", headers={"Host": "walker-desktop.local"}).status_code == 421


def test_wrong_links_and_codes_share_the_failed_login_limit(lan: TestClient) -> None:
    for _ in range(LOGIN_ATTEMPTS):
        assert lan.get("/pair?token=guess", follow_redirects=False).status_code == 410
    good = _token(lan)
    limited = lan.get(f"/pair?token={good}", follow_redirects=False)
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0
    assert "Too many wrong codes" in limited.text
    page = lan.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf
    typed = lan.post("/login", data={"code": CODE, "csrf_token": csrf.group(1)})
    assert typed.status_code == 429  # the right code waits too


def test_the_phone_page_shows_a_fresh_qr_code_addresses_and_fingerprint(
    lan: TestClient, config: ServeConfig
) -> None:
    lan.get(f"/pair?token={_token(lan)}")
    page = lan.get("/phone")
    assert page.status_code == 200
    assert "<svg" in page.text
    assert "Pairing code" in page.text
    assert "https://192.168.1.20:8443/" in page.text
    assert "https://[fd00::2]:8443/" in page.text
    assert str(config.ca_fingerprint_sha256) in page.text
    assert page.text != lan.get("/phone").text  # a new one-time link each time


def test_the_ca_certificate_and_manifest_need_no_login(
    lan: TestClient, config: ServeConfig
) -> None:
    ca = lan.get("/ca.pem")
    assert ca.status_code == 200
    assert ca.headers["content-type"] == "application/x-x509-ca-cert"
    assert config.ca_cert_path is not None
    assert ca.content == config.ca_cert_path.read_bytes()
    manifest = lan.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    assert lan.get("/static/icon-192.png").status_code == 200


def test_manifest_icons_exist_with_the_sizes_they_claim() -> None:
    manifest = json.loads((WEB_DIR / "static" / "manifest.webmanifest").read_text())
    assert manifest["start_url"] == "/today"
    assert manifest["display"] in ("fullscreen", "standalone")
    pngs = [i for i in manifest["icons"] if i["type"] == "image/png"]
    assert {i["sizes"] for i in pngs} >= {"192x192", "512x512"}
    for icon in pngs:
        data = (WEB_DIR / icon["src"].removeprefix("/")).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
        assert f"{width}x{height}" == icon["sizes"]


def test_outside_lan_mode_the_phone_page_says_how_to_start_it(tmp_path: Path) -> None:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'local.sqlite3'}")) as client:
        page = client.get("/phone")
        assert "retrowalk serve --lan" in page.text
        assert "<svg" not in page.text
        assert client.get("/ca.pem").status_code == 404
        assert client.get("/pair?token=x", follow_redirects=False).status_code == 303


def test_serve_config_urls_and_allowed_hosts(config: ServeConfig) -> None:
    assert config.primary_url == "https://192.168.1.20:8443/"
    assert config.urls[1] == "https://[fd00::2]:8443/"
    assert config.allowed_hosts() >= {
        "192.168.1.20",
        "fd00::2",
        "walker-laptop.local",
        "localhost",
        "127.0.0.1",
    }
