"""The JSON API over httpx: every resource, its errors and their shapes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from retrowalk.web.app import create_app
from tests.web.conftest import PROFILE, profile


def _log(started_at: datetime, **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "started_at": started_at.isoformat(),
        "segments": [
            {
                "direction": "backward",
                "duration_s": 120.0,
                "environment": "treadmill",
                "support": "treadmill_rails",
                "speed_m_s": 0.5,
            },
            {
                "direction": "forward",
                "duration_s": 300.0,
                "environment": "treadmill",
                "support": "treadmill_rails",
                "speed_m_s": 1.0,
            },
        ],
        "ratings": {"rpe": 12, "pain_0_10": 0},
    }
    body.update(changes)
    return body


def test_profile_is_validated_field_by_field(client: TestClient) -> None:
    assert client.get("/api/profile").status_code == 404
    bad = client.put("/api/profile", json=profile(age_years=7))
    assert bad.status_code == 422
    (problem,) = bad.json()["detail"]
    assert problem["field"] == "age_years"
    assert "years" in problem["accepted"]
    missing = profile()
    del missing["parq"]["chest_pain"]
    assert (
        client.put("/api/profile", json=missing).json()["detail"][0]["field"] == "parq.chest_pain"
    )
    stored = client.put("/api/profile", json=PROFILE)
    assert stored.status_code == 200
    assert client.get("/api/profile").json()["profile"]["age_years"] == 52


def test_screening_questions_and_outcome_with_reasons(client: TestClient) -> None:
    questions = client.get("/api/screening/questions").json()
    assert questions[0]["field"] == "age_years"
    assert any(q["field"].startswith("parq.") for q in questions)
    preview = client.post("/api/screening/preview", json=profile(age_years=70)).json()
    assert preview["clearance"] == "go_with_support"
    assert preview["reasons"]
    assert preview["headline"].startswith("Go with support")
    assert client.post("/api/screening").status_code == 404
    client.put("/api/profile", json=PROFILE)
    stored = client.post("/api/screening")
    assert stored.status_code == 201
    assert stored.json()["id"]


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


def test_logs_add_list_edit_delete(client: TestClient, planned: dict[str, Any]) -> None:
    started = datetime.now(UTC) - timedelta(hours=1)
    created = client.post("/api/logs", json=_log(started))
    assert created.status_code == 201, created.text
    log = created.json()
    assert log["energy"]["energy_kcal"]["low"] <= log["energy"]["energy_kcal"]["high"]
    duplicate = client.post("/api/logs", json=_log(started))
    assert duplicate.status_code == 422
    assert duplicate.json()["detail"][0]["field"] == "started_at"
    assert client.get("/api/logs").json()[0]["id"] == log["id"]
    edited = client.patch(f"/api/logs/{log['id']}", json={"notes": "felt fine"})
    assert edited.status_code == 200
    assert edited.json()["notes"] == "felt fine"
    bad = client.patch(f"/api/logs/{log['id']}", json={"ratings": {"rpe": 30}})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "rpe"
    assert client.delete(f"/api/logs/{log['id']}").status_code == 204
    assert client.get(f"/api/logs/{log['id']}").status_code == 404
    future = client.post("/api/logs", json=_log(datetime.now(UTC) + timedelta(days=1)))
    assert future.status_code == 422


def test_guided_session_start_checkpoint_finish(
    client: TestClient, planned: dict[str, Any]
) -> None:
    session_id = planned["session"]["id"]
    started = client.post("/api/guided", json={"planned_session_id": session_id})
    assert started.status_code == 201, started.text
    guided = started.json()
    assert client.post("/api/guided", json={"planned_session_id": session_id}).status_code == 409
    assert client.get("/api/guided/unfinished").json()["session"]["log_id"] == guided["log_id"]
    timeline = guided["timeline"]
    position = timeline["segments"][1]["end_s"]
    done = [min(max(position - s["start_s"], 0), s["duration_s"]) for s in timeline["segments"]]
    snapshot = {
        "schema": "retrowalk.run_snapshot",
        "version": 1,
        "timeline_id": guided["timeline_id"],
        "status": "running",
        "elapsed_s": position,
        "position_s": position,
        "paused_s": 0,
        "next_event_index": 0,
        "current_segment_index": 2,
        "segment_left_s": 1,
        "session_left_s": timeline["total_s"] - position,
        "next_segment_index": 3,
        "segment_done_s": done,
        "skipped_segments": [],
        "stop_reason": None,
        "stop_note": None,
    }
    stored = client.post(f"/api/guided/{guided['log_id']}/checkpoint", json={"snapshot": snapshot})
    assert stored.status_code == 200
    bad = client.post(f"/api/guided/{guided['log_id']}/checkpoint", json={"snapshot": {}})
    assert bad.status_code == 422
    final = {**snapshot, "status": "stopped", "stop_reason": "tired"}
    finished = client.post(
        f"/api/guided/{guided['log_id']}/finish", json={"snapshot": final, "ratings": {"rpe": 11}}
    )
    assert finished.status_code == 200, finished.text
    assert finished.json()["status"] == "stopped"
    assert finished.json()["stop_reason"] == "tired"
    assert client.get("/api/guided/unfinished").json() == {"session": None}
    again = client.post(f"/api/guided/{guided['log_id']}/finish", json={"snapshot": final})
    assert again.status_code == 404


def test_progress_and_settings(client: TestClient, planned: dict[str, Any]) -> None:
    client.post("/api/logs", json=_log(datetime.now(UTC) - timedelta(minutes=30)))
    report = client.get("/api/progress", params={"weeks": 2}).json()
    assert len(report["weeks"]) == 2
    assert report["weeks"][-1]["walking_minutes"] == 7.0
    assert client.get("/api/progress", params={"weeks": 0}).status_code == 422
    assert client.get("/api/settings").json() == {"units": "km/h", "voice": True}
    assert client.put("/api/settings", json={"units": "mph", "voice": False}).status_code == 200
    assert client.get("/api/settings").json() == {"units": "mph", "voice": False}
    bad = client.put("/api/settings", json={"units": "furlongs", "voice": True})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "units"


def test_export_then_import_into_a_new_database(
    client: TestClient, planned: dict[str, Any], tmp_path: Path
) -> None:
    client.post("/api/logs", json=_log(datetime.now(UTC) - timedelta(minutes=30)))
    exported = client.get("/api/export")
    assert exported.status_code == 200
    assert "attachment" in exported.headers["content-disposition"]
    document = exported.json()
    assert document["format"] == "retrowalk-export"
    zipped = client.get("/api/export", params={"format": "csv"})
    assert zipped.content[:2] == b"PK"
    files = {"file": ("export.json", exported.content, "application/json")}
    assert client.post("/api/import", files=files).status_code == 409  # not empty
    merged = client.post("/api/import", params={"merge": "true"}, files=files)
    assert merged.status_code == 200
    assert sum(merged.json()["inserted"].values()) == 0
    with TestClient(create_app(f"sqlite:///{tmp_path / 'new.sqlite3'}")) as fresh:
        restored = fresh.post("/api/import", files=files)
        assert restored.status_code == 200
        assert restored.json()["inserted"]["session_logs"] == 1
        corrupt = fresh.post("/api/import", files={"file": ("x.json", b"{nope", "text/plain")})
        assert corrupt.status_code == 422
        assert corrupt.json()["detail"][0]["field"] == "file"
    assert json.loads(exported.content)["tables"]["session_logs"]


def test_docs_are_served_without_a_cdn(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert client.get("/swagger/swagger-ui-bundle.js").status_code == 200
    assert client.get("/swagger/other.js").status_code == 404


def test_every_page_renders(client: TestClient, planned: dict[str, Any]) -> None:
    client.post("/api/logs", json=_log(datetime.now(UTC) - timedelta(minutes=30)))
    log_id = client.get("/api/logs").json()[0]["id"]
    session_id = client.get("/api/today").json()["session"]["id"]  # the plan adapted to the log
    pages = [
        "/onboarding",
        "/onboarding/result",
        "/balance-test",
        "/today",
        "/plan",
        f"/player/{session_id}",
        "/log",
        "/log/new",
        f"/log/{log_id}/edit",
        "/progress",
        "/settings",
    ]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "<main" in response.text
    assert client.get("/player/nope").status_code == 404
    assert client.get("/log/nope-nope/edit").status_code == 404


def test_an_interrupted_session_can_be_logged_or_discarded_from_today(
    client: TestClient, planned: dict[str, Any]
) -> None:
    session_id = planned["session"]["id"]
    first = client.post("/api/guided", json={"planned_session_id": session_id}).json()
    page = client.get("/today")
    assert "still in progress" in page.text
    token = client.cookies.get("rw_csrf")
    discarded = client.post(
        f"/guided/{first['log_id']}/abandon", data={"csrf_token": token}, follow_redirects=False
    )
    assert discarded.status_code == 303
    assert client.get("/api/guided/unfinished").json() == {"session": None}
    second = client.post("/api/guided", json={"planned_session_id": session_id}).json()
    logged = client.post(
        f"/guided/{second['log_id']}/log-partial",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert logged.status_code == 303
    assert (
        client.post(f"/guided/{second['log_id']}/abandon", data={"csrf_token": token}).status_code
        == 404
    )


def test_a_huge_session_length_is_refused_not_a_server_error(client: TestClient) -> None:
    # Found by schemathesis: the end time overflowed.
    body = {
        "segments": [],
        "started_at": "2020-01-01T00:00:00Z",
        "status": "stopped",
        "duration_s": 2.2e16,
    }
    response = client.post("/api/logs", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "duration_s"
