"""Walked sessions (``retrowalk.web.routers.logs``): the logs API and the log pages."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.activities.builders import ACTIVITY_FILES
from tests.web.conftest import (
    form_token,
    log_body,
    onboarding_form,
)


def test_logs_add_list_edit_delete(client: TestClient, planned: dict[str, Any]) -> None:
    started = datetime.now(UTC) - timedelta(hours=1)
    created = client.post("/api/logs", json=log_body(started))
    assert created.status_code == 201, created.text
    log = created.json()
    assert log["energy"]["energy_kcal"]["low"] <= log["energy"]["energy_kcal"]["high"]
    duplicate = client.post("/api/logs", json=log_body(started))
    assert duplicate.status_code == 409
    assert duplicate.json()["detail"].startswith("started_at: ")
    assert client.get("/api/logs").json()[0]["id"] == log["id"]
    edited = client.patch(f"/api/logs/{log['id']}", json={"notes": "felt fine"})
    assert edited.status_code == 200
    assert edited.json()["notes"] == "felt fine"
    stop = client.patch(f"/api/logs/{log['id']}", json={"stop_reason": "pain"})
    assert stop.status_code == 409  # the stored log is completed
    assert stop.json()["detail"].startswith("stop_reason: ")
    both = client.patch(f"/api/logs/{log['id']}", json={"status": "stopped", "stop_reason": "pain"})
    assert both.status_code == 200, both.text
    longer = client.patch(f"/api/logs/{log['id']}", json={"duration_s": 1.0})
    assert longer.status_code == 409  # the stored segments are longer
    unknown = client.post("/api/logs", json={**log_body(started), "planned_session_id": "x" * 36})
    assert unknown.status_code == 404
    bad = client.patch(f"/api/logs/{log['id']}", json={"ratings": {"rpe": 30}})
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["field"] == "rpe"
    assert client.delete(f"/api/logs/{log['id']}").status_code == 204
    assert client.get(f"/api/logs/{log['id']}").status_code == 404
    future = client.post("/api/logs", json=log_body(datetime.now(UTC) + timedelta(days=1)))
    assert future.status_code == 422


def test_a_huge_session_length_is_refused_not_a_server_error(client: TestClient) -> None:
    # Found by schemathesis: the end time overflowed.
    segment = {"direction": "backward", "duration_s": 60.0, "environment": "hallway"}
    body = {
        "segments": [{**segment, "support": "none"}],
        "started_at": "2020-01-01T00:00:00Z",
        "status": "stopped",
        "duration_s": 2.2e16,
    }
    response = client.post("/api/logs", json=body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "duration_s"


def test_manual_log_edit_and_delete(client: TestClient) -> None:
    token = form_token(client)
    client.post("/onboarding", data=onboarding_form(token))
    form = {
        "csrf_token": token,
        "started_at": "2026-01-05T09:30",
        "spec": "3x(1m back, 1m fwd)",
        "environment": "treadmill",
        "support": "treadmill_rails",
        "speed": "1.2 mph",
        "rpe": "12",
        "pain_0_10": "1",
        "form_steady": "yes",
    }
    bad = client.post("/log/new", data={**form, "spec": "walk a bit"})
    assert bad.status_code == 422
    assert "Please check What you walked." in bad.text
    assert "&#39;walk a bit&#39; is not accepted." in bad.text
    added = client.post("/log/new", data=form, follow_redirects=False)
    assert added.status_code == 303, added.text
    log = client.get("/api/logs").json()[0]
    assert log["duration_s"] == 360
    assert log["segments"][0]["speed_m_s"] > 0
    edited = client.post(
        f"/log/{log['id']}/edit",
        data={"csrf_token": token, "rpe": "13", "stop_reason": "pain", "pain_0_10": "5"},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    assert client.get(f"/api/logs/{log['id']}").json()["stop_reason"] == "pain"
    wrong = client.post(f"/log/{log['id']}/edit", data={"csrf_token": token, "rpe": "40"})
    assert wrong.status_code == 422
    deleted = client.post(
        f"/log/{log['id']}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert client.get("/api/logs").json() == []
    missing = client.post(f"/log/{log['id']}/delete", data={"csrf_token": token})
    assert missing.status_code == 404


def test_a_walk_logged_and_imported_is_counted_once_and_the_log_page_asks_which_to_keep(
    client: TestClient,
) -> None:
    # logged by hand first, then the same walk imported from the watch's file
    body = {
        "started_at": "2017-06-11T14:33:00+00:00",
        "segments": [
            {"direction": "forward", "duration_s": 600, "environment": "park", "support": "none"}
        ],
    }
    typed = client.post("/api/logs", json=body).json()["id"]
    fit = ACTIVITY_FILES / "fit" / "garmin-fenix-5-walk.fit"
    page = client.post(
        "/activities/import",
        data={"csrf_token": form_token(client)},
        files=[("files", (fit.name, fit.read_bytes(), "application/octet-stream"))],
    )
    assert f"the same walk as log {typed[:8]}: counted once" in page.text
    listed = client.get("/log").text
    assert "Logged twice: which one do you keep?" in listed
    keep = re.findall(r'action="/log/([0-9a-f-]+)/keep"', listed)
    assert keep[0] == typed
    imported = keep[1]
    r = client.post(
        f"/log/{imported}/keep", data={"csrf_token": form_token(client)}, follow_redirects=False
    )
    assert r.status_code == 303
    assert [log["id"] for log in client.get("/api/logs").json()] == [imported]
    assert "Logged twice" not in client.get("/log").text
    # nothing left to choose: one line, nothing deleted
    r = client.post(f"/log/{imported}/keep", data={"csrf_token": form_token(client)})
    assert r.status_code == 422
    assert "a log marked as the same walk as another" in r.text
    assert client.get(f"/api/logs/{imported}").status_code == 200


# -- issue 13: red flags shown, told what changed, deletion asked first and undone --------------


def _flagged(started: datetime, **ratings: Any) -> dict[str, Any]:
    values = {"rpe": 12, "pain_0_10": 5, "pain_location": "right knee", **ratings}
    return log_body(started, ratings=values)


def test_the_log_pages_show_every_red_flag_and_where_it_hurt(client: TestClient) -> None:
    from retrowalk.vocabulary import Symptom

    flags = {symptom.value: True for symptom in Symptom}
    created = client.post(
        "/api/logs", json=_flagged(datetime.now(UTC) - timedelta(hours=2), **flags)
    )
    assert created.status_code == 201, created.text
    log = created.json()
    assert [s["label"] for s in log["symptoms"]] == [s.label for s in Symptom]
    listed = client.get("/log").text
    edit = client.get(f"/log/{log['id']}/edit").text
    for page in (listed, edit):
        assert "Red flags recorded" in page
        for symptom in Symptom:
            assert symptom.label in page
        assert "pain 5/10 (right knee)" in page


def test_deleting_asks_first_says_what_and_undo_brings_it_back(
    client: TestClient, planned: dict[str, Any]
) -> None:
    token = form_token(client)
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    log = client.post("/api/logs", json=_flagged(started, fall=True)).json()
    assert client.get("/api/plans/current").json()["status"] == "stopped"

    ask = client.get(f"/log/{log['id']}/delete")
    assert ask.status_code == 200
    assert "Delete this session?" in ask.text
    assert f'action="/log/{log["id"]}/delete"' in ask.text
    assert client.get(f"/api/logs/{log['id']}").status_code == 200  # asking deletes nothing

    deleted = client.post(
        f"/log/{log['id']}/delete", data={"csrf_token": token}, follow_redirects=False
    )
    assert deleted.status_code == 303
    assert client.get(f"/api/logs/{log['id']}").status_code == 404
    page = client.get("/log").text
    local = started.astimezone()
    assert f"Deleted the session of {local:%a} {local.day} {local:%b %Y} at {local:%H:%M}" in page
    assert "(typed in, 7 min)." in page  # its kind and length, in words
    assert "no longer stopped" in page  # the plan change, told
    assert client.get("/api/plans/current").json()["status"] == "active"
    undo = re.search(r'action="(/log/deleted/[^"]+/restore)"', page)
    assert undo is not None
    assert "Undo" in page
    assert "Deleted the session" not in client.get("/log").text  # said once

    restored = client.post(undo.group(1), data={"csrf_token": token}, follow_redirects=False)
    assert restored.status_code == 303
    back = client.get(f"/api/logs/{log['id']}").json()
    assert back["segments"] == log["segments"]
    assert back["ratings"] == log["ratings"]
    assert back["symptoms"] == log["symptoms"]
    assert client.get("/api/plans/current").json()["status"] == "stopped"
    page = client.get("/log").text
    assert "Restored the session of" in page
    assert "stopped" in page
    again = client.post(undo.group(1), data={"csrf_token": token})
    assert again.status_code == 404


def test_editing_a_mistaken_red_flag_away_says_the_plan_goes_on(
    client: TestClient, planned: dict[str, Any]
) -> None:
    token = form_token(client)
    log = client.post(
        "/api/logs", json=_flagged(datetime.now(UTC) - timedelta(hours=2), near_fall=True)
    ).json()
    assert log["plan_change"]["action"] in ("regress", "stop")
    fell = client.post(
        "/api/logs", json=_flagged(datetime.now(UTC) - timedelta(hours=1), fall=True)
    )
    fall_id = fell.json()["id"]
    assert client.get("/api/plans/current").json()["status"] == "stopped"
    edited = client.post(
        f"/log/{fall_id}/edit",
        data={"csrf_token": token, "rpe": "12", "pain_0_10": "0"},
        follow_redirects=False,
    )
    assert edited.status_code == 303
    page = client.get("/log").text
    assert "Saved the changes to the session of" in page
    assert "Your plan is no longer stopped" in page
    assert client.get("/api/plans/current").json()["status"] == "active"
    # ticking a red flag again stops it again, and says so
    client.post(
        f"/log/{fall_id}/edit",
        data={"csrf_token": token, "rpe": "12", "pain_0_10": "0", "fainting": "on"},
        follow_redirects=False,
    )
    assert client.get("/api/plans/current").json()["status"] == "stopped"
    assert "Your plan is now stopped" in client.get("/log").text
