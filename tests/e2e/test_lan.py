"""LAN mode in a browser: the pairing code printed by ``serve --lan`` logs a phone in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import PHONE, shot
from tests.e2e.server import start_server, stop_server

pytestmark = pytest.mark.e2e


def test_phone_pairs_with_the_code_from_the_terminal(tmp_path: Path, browser: Any) -> None:
    # LAN mode speaks HTTPS; tests/e2e/test_phone.py checks the certificate itself.
    phone = browser.new_context(viewport=PHONE, has_touch=True, ignore_https_errors=True)
    phone.set_default_timeout(15_000)
    server = start_server(tmp_path, "--lan", "--host", "127.0.0.1", scheme="https")
    try:
        assert server.process.stdout is not None
        code = None
        for _ in range(5):
            line = server.process.stdout.readline().decode()
            found = re.search(r"pairing code ([2-9A-Z]{5}-[2-9A-Z]{5})", line)
            if found:
                code = found.group(1)
                break
        assert code, "the pairing code is printed"
        page = phone.new_page()
        page.goto(server.url + "/today")
        page.wait_for_url("**/login?next=/today")
        page.fill("#code", "WRONG-CODE2")
        page.click("button:has-text('Log in')")
        page.locator(".error").wait_for()
        shot(page, "40-lan-login-wrong")
        page.fill("#code", code.lower())
        page.click("button:has-text('Log in')")
        page.wait_for_url("**/onboarding")
        cookies = {c["name"]: c for c in phone.cookies()}
        assert cookies["rw_session"]["httpOnly"] is True
        assert cookies["rw_session"]["sameSite"] == "Strict"
        assert cookies["rw_session"]["secure"] is True  # HTTPS: never sent over plain HTTP
        assert cookies["rw_csrf"]["sameSite"] == "Strict"
        shot(page, "41-lan-logged-in")
    finally:
        stop_server(server)
        phone.close()
