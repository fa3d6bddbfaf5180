"""Issue 13 on the web, in real headless Chromium on a phone: red flags shown wherever a session
is, a red flag entered by mistake (told what changed; a real stop lifted only by "I have seen a
professional"), delete asked first with Undo, safety checks before Start, a new plan asked
first, done / partly done / missed with Today moving on, and energy from assumed speeds marked.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from retrowalk.vocabulary import Symptom
from tests.e2e.conftest import SCREENSHOTS, onboard_via_api, shot
from tests.e2e.server import Server
from tests.web.conftest import log_body

pytestmark = pytest.mark.e2e

POSITION = "Number(document.getElementById('player').dataset.position)"


def _post_log(server: Server, body: dict[str, Any]) -> dict[str, Any]:
    with server.client() as client:
        response = client.post("/api/logs", json=body)
        assert response.status_code == 201, response.text
        return dict(response.json())


def _plan_status(server: Server) -> str:
    with server.client() as client:
        return str(client.get("/api/plans/current").json()["status"])


def test_start_needs_every_safety_check_ticked(server: Server, phone: Any) -> None:
    view = onboard_via_api(server)
    page = phone.new_page()
    page.goto(f"{server.url}/player/{view['session']['id']}?clock=fast&rate=30")
    boxes = page.locator("#checks input.check")
    assert boxes.count() >= 2
    page.click("#btn-start")
    problem = page.locator("#checks-problem")
    problem.wait_for()
    assert "tick it before you start" in problem.inner_text()
    assert page.locator("#run").is_hidden()
    shot(page, "i13-01-player-checks-needed")
    for box in boxes.all()[:-1]:
        box.check()
    page.click("#btn-start")
    assert "last check" in problem.inner_text()
    assert page.locator("#run").is_hidden()
    boxes.last.check()
    page.click("#btn-start")
    page.wait_for_selector("#run:not([hidden])")
    page.wait_for_function(f"{POSITION} > 5")
    assert page.locator("#checks-problem").is_hidden()


def test_red_flags_from_the_player_show_after_the_session_in_the_log_and_on_progress(
    server: Server, phone: Any
) -> None:
    view = onboard_via_api(server)
    page = phone.new_page()
    page.goto(f"{server.url}/player/{view['session']['id']}?clock=fast&rate=30")
    for box in page.locator("#checks input.check").all():
        box.check()
    page.click("#btn-start")
    page.wait_for_function(f"{POSITION} > 20")
    page.click("#btn-stop")
    page.check('#stop-dialog input[value="dizziness"]')
    page.click("#btn-stop-confirm")
    page.locator("#log").wait_for()
    page.fill("#rpe", "13")
    page.fill("#pain", "4")
    page.fill("#pain_location", "left knee")
    page.check(f'#log-form input[name="{Symptom.FALL.value}"]')
    page.click("#btn-save")
    page.wait_for_selector("#player[data-synced=true]")
    said = page.locator("#done-symptoms").inner_text()
    for symptom in (Symptom.DIZZINESS, Symptom.FALL):
        assert symptom.label in said
    assert "pain 4/10 (left knee)" in said
    shot(page, "i13-02-player-saved-red-flags")

    page.goto(server.url + "/log")
    line = page.locator(".log-item .symptoms").inner_text()
    assert "Red flags recorded" in line
    assert Symptom.DIZZINESS.label in line
    assert Symptom.FALL.label in line
    assert "left knee" in line
    shot(page, "i13-03-log-red-flags")

    page.goto(server.url + "/progress")
    table = page.locator("#symptoms-table").inner_text()
    assert Symptom.DIZZINESS.label in table
    assert Symptom.FALL.label in table
    assert "4/10 (left knee)" in table
    shot(page, "i13-04-progress-symptoms")
    page.locator("#symptoms").screenshot(path=str(SCREENSHOTS / "i13-04b-symptoms-section.png"))


def test_delete_asks_first_says_what_changed_and_undo_restores_it_and_the_stop(
    server: Server, phone: Any
) -> None:
    onboard_via_api(server)
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    body = log_body(started, ratings={"rpe": 12, "pain_0_10": 0, "fall": True})
    log = _post_log(server, body)
    assert _plan_status(server) == "stopped"
    page = phone.new_page()
    page.goto(server.url + "/log")
    page.click(".log-item a:has-text('Edit')")
    page.click("#delete-session")
    page.wait_for_url(f"**/log/{log['id']}/delete")
    assert "Delete this session?" in page.locator("h1").inner_text()
    assert Symptom.FALL.label in page.locator("main").inner_text()
    shot(page, "i13-05-delete-confirm")
    page.click("text=No, keep it")  # nothing deleted
    page.wait_for_url(f"**/log/{log['id']}/edit")
    page.click("#delete-session")
    page.click("#confirm-delete")
    page.wait_for_url("**/log")
    notices = page.locator("#notices").inner_text()
    local = started.astimezone()
    assert f"Deleted the session of {local:%a} {local.day} {local:%b %Y} at {local:%H:%M}" in (
        notices
    )
    assert "Your plan is no longer stopped" in notices
    assert page.locator(".log-item").count() == 0
    assert _plan_status(server) == "active"
    shot(page, "i13-06-deleted-with-undo")
    page.click("#undo-delete")
    page.wait_for_selector(".log-item")
    assert "Restored the session of" in page.locator("#notices").inner_text()
    assert "stopped" in page.locator("#notices").inner_text()
    assert _plan_status(server) == "stopped"
    with server.client() as client:
        back = client.get(f"/api/logs/{log['id']}").json()
    assert back["segments"] == log["segments"]
    assert back["ratings"] == log["ratings"]
    shot(page, "i13-07-undone")

    # A real stop: Today offers only the recorded "I have seen a health professional" path.
    page.goto(server.url + "/today")
    assert page.locator("#start-session").count() == 0
    page.click("#resume button[type=submit]")  # not ticked: the browser asks for the box
    assert _plan_status(server) == "stopped"
    page.check('#resume input[name="seen_professional"]')
    shot(page, "i13-08-seen-professional")
    page.click("#resume button[type=submit]")
    page.wait_for_url("**/today")
    assert "health professional has seen you" in page.locator("#notices").inner_text()
    assert _plan_status(server) == "active"
    assert page.locator("#resume").count() == 0
    assert "Your plan is stopped" not in page.locator("main").inner_text()


def test_making_a_new_plan_asks_before_replacing_the_current_one(
    server: Server, phone: Any
) -> None:
    onboard_via_api(server)
    with server.client() as client:
        first = client.get("/api/plans/current").json()["id"]
    page = phone.new_page()
    page.goto(server.url + "/onboarding/result")
    page.click("button:has-text('Make my plan')")
    assert "Replace your current plan?" in page.locator("h1").inner_text()
    shot(page, "i13-09-replace-plan")
    page.click("text=No, keep my current plan")
    page.wait_for_url("**/plan")
    with server.client() as client:
        assert client.get("/api/plans/current").json()["id"] == first
    page.goto(server.url + "/onboarding/result")
    page.click("button:has-text('Make my plan')")
    page.click("#confirm-replace")
    page.wait_for_url("**/plan")
    assert "replaces the old one" in page.locator("#notices").inner_text()
    with server.client() as client:
        assert client.get("/api/plans/current").json()["id"] != first


def _walked(session: dict[str, Any], share: float = 1.0) -> dict[str, Any]:
    day = date.fromisoformat(session["scheduled_on"])
    started = datetime.combine(day, time(9)).astimezone()
    if started > datetime.now(UTC):
        started = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=30)
    return {
        "started_at": started.isoformat(),
        "planned_session_id": session["id"],
        "ratings": {"rpe": 12, "pain_0_10": 0},
        "segments": [
            {
                "direction": s["direction"],
                "duration_s": s["duration_s"] * share,
                "environment": s["environment"],
                "support": s["support"],
            }
            for s in session["segments"]
        ],
    }


def test_today_moves_on_the_calendars_show_what_was_walked_and_assumed_energy_is_marked(
    server: Server, phone: Any
) -> None:
    view = onboard_via_api(server)
    assert view["is_today"]
    page = phone.new_page()
    page.goto(server.url + "/today")
    assert page.locator("#start-session").get_attribute("href") == (
        f"/player/{view['session']['id']}"
    )
    created = _post_log(server, _walked(view["session"]))
    assert created["energy"]["speed_source"] == "assumed"  # a hallway session: no speed typed

    page.goto(server.url + "/today")
    done = page.locator("#today-done")
    assert "Today's session is done" in done.inner_text()
    assert page.locator("#start-session").count() == 0
    shot(page, "i13-10-today-done")

    page.goto(server.url + "/plan")
    first = page.locator(".calendar .state").first
    assert first.get_attribute("data-state") == "done"
    assert first.inner_text() == "Done"
    shot(page, "i13-11-plan-done")

    page.goto(server.url + "/progress")
    today = datetime.now(UTC).astimezone().date().isoformat()
    cell = page.locator(f'#history-calendar td[data-date="{today}"]')
    assert cell.get_attribute("data-walked") == "1"
    hatched = page.locator("#chart-energy rect.bar-assumed")
    assert hatched.count() >= 2  # the week's hatched part and the legend swatch
    assert "estimate from an assumed speed" in page.locator("#chart-energy").inner_html()
    shot(page, "i13-12-progress-history-assumed")
    page.locator("#history").screenshot(path=str(SCREENSHOTS / "i13-13-history-calendar.png"))
    page.locator("#chart-energy").screenshot(path=str(SCREENSHOTS / "i13-14-energy-assumed.png"))
