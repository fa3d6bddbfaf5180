"""End-to-end fixtures: the real server in a subprocess and headless Chromium (Playwright).

The server runs ``retrowalk serve`` on a free port with a fresh SQLite database and
``RETROWALK_TEST_MODE=1`` (so the player honours ``?clock=fast&rate=N``). Chromium is Debian's
``/usr/bin/chromium``: ``playwright install`` is never needed. Screenshots go to
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from retrowalk.profile import example_profile_data
from tests.e2e.server import Server, start_server, stop_server

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PHONE = {"width": 360, "height": 740}

PROFILE: dict[str, Any] = example_profile_data()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    running = start_server(tmp_path)
    yield running
    stop_server(running)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        # CI installs Debian's chromium, so there a missing browser is a failure, not a skip.
        if os.environ.get("CI"):
            pytest.fail("/usr/bin/chromium is missing: .ci/run must install Debian's chromium")
        pytest.skip("/usr/bin/chromium is missing (apt-get install chromium; CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield launched
        launched.close()


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """A fresh browser context with a 360x740 phone viewport."""
    # bypass_csp: Playwright evaluates test predicates as strings, which our CSP forbids.
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=2, has_touch=True, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


@pytest.fixture
def desktop(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(15_000)
    yield context
    context.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def onboard_via_api(server: Server) -> dict[str, Any]:
    """Profile and plan through the JSON API; returns today's view."""
    with server.client() as client:
        assert client.put("/api/profile", json=PROFILE).status_code == 200
        assert client.post("/api/plans", json={"weeks": 4}).status_code == 201
        view = client.get("/api/today").json()
    assert view["session"] is not None
    return dict(view)
