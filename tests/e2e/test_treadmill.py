"""A treadmill session in the browser: the server drives the simulated treadmill (bumble).

Real headless Chromium, the real server in a subprocess, the fast fake clock of test mode (the
simulated belt runs at the same rate).
"""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.e2e.conftest import onboard_via_api, shot
from tests.e2e.server import Server

pytestmark = pytest.mark.e2e

PLAYER = "document.getElementById('player')"
POSITION = f"Number({PLAYER}.dataset.position)"


def belt_m_s(server: Server) -> float | None:
    with server.client() as client:
        value = client.get("/api/treadmill").json().get("belt_m_s")
    return None if value is None else float(value)


def test_connect_treadmill_and_play_a_session_that_drives_the_belt(
    server: Server, phone: Any
) -> None:
    onboard_via_api(server)
    page = phone.new_page()
    page.goto(server.url + "/treadmill")
    page.fill("#quick_spec", "20s fwd, 40s back")
    page.click("#treadmill-quick-start")
    page.wait_for_url("**/player/quick/**")
    page.goto(page.url + "?clock=fast&rate=10")
    assert page.locator("#treadmill").is_visible()
    page.click("#treadmill-connect")
    page.wait_for_function(
        "document.getElementById('treadmill-status').textContent.startsWith('Connected')"
    )
    assert "simulated treadmill" in page.locator("#treadmill-status").inner_text()
    for box in page.locator("input.check").all():
        box.check()
    page.click("#btn-start")
    # The belt starts with the first part, one step from standstill, then reaches 1 mph (said
    # in the walker's units: the example profile's are km/h).
    page.wait_for_function(
        "document.getElementById('treadmill-belt').textContent.includes('1.6 km/h')"
    )
    assert page.locator("#treadmill-status").inner_text() == "Belt starting at 0.8 km/h."
    shot(page, "60-treadmill-belt-running")
    # Pausing the player stops the belt; resuming ramps it up again. The pause is in the first
    # part, so the ramp after it is over early in the second part even on a busy machine (the
    # simulated belt ramps in real time, the player's clock runs 10 times faster).
    page.wait_for_function(f"{POSITION} > 8")
    page.click("#btn-pause")
    deadline = time.monotonic() + 10
    while (belt_m_s(server) or 0.0) > 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert belt_m_s(server) == 0.0
    page.click("#btn-resume")
    page.wait_for_selector("#log:not([hidden])", timeout=30_000)
    shot(page, "61-treadmill-session-done")
    page.fill("#rpe", "11")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=true]")
    with server.client() as client:
        (log,) = client.get("/api/logs").json()
    assert log["status"] == "completed"
    first, second = (s["speed_m_s"] for s in log["segments"])
    # The log holds the belt's measured speeds, never above the plan's 1 mph (the simulated
    # machine sets 1.6 km/h, its 0.1 km/h step under 1 mph): a ramp in the first part, and in the
    # second the ramp after the pause, then 1.6 km/h. How much of the second part the ramp takes
    # depends on how busy the machine is (the belt ramps in real time, the player runs 10 times
    # faster), so its mean is bounded, not pinned.
    belt_limit_m_s = 1.6 / 3.6
    assert first < belt_limit_m_s - 0.01
    assert first < second <= belt_limit_m_s + 0.01
    # The session's end stops the belt; the simulated belt slows down in real time, so the
    # stop is awaited as after the pause (a loaded machine read it still turning).
    deadline = time.monotonic() + 10
    while (belt_m_s(server) or 0.0) > 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert belt_m_s(server) == 0.0
