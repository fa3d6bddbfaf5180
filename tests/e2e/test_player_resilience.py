"""The session player survives a page reload and a lost network (state kept in the browser)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import onboard_via_api, shot
from tests.e2e.server import Server

pytestmark = pytest.mark.e2e

POSITION = "Number(document.getElementById('player').dataset.position)"


def open_player(page: Any, server: Server, rate: int) -> None:
    view = onboard_via_api(server)
    page.goto(f"{server.url}/player/{view['session']['id']}?clock=fast&rate={rate}")
    for box in page.locator("input.check").all():
        box.check()
    page.click("#btn-start")


def logs(server: Server) -> list[dict[str, Any]]:
    with server.client() as client:
        return list(client.get("/api/logs").json())


def test_reload_mid_session_and_continue(server: Server, phone: Any) -> None:
    page = phone.new_page()
    open_player(page, server, rate=200)  # the whole session in about 6 s of real time
    page.wait_for_function(f"{POSITION} > 60")
    before = page.evaluate(POSITION)
    page.reload()
    # Back where it was, paused, with a Resume button.
    page.wait_for_selector("#player[data-state=paused]")
    assert page.locator("#btn-resume").is_visible()
    assert page.evaluate(POSITION) >= before
    assert "restored" in page.locator("#cue").inner_text()
    shot(page, "20-player-restored")
    page.click("#btn-resume")
    page.wait_for_selector("#log:not([hidden])", timeout=60_000)
    assert "Session complete" in page.locator("#log-summary").inner_text()
    page.fill("#rpe", "12")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=true]")
    stored = logs(server)
    assert len(stored) == 1
    assert stored[0]["status"] == "completed"
    assert stored[0]["source"] == "guided"
    with server.client() as client:
        assert client.get("/api/guided/unfinished").json() == {"session": None}
        planned = client.get("/api/today").json()
    assert stored[0]["duration_s"] > 0
    assert planned["plan_id"]


def test_offline_mid_session_then_sync(server: Server, phone: Any) -> None:
    page = phone.new_page()
    open_player(page, server, rate=30)
    page.wait_for_function(f"{POSITION} > 30")
    phone.set_offline(True)
    at = page.evaluate(POSITION)
    page.wait_for_function(f"{POSITION} > {at + 30}")  # the session goes on without a network
    assert "Offline" in page.locator("#net-status").inner_text()
    page.click("#btn-stop")
    page.check('#stop-dialog input[value="pain"]')
    page.fill("#stop-note", "left knee")
    page.click("#btn-stop-confirm")
    page.fill("#rpe", "11")
    page.fill("#pain", "4")
    page.fill("#pain_location", "left knee")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=false]")
    assert "when the connection is back" in page.locator("#done-text").inner_text()
    shot(page, "21-player-offline-saved")
    assert logs(server) == []  # nothing reached the server yet

    phone.set_offline(False)
    page.wait_for_selector("#player[data-synced=true]", timeout=20_000)
    shot(page, "22-player-synced")
    stored = logs(server)
    assert len(stored) == 1
    assert stored[0]["status"] == "stopped"
    assert stored[0]["stop_reason"] == "pain"
    assert stored[0]["ratings"]["pain_0_10"] == 4
    assert stored[0]["plan_change"] is not None  # the plan reacted to the pain


def test_pages_work_at_desktop_width(server: Server, desktop: Any) -> None:
    onboard_via_api(server)
    page = desktop.new_page()
    for path, name in (("/plan", "30-plan-desktop"), ("/progress", "31-progress-desktop")):
        page.goto(server.url + path)
        shot(page, name)
    page.goto(server.url + "/settings")
    page.check('input[name="units"][value="mph"]')
    page.click("text=Save settings")
    page.locator(".ok").wait_for()
    with server.client() as client:
        assert client.get("/api/settings").json()["units"] == "mph"
    # Keyboard only: the skip link is the first stop and leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
