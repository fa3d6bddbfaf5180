"""Skipping segments in the browser player, and quick sessions started from the Today page.

Real headless Chromium on a 360-px phone screen, with the fast fake clock of test mode.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.e2e.conftest import PHONE, onboard_via_api, shot
from tests.e2e.server import Server

pytestmark = pytest.mark.e2e

PLAYER = "document.getElementById('player')"
POSITION = f"Number({PLAYER}.dataset.position)"


def logs(server: Server) -> list[dict[str, Any]]:
    with server.client() as client:
        return list(client.get("/api/logs").json())


def run_state(page: Any, key: str) -> dict[str, Any]:
    """The player's state as kept in the browser's localStorage."""
    raw = page.evaluate(f"localStorage.getItem({json.dumps(key)})")
    assert raw, f"no player state under {key}"
    return dict(json.loads(raw))


def check_boxes_and_start(page: Any) -> None:
    for box in page.locator("input.check").all():
        box.check()
    page.click("#btn-start")


def test_skip_then_reload_keeps_the_skips_and_the_log_counts_only_the_part_walked(
    server: Server, phone: Any
) -> None:
    view = onboard_via_api(server)
    session_id = view["session"]["id"]
    key = f"retrowalk.run.{session_id}"
    page = phone.new_page()
    page.goto(f"{server.url}/player/{session_id}?clock=fast&rate=30")
    check_boxes_and_start(page)
    with server.client() as client:
        timeline = client.get(f"/api/plans/current/sessions/{session_id}/timeline").json()
    segments = timeline["segments"]
    first, second = segments[0], segments[1]
    assert first["duration_s"] > 60  # the warm-up: room to skip part of it

    # Skip the warm-up part-way: the position jumps to the next segment's start.
    page.wait_for_function(f"{POSITION} > {first['start_s'] + 30}")
    skip = page.locator("#btn-skip")
    assert skip.is_visible()
    box = skip.bounding_box()
    assert box is not None
    assert box["height"] >= 44
    assert box["x"] + box["width"] <= PHONE["width"]
    skip.click()
    cue = page.locator("#cue").inner_text()
    assert cue.startswith(f"Skipped part 1 of {len(segments)}.")
    start_cue = next(
        e["text"]
        for e in timeline["events"]
        if e["kind"] == "segment_start" and e["at_s"] == second["start_s"]
    )
    assert start_cue in cue  # the next segment's start cue is said at once
    assert page.evaluate(POSITION) >= second["start_s"]
    assert f"part 2 of {len(segments)}" in page.locator("#segment-label").inner_text()
    assert page.evaluate(f"{PLAYER}.dataset.skipped") == "0"
    done_first = run_state(page, key)["skipped"]["0"]
    assert 30 <= done_first < first["duration_s"]
    shot(page, "40-player-skipped")

    # A reload keeps the skip: back paused, still past the warm-up, the skip still recorded.
    page.wait_for_function(f"{POSITION} > {second['start_s'] + 15}")
    page.reload()
    page.wait_for_selector("#player[data-state=paused]")
    assert page.evaluate(f"{PLAYER}.dataset.skipped") == "0"
    assert page.evaluate(POSITION) >= second["start_s"] + 15
    assert run_state(page, key)["skipped"] == {"0": done_first}

    # Skipping while paused stays paused and says what comes next. The fast clock may have run
    # past the second part before the reload on a busy machine: the skip is of the part the
    # position is in.
    paused_at = page.evaluate(POSITION)
    part = next(
        i
        for i, s in enumerate(segments)
        if s["start_s"] <= paused_at < s["start_s"] + s["duration_s"]
    )
    assert 1 <= part < len(segments) - 1
    page.click("#btn-skip")
    assert page.evaluate(f"{PLAYER}.dataset.state") == "paused"
    assert page.evaluate(POSITION) == segments[part + 1]["start_s"]
    assert "Press Resume" in page.locator("#cue").inner_text()
    skipped = run_state(page, key)["skipped"]
    assert sorted(skipped, key=int) == ["0", str(part)]
    done_part = skipped[str(part)]
    assert paused_at - segments[part]["start_s"] - 1 <= done_part < segments[part]["duration_s"]
    if part == 1:
        assert done_part >= 15
    shot(page, "41-player-skipped-paused")

    # Reopened with a faster clock (to finish quickly): the paused skip was kept too.
    page.goto(f"{server.url}/player/{session_id}?clock=fast&rate=300")
    page.wait_for_selector("#player[data-state=paused]")
    assert page.evaluate(POSITION) == segments[part + 1]["start_s"]
    assert run_state(page, key)["skipped"] == skipped
    page.click("#btn-resume")
    page.wait_for_selector("#log:not([hidden])", timeout=60_000)
    summary = page.locator("#log-summary").inner_text()
    assert "Session complete" in summary
    assert "Skipped: part 1" in summary
    assert f"part {part + 1}" in summary
    page.fill("#rpe", "12")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=true]")

    stored = logs(server)
    assert len(stored) == 1
    log = stored[0]
    assert log["status"] == "completed"
    walked = log["segments"]
    assert len(walked) == len(segments)
    assert walked[0]["duration_s"] == pytest.approx(done_first)
    assert walked[part]["duration_s"] == pytest.approx(done_part)
    assert [s["completed"] for s in walked] == [i not in (0, part) for i in range(len(walked))]
    planned_s = sum(s["duration_s"] for s in segments)
    cut_s = (first["duration_s"] - done_first) + (segments[part]["duration_s"] - done_part)
    expected = planned_s - cut_s
    assert log["duration_s"] == pytest.approx(expected, abs=0.5)

    # The log page shows that two parts were not walked to the end.
    page.goto(server.url + "/log")
    assert "2 parts not walked to the end" in page.locator(".log-item .cut-short").inner_text()


def test_quick_session_from_the_today_form_and_skipping_its_last_part_ends_it(
    server: Server, phone: Any
) -> None:
    onboard_via_api(server)
    page = phone.new_page()
    page.goto(server.url + "/today")
    assert "repeat counts 1 to 50" in page.locator("#quick-help").inner_text()
    page.fill("#quick_spec", "30s back, 3m fwd")
    page.select_option("#quick-environment", "open_room")
    shot(page, "42-today-quick-form")
    page.click("#quick-start")
    page.wait_for_url("**/player/quick/**")
    assert page.locator("h1").inner_text() == "Quick session: 30s back, 3m fwd"
    with server.client() as client:
        unfinished = client.get("/api/guided/unfinished").json()["session"]
    assert unfinished["source"] == "quick"
    assert page.url.endswith(f"/player/quick/{unfinished['log_id']}")

    page.goto(page.url + "?clock=fast&rate=10")
    check_boxes_and_start(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the player is {width} px wide"
    # 10 s countdown, 30 s backward, then 10 s into the last part: skip it with the keyboard.
    # The last part is long (17 s real at this rate) so a slow machine still skips it mid-way.
    page.wait_for_function(f"{POSITION} > 50")
    page.locator("#btn-skip").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#log:not([hidden])")
    summary = page.locator("#log-summary").inner_text()
    assert "Session complete" in summary
    assert "Skipped: part 2" in summary
    shot(page, "43-quick-skipped-last")
    page.fill("#rpe", "11")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=true]")

    stored = logs(server)
    assert len(stored) == 1
    log = stored[0]
    assert log["source"] == "quick"
    assert log["status"] == "completed"
    back, fwd = log["segments"]
    assert (back["direction"], back["duration_s"], back["completed"]) == ("backward", 30, True)
    assert back["environment"] == "open_room"
    assert fwd["direction"] == "forward"
    assert 10 <= fwd["duration_s"] < 180
    assert fwd["completed"] is False
    with server.client() as client:
        assert client.get("/api/guided/unfinished").json() == {"session": None}


def test_quick_form_names_the_field_and_the_range(server: Server, phone: Any) -> None:
    onboard_via_api(server)
    page = phone.new_page()
    page.goto(server.url + "/today")
    page.fill("#quick_spec", "61x(1m back)")
    page.click("#quick-start")
    page.locator("#quick-error").wait_for()
    message = page.locator("#quick-error").inner_text()
    assert "Please check Intervals" in message
    assert "61x(1m back)" in message
    assert "repeat counts from 1 to 50" in message
    assert page.get_attribute("#quick_spec", "aria-invalid") == "true"
    assert page.input_value("#quick_spec") == "61x(1m back)"  # kept to correct it
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the quick form is {width} px wide"
    shot(page, "44-quick-form-error")
    with server.client() as client:
        assert client.get("/api/guided/unfinished").json() == {"session": None}

    page.fill("#quick_spec", "2x(3s back, 1m fwd)")
    page.click("#quick-start")
    page.locator("#quick-error").wait_for()
    assert "segments of 5 s to 120 min" in page.locator("#quick-error").inner_text()


def test_a_skip_made_offline_reaches_the_log_when_the_network_is_back(
    server: Server, phone: Any
) -> None:
    view = onboard_via_api(server)
    session_id = view["session"]["id"]
    page = phone.new_page()
    page.goto(f"{server.url}/player/{session_id}?clock=fast&rate=20")
    phone.set_offline(True)  # started offline: the whole log goes through the outbox
    check_boxes_and_start(page)
    page.wait_for_function(f"{POSITION} > 40")
    page.click("#btn-skip")
    done_first = run_state(page, f"retrowalk.run.{session_id}")["skipped"]["0"]
    page.wait_for_function(f"{POSITION} > 330")
    page.click("#btn-stop")
    page.check('#stop-dialog input[value="tired"]')
    page.click("#btn-stop-confirm")
    page.fill("#rpe", "12")
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=false]")
    assert logs(server) == []

    phone.set_offline(False)
    page.wait_for_selector("#player[data-synced=true]", timeout=20_000)
    stored = logs(server)
    assert len(stored) == 1
    first, second = stored[0]["segments"][:2]
    assert first["duration_s"] == pytest.approx(done_first)
    assert first["completed"] is False
    assert second["completed"] is False  # stopped in it
    assert stored[0]["status"] == "stopped"
