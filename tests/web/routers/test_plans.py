"""The plan (``retrowalk.web.routers.plans``): plans, today and timelines over the API, and the
plan pages."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.web.conftest import (
    PROFILE,
    form_token,
    onboarding_form,
    profile,
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
