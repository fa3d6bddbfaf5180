"""The plan (``retrowalk.web.routers.plans``): plans, today and timelines over the API, and the
plan pages."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import (
    PROFILE,
    form_token,
    log_body,
    onboarding_form,
    profile,
    started_ago,
)


def test_plan_today_and_timeline(client: TestClient, planned: dict[str, Any]) -> None:
    plan = client.get("/api/plans/current").json()
    assert len(plan["weeks"]) == 2
    assert planned["session"]["id"]
    timeline = client.get(f"/api/plans/current/sessions/{planned['session']['id']}/timeline")
    assert timeline.status_code == 200
    assert timeline.json()["schema"] == "retrowalk.timeline"
    assert client.get("/api/plans/current/sessions/nope/timeline").status_code == 404
    assert client.get("/api/today", params={"on": "9999-01-01"}).status_code == 422
    assert client.post("/api/plans", json={"weeks": 13}).status_code == 422


def test_plan_needs_acknowledgement_when_screening_says_see_a_professional(
    client: TestClient,
) -> None:
    risky = profile(parq={**PROFILE["parq"], "chest_pain": True})
    client.put("/api/profile", json=risky)
    refused = client.post("/api/plans", json={})
    assert refused.status_code == 409
    assert refused.json()["reasons"]
    assert client.get("/api/plans/current").status_code == 404  # nothing stored
    made = client.post("/api/plans", json={"acknowledge_risk": True})
    assert made.status_code == 201
    assert made.json()["acknowledged_risk"] is True


def test_see_a_professional_first_needs_the_box_ticked(client: TestClient) -> None:
    token = form_token(client)
    client.post("/onboarding", data=onboarding_form(token, **{"parq.chest_pain": "yes"}))
    refused = client.post("/plan/new", data={"csrf_token": token, "weeks": "2"})
    assert refused.status_code == 409
    assert 'name="acknowledge_risk"' in refused.text
    made = client.post(
        "/plan/new",
        data={"csrf_token": token, "weeks": "2", "acknowledge_risk": "yes"},
        follow_redirects=False,
    )
    assert made.status_code == 303


# -- issue 13: a stop lifted only by "I have seen a professional", a new plan asked first, -------
# -- done / partly done / missed on the calendar, Today moves on -------------------------------


def _fall(client: TestClient) -> None:
    from datetime import UTC, datetime, timedelta

    from tests.web.conftest import log_body

    body = log_body(
        datetime.now(UTC) - timedelta(hours=2), ratings={"rpe": 12, "pain_0_10": 0, "fall": True}
    )
    assert client.post("/api/logs", json=body).status_code == 201
    assert client.get("/api/plans/current").json()["status"] == "stopped"


def test_a_stopped_plan_goes_on_only_once_a_professional_is_recorded(
    client: TestClient, planned: dict[str, Any]
) -> None:
    from retrowalk.services.plans import SEEN_PROFESSIONAL_TEXT

    token = form_token(client)
    _fall(client)
    today = client.get("/today").text
    assert 'action="/plan/resume"' in today
    assert SEEN_PROFESSIONAL_TEXT in today
    assert 'action="/plan/resume"' in client.get("/plan").text
    refused = client.post("/plan/resume", data={"csrf_token": token})
    assert refused.status_code == 422
    assert "health professional" in refused.text
    assert client.get("/api/plans/current").json()["status"] == "stopped"
    resumed = client.post(
        "/plan/resume",
        data={"csrf_token": token, "seen_professional": "yes"},
        follow_redirects=False,
    )
    assert resumed.status_code == 303
    page = client.get("/today").text
    assert "Recorded that a health professional has seen you" in page
    assert 'action="/plan/resume"' not in page
    plan = client.get("/api/plans/current").json()
    assert plan["status"] == "active"
    assert [c for c in plan["changes"] if c["rule_id"] == "clearance.seen_professional"]


def test_making_a_new_plan_asks_before_it_replaces_the_current_one(
    client: TestClient, planned: dict[str, Any]
) -> None:
    token = form_token(client)
    current = client.get("/api/plans/current").json()["id"]
    asked = client.post("/plan/new", data={"csrf_token": token, "weeks": "3"})
    assert asked.status_code == 409
    assert "Replace your current plan?" in asked.text
    assert 'name="replace" value="yes"' in asked.text
    assert 'name="weeks" value="3"' in asked.text  # the answers are carried through
    assert client.get("/api/plans/current").json()["id"] == current  # nothing replaced
    made = client.post(
        "/plan/new",
        data={"csrf_token": token, "weeks": "3", "replace": "yes"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    plan = client.get("/api/plans/current").json()
    assert plan["id"] != current
    assert len(plan["weeks"]) == 3
    assert "Your new plan replaces the old one" in client.get("/plan").text


def _walk(client: TestClient, session: dict[str, Any], share: float) -> None:
    """Log ``share`` of a planned session's time, on its day, naming it."""
    from datetime import datetime, time

    segments = [
        {
            "direction": s["direction"],
            "duration_s": s["duration_s"] * share,
            "environment": s["environment"],
            "support": s["support"],
        }
        for s in session["segments"]
    ]
    started = datetime.combine(date.fromisoformat(session["scheduled_on"]), time(9)).astimezone()
    body = {
        "started_at": started.isoformat(),
        "segments": segments,
        "planned_session_id": session["id"],
        "ratings": {"rpe": 12, "pain_0_10": 0},
    }
    response = client.post("/api/logs", json=body)
    assert response.status_code == 201, response.text


def test_the_plan_calendar_shows_done_partly_done_and_missed(client: TestClient) -> None:
    assert client.put("/api/profile", json=PROFILE).status_code == 200
    start = date.today() - timedelta(days=13)  # noqa: DTZ011 - the pages' local day
    made = client.post("/api/plans", json={"weeks": 3, "start_on": start.isoformat()})
    assert made.status_code == 201
    sessions = [s for w in made.json()["weeks"] for s in w["sessions"]]
    past = [s for s in sessions if date.fromisoformat(s["scheduled_on"]) < date.today()]  # noqa: DTZ011
    assert len(past) >= 3
    _walk(client, past[0], 1.0)
    _walk(client, past[1], 0.3)
    page = client.get("/plan").text
    states = re.findall(r'data-state="(\w+)"', page)
    assert states[:3] == ["done", "partly_done", "missed"]
    assert ">Done<" in page
    assert ">Partly done<" in page
    assert ">Missed<" in page


def test_today_moves_on_once_todays_session_is_logged(
    client: TestClient, planned: dict[str, Any]
) -> None:
    assert planned["is_today"]
    session = planned["session"]
    before = client.get("/today").text
    assert f'href="/player/{session["id"]}"' in before
    _walk(client, session, 1.0)
    page = client.get("/today").text
    assert "Today's session is done" in page
    assert 'id="today-done"' in page
    assert f'href="/player/{session["id"]}"' not in page
    assert "Start this session" not in page
    following = client.get("/api/today").json()["session"]
    if following is not None:
        assert following["title"] in page


def _words(html: str) -> str:
    """What a person reads on a page: its text without tags, attributes or scripts."""
    html = re.sub(r"<script.*?</script>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


def test_plan_texts_give_speeds_in_the_walkers_units(
    client: TestClient, planned: dict[str, Any]
) -> None:
    for units, other in (("km/h", "mph"), ("mph", "km/h")):
        assert client.put("/api/settings", json={"units": units, "voice": True}).is_success
        for path in ("/today", "/plan"):
            words = _words(client.get(path).text)
            assert f" {units}" in words, path  # the treadmill's belt speeds
            assert "m/s" not in words, path
            assert f" {other}" not in words, path
            assert not re.search(r"\d\.0 (mph|km/h)", words), path


def test_days_on_today_and_the_plan_are_plain_local_days(
    client: TestClient, planned: dict[str, Any]
) -> None:
    # Pain of 6 changes the plan: Today says when, in the plan's "Latest change" line.
    body = log_body(started_ago(2), ratings={"rpe": 13, "pain_0_10": 6})
    assert client.post("/api/logs", json=body).status_code == 201
    for path in ("/today", "/plan", "/progress", "/activities"):
        words = _words(client.get(path).text)
        assert not re.search(r"\d{4}-\d\d-\d\d", words), (
            path,
            re.findall(r".{30}\d{4}-\d\d-\d\d", words),
        )
    today = _words(client.get("/today").text)
    assert re.search(r"Latest change, (Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} [A-Z][a-z]{2}\b", today)
