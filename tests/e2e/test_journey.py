"""A walker's first day in real headless Chromium, on a 360-px phone screen.

Onboarding -> result -> balance test -> plan -> today -> player (fast fake clock) -> stop with a
reason -> log form -> progress chart shows the session.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.e2e.conftest import shot
from tests.e2e.server import Server
from tests.web.conftest import PARQ

pytestmark = pytest.mark.e2e


def fill_onboarding(page: Any) -> None:
    page.fill("#f-age_years", "67")
    page.check('input[name="sex"][value="female"]')
    page.fill("#f-mass_kg", "64")
    page.fill("#f-height_m", "1.62")
    page.fill("#f-falls_past_year", "0")
    for name in ("fear_of_falling", "dizziness", "uses_walking_aid"):
        page.check(f'input[name="{name}"][value="no"]')
    for qid in PARQ:
        page.check(f'input[name="parq.{qid}"][value="no"]')
    page.check('input[name="equipment"][value="hallway_with_rail"]')


def test_first_day_on_a_phone(server: Server, phone: Any) -> None:
    page = phone.new_page()
    page.goto(server.url + "/")
    assert page.url.endswith("/onboarding")
    shot(page, "01-onboarding")

    # A missing safety answer is refused and named, nothing is stored.
    page.fill("#f-age_years", "67")
    page.click("text=See my result")
    page.locator("#form-error").wait_for()
    shot(page, "02-onboarding-error")

    fill_onboarding(page)
    page.click("text=See my result")
    page.wait_for_url("**/onboarding/result")
    assert page.locator(".outcome h2").inner_text().startswith("Go")
    assert page.locator(".reasons li").count() >= 1
    shot(page, "03-result")

    # The optional 3MBWT with the on-screen timer.
    page.click("text=Do the balance test")
    for _ in range(2):
        page.click("#timer-start")
        page.wait_for_timeout(300)
        page.click("#timer-stop")
    assert page.input_value("#trial_1")
    assert page.input_value("#trial_2")
    page.fill("#trial_1", "3.4")
    page.fill("#trial_2", "3.2")
    page.click("text=Save my result")
    page.locator("#test-result").wait_for()
    assert "Your time: 3.3 s." in page.locator("#test-result").inner_text()
    shot(page, "04-balance-test")

    page.click("text=Back to my plan")
    page.click("button:has-text('Make my plan')")
    page.wait_for_url("**/plan")
    assert page.locator(".week").count() == 4
    shot(page, "05-plan")

    page.goto(server.url + "/today")
    start = page.locator("#start-session")
    href = start.get_attribute("href")
    assert href
    assert href.startswith("/player/")
    shot(page, "06-today")

    # The player, with a fast fake clock (test mode only): 30 session seconds per second.
    page.goto(server.url + href + "?clock=fast&rate=30")
    for box in page.locator("input.check").all():
        box.check()
    shot(page, "07-player-checks")
    page.click("#btn-start")
    page.wait_for_function(
        "Number(document.getElementById('player').dataset.position) > 40", timeout=20_000
    )
    assert page.locator("#cue").inner_text() != ""
    shot(page, "08-player-running")
    page.click("#btn-stop")
    page.check('#stop-dialog input[value="tired"]')
    shot(page, "09-stop-reason")
    page.click("#btn-stop-confirm")
    page.locator("#log").wait_for()
    assert "Stopped (tired)" in page.locator("#log-summary").inner_text()
    page.fill("#rpe", "13")
    page.fill("#pain", "0")
    page.check('#log-form input[name="form_steady"][value="yes"]')
    shot(page, "10-log-form")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=true]")
    assert "Saved to your log" in page.locator("#done-text").inner_text()
    shot(page, "11-saved")

    page.goto(server.url + "/log")
    assert page.locator(".log-item").count() == 1
    assert "stopped: tired" in page.locator(".log-item").inner_text()
    shot(page, "12-log")

    page.goto(server.url + "/progress")
    minutes = float(page.locator("#week-walking").inner_text())
    assert minutes > 0
    assert page.locator("#chart-minutes rect.bar-light title").count() >= 1
    assert page.locator("#chart-3mbwt circle").count() == 1
    row = page.locator("#progress-table tbody tr").last.inner_text()
    assert re.search(r"\d", row)
    shot(page, "13-progress")

    # Nothing on any page overflows a 360-px screen sideways.
    for path in ("/today", "/plan", "/log", "/progress", "/settings", "/log/new"):
        page.goto(server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide"
