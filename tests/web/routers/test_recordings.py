"""``/api/logs/{id}/recording``: a chunked, resumable upload that survives a lost connection,
refuses bad samples with the session kept, and a delete that keeps the session."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from retrowalk.motion.recording import Recording
from tests.services.test_recordings import PLAN, clock_csv, session_recording
from tests.web.conftest import PROFILE, form_token


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


# ------------------------------------------------------------------ the log's page: attach a file


def _attach(client: TestClient, log_id: str, name: str, data: bytes, **fields: str) -> Any:
    token = form_token(client)
    return client.post(
        f"/log/{log_id}/recording",
        data={"csrf_token": token, **fields},
        files={"file": (name, data, "text/csv")},
        follow_redirects=False,
    )


def test_a_phone_app_file_is_attached_on_the_logs_page(client: TestClient, tmp_path: Path) -> None:
    log = _log(client)
    page = client.get(f"/log/{log['id']}/edit")
    assert 'id="motion-form"' in page.text
    assert 'id="motion-summary"' not in page.text
    started = datetime.fromisoformat(log["started_at"])
    path = clock_csv(
        tmp_path / "phone.csv", session_recording(PLAN), started - timedelta(seconds=5)
    )
    r = _attach(client, log["id"], "Accelerometer phone.csv", path.read_bytes())
    assert r.status_code == 303, r.text
    assert r.headers["location"] == f"/log/{log['id']}/edit#motion"
    page = client.get(f"/log/{log['id']}/edit").text
    assert 'id="motion-summary"' in page
    assert "backward confirmed for 2 of 2 intervals" in page
    assert "speed from your steps about" in page
    assert "Steadiness walking backward: step regularity" in page
    stored = client.get(f"/api/logs/{log['id']}").json()
    assert stored["energy"]["speed_source"] == "motion"
    # delete the recording: the session stays
    token = form_token(client)
    r = client.post(
        f"/log/{log['id']}/recording/delete",
        data={"csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert client.get(f"/api/logs/{log['id']}/recording").status_code == 404
    assert client.get(f"/api/logs/{log['id']}").status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "fields", "message"),
    [
        ("notes.csv", b"hello,world\n1,2\n", {}, "notes.csv: "),
        ("empty.csv", b"", {}, "empty.csv: the file is empty"),
        ("walk.csv", b"t,ax,ay,az\n0,0,0,9.8\n", {"format": "fit"}, "format"),
        ("walk.csv", b"t,ax,ay,az\n0,0,0,9.8\n", {"start": "yesterday"}, "start"),
    ],
)
def test_a_bad_file_gets_one_line_and_the_session_is_kept(
    client: TestClient, name: str, content: bytes, fields: dict[str, str], message: str
) -> None:
    log = _log(client)
    before = client.get(f"/api/logs/{log['id']}").json()
    r = _attach(client, log["id"], name, content, **fields)
    assert r.status_code == 422
    error = re.search(r'id="motion-error">([^<]*)<', r.text)
    assert error is not None
    assert message in html.unescape(error.group(1))
    assert "The session is kept as it was." in html.unescape(error.group(1))
    assert client.get(f"/api/logs/{log['id']}").json() == before
    assert client.get(f"/api/logs/{log['id']}/recording").status_code == 404


def test_a_file_from_another_day_is_refused_on_the_page(client: TestClient, tmp_path: Path) -> None:
    log = _log(client)
    other_day = datetime.fromisoformat(log["started_at"]) - timedelta(days=2)
    path = clock_csv(tmp_path / "old.csv", session_recording(PLAN), other_day)
    r = _attach(client, log["id"], "old.csv", path.read_bytes())
    assert r.status_code == 422
    assert "a file from another session or time?" in html.unescape(r.text)
    assert client.get(f"/api/logs/{log['id']}/recording").status_code == 404


def test_attach_without_the_form_token_is_refused(client: TestClient) -> None:
    log = _log(client)
    r = client.post(f"/log/{log['id']}/recording", files={"file": ("a.csv", b"x", "text/csv")})
    assert r.status_code == 403
