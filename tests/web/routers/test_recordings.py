"""``/api/logs/{id}/recording``: a chunked, resumable upload that survives a lost connection,
refuses bad samples with the session kept, and a delete that keeps the session."""

from __future__ import annotations

from typing import Any

import numpy as np
from fastapi.testclient import TestClient

from retrowalk.motion.recording import Recording
from tests.services.test_recordings import PLAN, session_recording
from tests.web.conftest import PROFILE


def _log(client: TestClient) -> dict[str, Any]:
    assert client.put("/api/profile", json=PROFILE).status_code == 200
    segments = [
        {"direction": d, "duration_s": s, "environment": "hallway", "support": "none"}
        for d, s in PLAN
    ]
    started = "2026-11-30T09:00:00+00:00"
    r = client.post("/api/logs", json={"started_at": started, "segments": segments})
    assert r.status_code == 201, r.text
    return dict(r.json())


def _chunks(rec: Recording, started_at: str, n: int) -> list[dict[str, Any]]:
    out = []
    for part in np.array_split(np.arange(rec.n_samples), n):
        out.append(
            {
                "started_at": started_at,
                "t_ms": (rec.time_s[part] * 1000).round(3).tolist(),
                "acc_m_s2": rec.acc_m_s2[part].round(2).tolist(),
                "gyr_deg_s": None,
            }
        )
    return out


def test_upload_resumes_after_a_lost_connection(client: TestClient) -> None:
    log = _log(client)
    base = f"/api/logs/{log['id']}/recording"
    chunks = _chunks(session_recording(PLAN, lead_s=0.5), log["started_at"], 4)
    assert client.put(f"{base}/chunks/0", json=chunks[0]).json() == {"received": [0]}
    assert client.put(f"{base}/chunks/2", json=chunks[2]).status_code == 200
    # the connection drops: completing now is refused, nothing is stored
    r = client.post(f"{base}/complete", json={"chunks": 4})
    assert r.status_code == 409
    assert "missing chunks [1, 3]" in r.text
    assert client.get(base).status_code == 404
    # resume: ask what arrived, send the rest
    assert client.get(f"{base}/chunks").json() == {"received": [0, 2]}
    for k in (1, 3):
        assert client.put(f"{base}/chunks/{k}", json=chunks[k]).status_code == 200
    r = client.post(f"{base}/complete", json={"chunks": 4})
    assert r.status_code == 200, r.text
    analysis = r.json()["analysis"]
    assert analysis["backward_confirmed"] == 2
    assert analysis["steps"] > 700
    assert client.get(base).json()["source"] == "browser"
    assert client.delete(base).json() == {"deleted": True}
    assert client.get(f"/api/logs/{log['id']}").status_code == 200


def test_out_of_order_or_still_samples_are_refused_and_the_session_kept(
    client: TestClient,
) -> None:
    log = _log(client)
    base = f"/api/logs/{log['id']}/recording"
    chunks = _chunks(session_recording(PLAN, lead_s=0.5), log["started_at"], 4)
    chunks[1], chunks[2] = chunks[2], chunks[1]  # time goes back between chunks
    for k, chunk in enumerate(chunks):
        assert client.put(f"{base}/chunks/{k}", json=chunk).status_code == 200
    r = client.post(f"{base}/complete", json={"chunks": 4})
    assert r.status_code == 422
    assert "out of order" in r.text
    t = np.arange(0.0, 60.0, 0.01)
    still = {
        "started_at": log["started_at"],
        "t_ms": (t * 1000).tolist(),
        "acc_m_s2": np.tile([0.0, 0.0, 9.81], (t.shape[0], 1)).tolist(),
    }
    assert client.put(f"{base}/chunks/0", json=still).status_code == 200
    r = client.post(f"{base}/complete", json={"chunks": 1})
    assert r.status_code == 422
    assert "no motion" in r.text
    assert client.get(f"/api/logs/{log['id']}").status_code == 200
    assert client.get(base).status_code == 404


def test_a_chunk_for_an_unknown_log_or_with_mismatched_lengths_is_refused(
    client: TestClient,
) -> None:
    log = _log(client)
    bad = {"started_at": log["started_at"], "t_ms": [0, 10], "acc_m_s2": [[0, 0, 9.8]]}
    assert client.put(f"/api/logs/{log['id']}/recording/chunks/0", json=bad).status_code == 422
    good = bad | {"acc_m_s2": [[0, 0, 9.8], [0, 0, 9.8]]}
    assert client.put("/api/logs/nosuchlog/recording/chunks/0", json=good).status_code == 404
