"""A walker's phone (390x844) in real headless Chromium (issue 13, web words, time, units and
layout): plain-words errors that take you to the field, local time from the browser's zone,
Today's main action above the fold, a nav on one line, chart text that grows with the browser's
text size, and a player that tells backward from forward by colour and words and shows what
comes next. Screenshots of Today, the player, the log list and Progress are saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import onboard_via_api, shot
from tests.e2e.server import Server
from tests.web.conftest import log_body

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
ZONE = "Pacific/Auckland"


@pytest.fixture
def phone390(browser: Any) -> Iterator[Any]:
    """A 390x844 phone in Auckland (a zone far from the server's, so a UTC time shows)."""
    context = browser.new_context(
        viewport=PHONE_390,
        device_scale_factor=2,
        has_touch=True,
        bypass_csp=True,
        timezone_id=ZONE,
        locale="en-NZ",
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def walked(server: Server) -> datetime:
    """Two logged sessions (one with pain: the plan eases off) and a balance test."""
    started = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(hours=3)
    with server.client() as client:
        body = log_body(started - timedelta(days=1), ratings={"rpe": 12, "pain_0_10": 6})
        assert client.post("/api/logs", json=body).status_code == 201
        body = log_body(started, ratings={"rpe": 15, "pain_0_10": 1})
        assert client.post("/api/logs", json=body).status_code == 201
        assert client.post("/api/balance-tests", json={"trials_s": [4.1, 4.3]}).status_code == 201
    return started


def test_an_empty_onboarding_form_names_every_answer_and_goes_to_the_first(
    server: Server, phone390: Any
) -> None:
    page = phone390.new_page()
    page.goto(server.url + "/onboarding")
    page.click("text=See my result")
    error = page.locator("#form-error")
    error.wait_for()
    text = error.inner_text()
    assert "Please check these" in text
    assert "How old are you?" in text
    assert "parq." not in text
    assert "got None" not in text
    # The first question is focused and on screen.
    assert page.evaluate("document.activeElement.id") == "f-age_years"
    box = page.locator("#f-age_years").bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= PHONE_390["height"]


def test_phone_pages_words_time_layout_and_player(server: Server, phone390: Any) -> None:
    view = onboard_via_api(server)
    started = walked(server)
    page = phone390.new_page()

    # Today: the main action above the fold; the nav on one line.
    page.goto(server.url + "/today")
    page.wait_for_load_state("networkidle")
    start = page.locator("#start-session").bounding_box()
    assert start is not None
    assert start["y"] + start["height"] <= PHONE_390["height"], start
    tops = page.eval_on_selector_all(
        "header nav li", "items => items.map(i => Math.round(i.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, tops  # one row: the nav never wraps
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    shot(page, "w13-phone-today")

    # The log list: local time from the browser's zone, plain words, no UTC label.
    page.goto(server.url + "/log")
    page.wait_for_load_state("networkidle")
    local = started.astimezone(ZoneInfo(ZONE))
    expected = f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"
    page.wait_for_function(
        f"document.querySelector('.logs').innerText.includes({expected!r})", timeout=10_000
    )
    words = page.locator("main").inner_text()
    assert "UTC" not in words
    assert "regress" not in words
    assert "Plan: hold" not in words
    assert "Eased off" in words
    shot(page, "w13-phone-log")

    # A bad effort typed in the log form: named by its label, quoted, and focused.
    page.goto(server.url + "/log/new")
    page.fill("#rpe", "twelve")
    page.click("button:has-text('Save')")
    page.locator("#form-error").wait_for()
    assert (
        "Please check Effort. 'twelve' is not accepted." in page.locator("#form-error").inner_text()
    )
    assert page.evaluate("document.activeElement.id") == "rpe"

    # Progress: chart text grows with the browser's text size.
    page.goto(server.url + "/progress")
    page.wait_for_load_state("networkidle")
    shot(page, "w13-phone-progress")
    axis = "document.querySelector('#chart-minutes .axis').getBoundingClientRect().height"
    before = page.evaluate(axis)
    cdp = phone390.new_cdp_session(page)
    cdp.send("Page.enable")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.reload()
    page.wait_for_load_state("networkidle")
    after = page.evaluate(axis)
    assert after > before * 1.5, (before, after)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})

    # The player: backward and forward differ by colour and by words; what comes next is shown.
    page.goto(f"{server.url}/player/{view['session']['id']}?clock=fast&rate=60")
    for box in page.locator("#checks .check").all():
        box.check()
    page.click("#btn-start")
    page.wait_for_selector("#player[data-direction=forward]")
    forward_colour = page.evaluate(
        "getComputedStyle(document.getElementById('run')).borderLeftColor"
    )
    assert page.locator("#segment-label").inner_text().startswith("↑ Walk forward")
    assert page.locator("#next-label").inner_text().startswith("Next: backward for")
    shot(page, "w13-phone-player-forward")
    page.wait_for_selector("#player[data-direction=backward]", timeout=30_000)
    backward_colour = page.evaluate(
        "getComputedStyle(document.getElementById('run')).borderLeftColor"
    )
    assert backward_colour != forward_colour
    assert page.locator("#segment-label").inner_text().startswith("↓ Walk backward")
    assert page.locator("#next-label").inner_text().startswith("Next: forward for")
    shot(page, "w13-phone-player-backward")
