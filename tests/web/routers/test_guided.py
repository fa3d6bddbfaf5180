"""Sessions played in the browser (``retrowalk.web.routers.guided``): the guided API, the player
and quick-session pages, and skipped segments as the browser player reports them."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient


def _token(client: TestClient) -> str:
    client.get("/today")
    token = client.cookies.get("rw_csrf")
    assert token
    return token


def _player_data(page: str) -> dict[str, Any]:
    found = re.search(r'<script type="application/json" id="player-data">(.*?)</script>', page)
    assert found
    return dict(json.loads(found.group(1)))


def _unfinished(client: TestClient) -> dict[str, Any] | None:
    session: dict[str, Any] | None = client.get("/api/guided/unfinished").json()["session"]
    return session


def _browser_snapshot(guided: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A snapshot shaped as the browser player sends it."""
    timeline = guided["timeline"]
    snapshot: dict[str, Any] = {
        "schema": "retrowalk.run_snapshot",
        "version": 1,
        "timeline_id": guided["timeline_id"],
        "status": "running",
        "elapsed_s": 0,
        "position_s": 0,
        "paused_s": 0,
        "next_event_index": 0,
        "current_segment_index": None,
        "segment_left_s": None,
        "session_left_s": timeline["total_s"],
        "next_segment_index": 0,
        "segment_done_s": [0.0 for _ in timeline["segments"]],
        "skipped_segments": [],
        "stop_reason": None,
        "stop_note": None,
    }
    snapshot.update(changes)
    return snapshot


def test_quick_form_is_on_today_and_on_its_own_page(
    client: TestClient, planned: dict[str, Any]
) -> None:
    today = client.get("/today").text
    assert 'action="/quick"' in today
    assert 'name="csrf_token"' in today.split('id="quick-form"')[1]
    # The accepted ranges come from the quick parser's own bounds.
    ranges = (
        "Each part 5 s to 120 min; repeat counts 1 to 50; at most 200 parts and 120 min in all."
    )
    assert ranges in today
    page = client.get("/quick")
    assert page.status_code == 200
    assert ranges in page.text
    assert '<label for="quick_spec">Intervals</label>' in page.text
    # A treadmill needs a belt speed limit that only a plan sets: not offered here.
    assert (
        'value="treadmill"'
        not in page.text.split('id="quick-environment"')[1].split("</select>")[0]
    )


def test_quick_page_needs_a_profile_first(client: TestClient) -> None:
    assert client.get("/quick", follow_redirects=False).headers["location"] == "/onboarding"
    token = _token(client)
    posted = client.post(
        "/quick", data={"csrf_token": token, "quick_spec": "2m back"}, follow_redirects=False
    )
    assert posted.headers["location"] == "/onboarding"
    assert _unfinished(client) is None


def test_quick_form_needs_the_csrf_token(client: TestClient, planned: dict[str, Any]) -> None:
    refused = client.post("/quick", data={"quick_spec": "2m back"})
    assert refused.status_code == 403
    wrong = client.post("/quick", data={"quick_spec": "2m back", "csrf_token": "nope"})
    assert wrong.status_code == 403
    assert _unfinished(client) is None


@pytest.mark.parametrize(
    ("form", "label", "accepted"),
    [
        ({"quick_spec": "walk a bit"}, "Intervals", "parts such as"),
        ({"quick_spec": "61x(1m back)"}, "Intervals", "repeat counts from 1 to 50"),
        ({"quick_spec": "3s back, 1m fwd"}, "Intervals", "segments of 5 s to 120 min"),
        ({"quick_spec": "50x(3m back)"}, "Intervals", "a total of at most 120 minutes"),
        ({"quick_spec": ""}, "Intervals", "parts such as"),
        ({"quick_spec": "2m back", "environment": "moon"}, "Where", "one of the choices listed"),
        (
            {"quick_spec": "2m back", "support": "rope"},
            "Support for backward parts",
            "one of the choices listed",
        ),
    ],
)
def test_quick_form_errors_name_the_field_and_what_is_accepted(
    client: TestClient, planned: dict[str, Any], form: dict[str, str], label: str, accepted: str
) -> None:
    token = _token(client)
    response = client.post("/quick", data={"csrf_token": token, **form})
    assert response.status_code == 422
    error = response.text.split('id="quick-error"')[1].split("</div>")[0]
    assert f"Please check {label}." in error
    assert accepted in error
    assert 'role="alert" id="quick-error"' in response.text
    if label == "Intervals":
        assert 'aria-invalid="true"' in response.text.split('id="quick_spec"')[1].split(">")[0]
        if form["quick_spec"]:
            assert f'value="{form["quick_spec"]}"' in response.text  # kept, to correct it
        else:
            assert "Nothing was typed." in error
    assert _unfinished(client) is None  # nothing started


def test_quick_form_starts_a_session_and_opens_its_player(
    client: TestClient, planned: dict[str, Any]
) -> None:
    token = _token(client)
    form = {
        "csrf_token": token,
        "quick_spec": " 2x(30s back, 30s fwd) ",
        "environment": "open_room",
        "support": "spotter",
    }
    started = client.post("/quick", data=form, follow_redirects=False)
    assert started.status_code == 303
    unfinished = _unfinished(client)
    assert unfinished is not None
    assert unfinished["source"] == "quick"
    assert unfinished["title"] == "Quick session: 2x(30s back, 30s fwd)"
    assert started.headers["location"] == f"/player/quick/{unfinished['log_id']}"
    segments = unfinished["timeline"]["segments"]
    assert [s["direction"] for s in segments] == ["backward", "forward"] * 2
    assert {(s["environment"], s["support"]) for s in segments} == {("open_room", "spotter")}

    page = client.get(started.headers["location"])
    assert page.status_code == 200
    assert 'id="btn-skip"' in page.text
    assert 'aria-describedby="skip-help"' in page.text
    data = _player_data(page.text)
    assert data["log_id"] == unfinished["log_id"]
    assert data["source"] == "quick"
    assert data["planned_session_id"] is None
    assert data["snapshot"] is None  # not started yet: nothing to continue
    assert data["timeline_id"] == unfinished["timeline_id"]
    assert data["clock_rate"] == 1.0  # not in test mode
    assert set(data["stop_texts"]) == {"pain", "dizziness", "near_fall", "tired", "other"}

    # Today offers the player again and no second quick session.
    today = client.get("/today").text
    assert f'href="/player/quick/{unfinished["log_id"]}"' in today
    assert 'id="quick-form"' not in today
    again = client.post("/quick", data=form)
    assert again.status_code == 409
    assert "still in progress" in again.text
    assert client.get("/player/quick/someone-else").status_code == 404

    # Under way on the server: another browser continues it from the last checkpoint.
    guided = {**unfinished}
    running = _browser_snapshot(
        guided,
        elapsed_s=25.0,
        position_s=40.0,
        current_segment_index=1,
        segment_left_s=30.0,
        session_left_s=guided["timeline"]["total_s"] - 40.0,
        next_segment_index=2,
        next_event_index=9,
        segment_done_s=[15.0, 0.0, 0.0, 0.0],
        skipped_segments=[0],
    )
    stored = client.post(
        f"/api/guided/{unfinished['log_id']}/checkpoint", json={"snapshot": running}
    )
    assert stored.status_code == 200, stored.text
    data = _player_data(client.get(started.headers["location"]).text)
    assert data["snapshot"]["skipped_segments"] == [0]
    assert data["snapshot"]["position_s"] == 40.0


def test_the_quick_player_sends_planned_sessions_to_their_own_player(
    client: TestClient, planned: dict[str, Any]
) -> None:
    session_id = planned["session"]["id"]
    guided = client.post("/api/guided", json={"planned_session_id": session_id}).json()
    moved = client.get(f"/player/quick/{guided['log_id']}", follow_redirects=False)
    assert moved.status_code == 303
    assert moved.headers["location"] == f"/player/{session_id}"
    # The planned player also carries the skip button.
    assert 'id="btn-skip"' in client.get(f"/player/{session_id}").text


def test_a_stopped_plan_refuses_a_quick_session(
    client: TestClient, planned: dict[str, Any]
) -> None:
    started_at = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    body = {
        "started_at": started_at,
        "segments": [
            {
                "direction": "backward",
                "duration_s": 60.0,
                "environment": "hallway",
                "support": "wall_or_rail",
            },
        ],
        "ratings": {"chest_pain": True},
        "status": "stopped",
        "stop_reason": "pain",
    }
    assert client.post("/api/logs", json=body).status_code == 201
    assert client.get("/api/today").json()["stopped"] is True
    assert 'id="quick-form"' not in client.get("/today").text
    refused = client.post("/quick", data={"csrf_token": _token(client), "quick_spec": "2m back"})
    assert refused.status_code == 409
    assert "Your plan is stopped" in refused.text
    assert _unfinished(client) is None


def test_skipped_segments_from_the_browser_are_logged_as_the_part_walked(
    client: TestClient, planned: dict[str, Any]
) -> None:
    token = _token(client)
    client.post("/quick", data={"csrf_token": token, "quick_spec": "30s back, 30s fwd"})
    guided = _unfinished(client)
    assert guided is not None
    total = guided["timeline"]["total_s"]
    # Walked all of part 1, then 12 s of part 2 and skipped the rest: the session is over.
    final = _browser_snapshot(
        guided,
        status="finished",
        elapsed_s=total - 18.0,
        position_s=total,
        next_event_index=len(guided["timeline"]["events"]),
        session_left_s=0.0,
        next_segment_index=None,
        segment_done_s=[30.0, 12.0],
        skipped_segments=[1],
    )
    finished = client.post(
        f"/api/guided/{guided['log_id']}/finish", json={"snapshot": final, "ratings": {"rpe": 11}}
    )
    assert finished.status_code == 200, finished.text
    log = finished.json()
    assert log["status"] == "completed"
    assert log["source"] == "quick"
    assert [(s["duration_s"], s["completed"]) for s in log["segments"]] == [
        (30.0, True),
        (12.0, False),
    ]
    assert log["duration_s"] == 42.0
    assert "1 part not walked to the end" in client.get("/log").text
    # Over: its player page is gone.
    assert client.get(f"/player/quick/{guided['log_id']}").status_code == 404


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
    for misfit in ({"timeline_id": "another"}, {"segment_done_s": [*done, 0]}):
        refused = client.post(
            f"/api/guided/{guided['log_id']}/checkpoint", json={"snapshot": {**snapshot, **misfit}}
        )
        assert refused.status_code == 409, refused.text
        assert refused.json()["detail"].startswith("snapshot.")
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


def test_starting_a_guided_session_states_what_is_refused(
    client: TestClient, planned: dict[str, Any]
) -> None:
    session_id = planned["session"]["id"]
    both = client.post(
        "/api/guided", json={"planned_session_id": session_id, "quick_spec": "1m back"}
    )
    assert both.status_code == 422
    assert "not both" in both.json()["detail"][0]["accepted"]
    unknown = client.post("/api/guided", json={"planned_session_id": "f" * 36})
    assert unknown.status_code == 404
    assert unknown.json()["detail"].startswith("planned_session_id: ")
    bad_spec = client.post("/api/guided", json={"quick_spec": "walk a bit"})
    assert bad_spec.status_code == 422
    document = client.get("/openapi.json").json()
    create = document["components"]["schemas"]["GuidedCreate"]
    assert create["not"] == {"required": ["planned_session_id", "quick_spec"]}
    assert "404" in document["paths"]["/api/guided"]["post"]["responses"]
