"""LAN mode login, CSRF, cross-site writes, the failed-login limit and security headers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from retrowalk.services.database import open_database
from retrowalk.store import models
from retrowalk.web.app import create_app
from retrowalk.web.security import (
    LoginRateLimiter,
    hash_code,
    new_pairing_code,
    store_pairing_code,
    verify_code,
)
from tests.web.conftest import PROFILE, paired_database_url

CODE = "ABCDE-23456"


def _token(client: TestClient, path: str = "/login") -> str:
    page = client.get(path)
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


@pytest.fixture
def lan(tmp_path: Path) -> Iterator[TestClient]:
    url = paired_database_url(tmp_path, CODE)
    with TestClient(create_app(url, lan=True), base_url="http://phone.test") as client:
        yield client


def test_pairing_code_is_stored_only_as_a_salted_hash(tmp_path: Path) -> None:
    code = new_pairing_code()
    assert re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", code)
    record = hash_code(code)
    assert code.replace("-", "") not in str(record)
    assert verify_code(code.lower().replace("-", " "), record)
    assert not verify_code("WRONG-CODE1", record)
    assert hash_code(code)["salt"] != record["salt"]
    db = open_database(f"sqlite:///{tmp_path / 'h.sqlite3'}")
    with db.transaction() as session:
        store_pairing_code(session, code)
    with db.factory() as session:
        stored = session.get(models.Setting, "auth.pairing")
        assert stored is not None
        assert code not in str(stored.value)
    db.dispose()


def test_lan_mode_requires_login_for_pages_and_api(lan: TestClient) -> None:
    page = lan.get("/today", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/today"
    assert lan.get("/api/logs").status_code == 401
    assert lan.get("/api/health").status_code == 401
    assert lan.get("/openapi.json").status_code == 401
    assert lan.get("/static/app.css").status_code == 200
    assert lan.get("/login").status_code == 200


def test_login_sets_a_strict_httponly_cookie_and_csrf_protects_writes(lan: TestClient) -> None:
    token = _token(lan)
    response = lan.post(
        "/login",
        data={"code": CODE.lower(), "csrf_token": token, "next": "/settings"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/settings"
    cookie = response.headers["set-cookie"]
    assert "rw_session=" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
    assert lan.get("/api/logs").status_code == 200
    # A write without the CSRF header is refused; with it, it goes through.
    assert lan.put("/api/profile", json=PROFILE).status_code == 403
    csrf = lan.cookies.get("rw_csrf")
    assert csrf
    ok = lan.put("/api/profile", json=PROFILE, headers={"X-CSRF-Token": csrf})
    assert ok.status_code == 200
    # Logging out ends the login.
    assert lan.post("/logout", data={"csrf_token": csrf}, follow_redirects=False).status_code == 303
    lan.cookies.delete("rw_session")
    assert lan.get("/api/logs").status_code == 401


def test_failed_logins_are_rate_limited(lan: TestClient) -> None:
    token = _token(lan)
    for _ in range(5):
        wrong = lan.post("/login", data={"code": "WRONG", "csrf_token": token})
        assert wrong.status_code == 401
    limited = lan.post("/login", data={"code": CODE, "csrf_token": token})
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) > 0


def test_open_redirects_are_refused(lan: TestClient) -> None:
    token = _token(lan)
    response = lan.post(
        "/login",
        data={"code": CODE, "csrf_token": token, "next": "//evil.example/x"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_rate_limiter_window() -> None:
    now = [0.0]
    limiter = LoginRateLimiter(attempts=2, window_s=60, clock=lambda: now[0])
    limiter.record_failure("a")
    assert limiter.retry_after_s("a") is None
    limiter.record_failure("a")
    assert limiter.retry_after_s("a") == 60
    assert limiter.retry_after_s("b") is None
    now[0] = 61.0
    assert limiter.retry_after_s("a") is None


def test_cross_site_writes_are_refused_on_localhost(client: TestClient) -> None:
    evil = {"Origin": "http://evil.example", "Content-Type": "application/json"}
    assert (
        client.put("/api/settings", json={"units": "mph", "voice": True}, headers=evil).status_code
        == 403
    )
    site = {"Sec-Fetch-Site": "cross-site"}
    assert client.post("/onboarding", data={}, headers=site).status_code == 403
    # A browser on the same origin must send the CSRF token with API writes.
    same = {"Origin": "http://testserver"}
    client.get("/settings")
    refused = client.put("/api/settings", json={"units": "mph", "voice": True}, headers=same)
    assert refused.status_code == 403
    csrf = client.cookies.get("rw_csrf")
    accepted = client.put(
        "/api/settings",
        json={"units": "mph", "voice": True},
        headers={**same, "X-CSRF-Token": csrf or ""},
    )
    assert accepted.status_code == 200


def test_forms_need_the_csrf_token(client: TestClient) -> None:
    assert client.post("/settings", data={"units": "mph"}).status_code == 403
    token = _token(client, "/settings")
    assert client.post("/settings", data={"units": "mph", "csrf_token": token}).status_code == 200


def test_security_headers(client: TestClient) -> None:
    response = client.get("/settings")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        "SameSite=strict" in response.headers["set-cookie"]
        or "SameSite=Strict" in response.headers["set-cookie"]
    )


def test_login_page_redirects_home_when_not_in_lan_mode(client: TestClient) -> None:
    assert client.get("/login", follow_redirects=False).status_code == 303
