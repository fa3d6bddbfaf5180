"""Issue 13 review, on a 390x844 phone in real headless Chromium: chart date labels that do not
overlap, a refused log said in plain words, and the final phone screenshots of Today, the
player, the log list and Progress with realistic data."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import onboard_via_api, shot
from tests.e2e.server import Server
from tests.web.conftest import log_body, started_ago

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}
POSITION = "Number(document.getElementById('player').dataset.position)"
#: The charts' x-axis date labels (the value axis is anchored at its end, the unit at its start).
X_LABELS = "text.axis[text-anchor=middle]"


@pytest.fixture
def phone390(browser: Any) -> Iterator[Any]:
    context = browser.new_context(
        viewport=PHONE_390, device_scale_factor=2, has_touch=True, bypass_csp=True
    )
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _label_boxes(page: Any, chart: str) -> list[dict[str, float]]:
    boxes: list[dict[str, float]] = page.eval_on_selector_all(
        f"#{chart} {X_LABELS}",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, right: r.right, text: e.textContent}; })",
    )
    return sorted(boxes, key=lambda b: b["left"])


def test_progress_chart_date_labels_do_not_overlap_on_a_phone(
    server: Server, phone390: Any
) -> None:
    onboard_via_api(server)
    with server.client() as client:
        for days in (1, 8, 15, 22):
            body = log_body(started_ago(24.0 * days), ratings={"rpe": 12, "pain_0_10": 0})
            assert client.post("/api/logs", json=body).status_code == 201
    page = phone390.new_page()
    page.goto(server.url + "/progress")
    page.wait_for_load_state("networkidle")
    for chart in ("chart-minutes", "chart-backward", "chart-energy"):
        boxes = _label_boxes(page, chart)
        assert len(boxes) >= 3, (chart, boxes)  # still dated: at least every other week
        for one, other in itertools.pairwise(boxes):
            assert one["right"] <= other["left"], (chart, one, other)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]


def test_a_refused_log_is_said_in_plain_words_and_kept(server: Server, phone390: Any) -> None:
    view = onboard_via_api(server)
    page = phone390.new_page()
    page.goto(f"{server.url}/player/{view['session']['id']}?clock=fast&rate=30")
    for box in page.locator("#checks input.check").all():
        box.check()
    page.click("#btn-start")
    page.wait_for_function(f"{POSITION} > 20")
    page.click("#btn-stop")
    page.check('#stop-dialog input[value="tired"]')
    page.click("#btn-stop-confirm")
    page.locator("#log").wait_for()
    # An effort the server refuses (the page's own limits lifted, as an old page would have).
    page.evaluate("document.getElementById('rpe').removeAttribute('max')")
    page.fill("#rpe", "25")
    page.click("#btn-save")
    page.wait_for_function("document.getElementById('done-text').textContent.includes('not saved')")
    said = page.locator("#done-text").inner_text()
    assert "{" not in said, said
    assert "detail" not in said, said
    assert "Effort" in said
    assert "6 to 20" in said
    # Kept on the device, as before (the refused list), not lost.
    kept = page.evaluate("localStorage.getItem('retrowalk.failed') || ''")
    assert '"rpe":25' in kept, kept


def _hallway(started: Any, **ratings: Any) -> dict[str, Any]:
    """A hallway session logged without a speed (as a walker logs one)."""
    part = {"environment": "hallway", "support": "wall_or_rail"}
    body = log_body(
        started,
        segments=[
            {"direction": "forward", "duration_s": 180.0, **part},
            {"direction": "backward", "duration_s": 60.0, **part},
            {"direction": "forward", "duration_s": 90.0, **part},
            {"direction": "backward", "duration_s": 60.0, **part},
            {"direction": "forward", "duration_s": 180.0, **part},
        ],
        ratings={"rpe": 12, "pain_0_10": 0, **ratings},
    )
    return body


def test_final_phone_screenshots(server: Server, phone390: Any) -> None:
    """Today before and after a session, the player's backward and forward parts, the log list
    with a red flag, and Progress, on a 390x844 phone with a few weeks of logs."""
    view = onboard_via_api(server)
    with server.client() as client:
        for days in (16, 13, 9, 6):
            assert client.post("/api/logs", json=_hallway(started_ago(24.0 * days))).is_success
        dizzy = _hallway(
            started_ago(24.0 * 3), dizziness=True, pain_0_10=3, pain_location="left knee"
        )
        assert client.post("/api/logs", json=dizzy).status_code == 201
        assert client.post("/api/balance-tests", json={"trials_s": [4.12, 4.3]}).is_success
        view = client.get("/api/today").json()
    page = phone390.new_page()

    def fits(name: str) -> None:
        page.wait_for_load_state("networkidle")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_390["width"], (name, width)
        shot(page, f"final-phone-{name}")

    page.goto(server.url + "/today")
    fits("today-before")

    page.goto(f"{server.url}/player/{view['session']['id']}?clock=fast&rate=30")
    for box in page.locator("#checks input.check").all():
        box.check()
    page.click("#btn-start")
    page.wait_for_selector("#player[data-direction=forward]")
    # While walking, the part and its clock are on the first screen (nothing pushes them down).
    clock_bottom = page.evaluate(
        "(() => { const r = document.getElementById('segment-left').getBoundingClientRect();"
        " return r.bottom + window.scrollY; })()"
    )
    assert clock_bottom <= PHONE_390["height"], clock_bottom
    assert "segment" not in page.locator("#run").inner_text().lower()
    fits("player-forward")
    page.wait_for_selector("#player[data-direction=backward]", timeout=60_000)
    fits("player-backward")
    page.wait_for_function(f"{POSITION} > 200", timeout=60_000)
    page.click("#btn-stop")
    page.check('#stop-dialog input[value="tired"]')
    page.click("#btn-stop-confirm")
    page.locator("#log").wait_for()
    page.fill("#rpe", "12")
    page.fill("#pain", "0")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=true]")
    saved_top = page.evaluate(
        "document.getElementById('done').getBoundingClientRect().top + window.scrollY"
    )
    assert saved_top <= PHONE_390["height"] / 2, saved_top  # the result shows first
    fits("player-saved")

    page.goto(server.url + "/today")
    fits("today-after")
    page.goto(server.url + "/log")
    assert "left knee" in page.locator("main").inner_text()
    fits("log")
    page.goto(server.url + "/progress")
    fits("progress")
