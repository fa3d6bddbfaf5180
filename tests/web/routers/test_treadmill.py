"""``/treadmill`` and ``/api/treadmill``: the server drives the simulated treadmill (bumble) for a
session played by a client that behaves like the browser player."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from retrowalk.sessions import RunStatus, SessionRun, Timeline
from retrowalk.web.app import create_app
from tests.web.conftest import PROFILE

#: Session seconds per real second, for the player's clock and the simulated belt.
SCALE = 20.0


@pytest.fixture
def fast_client(tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(f"sqlite:///{tmp_path / 'api.sqlite3'}", test_mode=True)
    with TestClient(app) as test_client:
        yield test_client


def _quick_on_treadmill(client: TestClient, spec: str) -> str:
    client.get("/treadmill")
    token = client.cookies.get("rw_csrf")
    assert token
    posted = client.post(
        "/treadmill/quick",
        data={"csrf_token": token, "quick_spec": spec},
        follow_redirects=False,
    )
    assert posted.status_code == 303, posted.text
    location = posted.headers["location"]
    match = re.fullmatch(r"/player/quick/([0-9a-f-]+)", location)
    assert match
    return match.group(1)


def test_page_and_player_card(fast_client: TestClient) -> None:
    assert fast_client.put("/api/profile", json=PROFILE).status_code == 200
    page = fast_client.get("/treadmill")
    assert page.status_code == 200
    assert 'action="/treadmill/quick"' in page.text
    log_id = _quick_on_treadmill(fast_client, "1m back")
    player = fast_client.get(f"/player/quick/{log_id}").text
    assert 'id="treadmill-connect"' in player
    assert "/static/treadmill.js" in player
    assert fast_client.get("/static/treadmill.js").status_code == 200


def test_session_driven_by_the_server_end_to_end(fast_client: TestClient) -> None:
    client = fast_client
    assert client.put("/api/profile", json=PROFILE).status_code == 200
    assert client.post("/api/plans", json={"weeks": 2}).status_code == 201
    connected = client.post(
        "/api/treadmill/connect", json={"address": "simulated", "time_scale": SCALE}
    )
    assert connected.status_code == 200, connected.text
    assert connected.json()["simulated"] is True
    log_id = _quick_on_treadmill(client, "20s fwd, 20s back")
    guided = client.get("/api/guided/unfinished").json()["session"]
    assert guided["log_id"] == log_id
    timeline = Timeline.from_dict(guided["timeline"])
    limit = timeline.segments[0].planned.speed_limit_m_s
    assert limit is not None
    run = SessionRun(timeline, lambda: time.monotonic() * SCALE)
    run.start()
    messages: list[str] = []
    deadline = time.monotonic() + 20
    while run.state is RunStatus.RUNNING and time.monotonic() < deadline:
        run.poll()
        answer = client.post(
            f"/api/treadmill/follow/{log_id}", json={"snapshot": run.snapshot().to_dict()}
        )
        assert answer.status_code == 200, answer.text
        body: dict[str, Any] = answer.json()
        messages += body["messages"]
        assert not body["pause_requested"]
        time.sleep(0.05)
    assert run.state is RunStatus.FINISHED
    final = client.post(
        f"/api/treadmill/follow/{log_id}", json={"snapshot": run.snapshot().to_dict()}
    ).json()
    messages += final["messages"]
    assert any(m.startswith("Belt starting at") for m in messages)
    assert "Session over: the belt is stopping. Hold the rails." in messages
    simulator = client.app.state.treadmill_hub._opened.simulator  # type: ignore[attr-defined]
    assert simulator.max_target_m_s <= limit + 1e-9
    assert not simulator.belt.running
    finished = client.post(
        f"/api/guided/{log_id}/finish", json={"snapshot": run.snapshot().to_dict()}
    )
    assert finished.status_code == 200, finished.text
    speeds = [s["speed_m_s"] for s in finished.json()["segments"]]
    planned = timeline.segments[1].planned.speed_target_m_s
    assert planned is not None
    # What the belt ran, not the plan: the ramp in the first part, then the machine's setting.
    assert speeds[0] < planned - 0.01
    assert speeds[1] == pytest.approx(planned, abs=0.03)
    assert client.post("/api/treadmill/disconnect").status_code == 204
    assert client.get("/api/treadmill").json()["connected"] is False


def test_no_bluetooth_is_a_clear_409(client: TestClient) -> None:
    refused = client.post("/api/treadmill/connect", json={"address": "AA:BB:CC:DD:EE:FF"})
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Bluetooth is not available")


def test_follow_needs_a_connection(client: TestClient) -> None:
    snapshot = {"schema": "x"}
    answer = client.post("/api/treadmill/follow/nope", json={"snapshot": snapshot})
    assert answer.status_code in (404, 422)
