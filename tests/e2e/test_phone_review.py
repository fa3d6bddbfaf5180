"""Issue 13 review, on a 390x844 phone in real headless Chromium: chart date labels that do not
overlap, a refused log said in plain words, and the final phone screenshots of Today, the
player, the log list and Progress with realistic data."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.conftest import onboard_via_api
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
