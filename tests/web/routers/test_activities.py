"""The watches page: upload, lap directions, workout downloads and the private calendar feed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from retrowalk.activities.calendar import parse_calendar
from retrowalk.activities.workout import decode_workout
from retrowalk.web.app import create_app
from tests.activities.builders import ACTIVITY_FILES

FIT = ACTIVITY_FILES / "fit"


def _token(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/activities").text)
    assert found
    return found.group(1)


def _upload(client: TestClient, *paths: Path, **extra: str) -> Any:
    files = [("files", (p.name, p.read_bytes(), "application/octet-stream")) for p in paths]
    return client.post(
        "/activities/import", data={"csrf_token": _token(client), **extra}, files=files
    )


def test_upload_reports_each_file_and_stores_only_walks(client: TestClient) -> None:
    page = _upload(client, FIT / "garmin-fenix-5-walk.fit", FIT / "Settings.fit")
    assert page.status_code == 200
    assert "garmin-fenix-5-walk.fit: imported as log" in page.text
    assert "Settings.fit: not an activity: a FIT settings file" in page.text
    logs = client.get("/api/logs").json()
    assert [log["source"] for log in logs] == ["import"]
    again = _upload(client, FIT / "garmin-fenix-5-walk.fit")
    assert "already imported" in again.text
    assert len(client.get("/api/logs").json()) == 1


def test_only_bad_files_is_422(client: TestClient) -> None:
    page = _upload(client, FIT / "invalid" / "activity-filecrc.fit")
    assert page.status_code == 422
    assert "activity-filecrc.fit: corrupt FIT file (bad CRC)" in page.text


def test_a_lap_marked_backward(client: TestClient) -> None:
    _upload(client, FIT / "garmin-fenix-5-walk.fit")
    (log,) = client.get("/api/logs").json()
    moved = client.post(
        f"/activities/{log['id']}/laps",
        data={"csrf_token": _token(client), "lap": "1", "direction": "backward"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    (after,) = client.get("/api/logs").json()
    assert after["segments"][0]["direction"] == "backward"
    assert "walker" in client.get("/activities").text


def test_workout_download_and_private_feed(client: TestClient, planned: dict[str, Any]) -> None:
    session = planned["session"]
    download = client.get(f"/activities/workout/{session['id']}.fit")
    assert download.status_code == 200
    steps = decode_workout(download.content)
    assert [s.duration_s for s in steps] == [p["duration_s"] for p in session["segments"]]
    token = _token(client)
    saved = client.post("/activities/calendar", data={"csrf_token": token, "at": "07:30",
                                                      "remind": "20"})  # fmt: skip
    assert saved.status_code == 200
    page = client.post("/activities/calendar/link", data={"csrf_token": token})
    pattern = r'<code id="feed-url">http://testserver(/calendar/[^<]+\.ics)</code>'
    found = re.search(pattern, page.text)
    assert found
    feed = client.get(found.group(1))
    assert feed.status_code == 200
    assert feed.headers["content-type"].startswith("text/calendar")
    events = parse_calendar(feed.content)
    assert session["id"] + "@retrowalk.invalid" in {e.uid for e in events}
    assert {(e.starts.isoformat(), e.remind_before_min) for e in events} == {("07:30:00", 20)}
    assert client.get("/calendar/not-the-token.ics").status_code == 404


def test_feed_needs_no_login_in_lan_mode_but_the_page_does(tmp_path: Path) -> None:
    app = create_app(f"sqlite:///{tmp_path / 'lan.sqlite3'}", lan=True)
    with TestClient(app) as lan_client:
        assert lan_client.get("/calendar/unknown.ics").status_code == 404
        page = lan_client.get("/activities", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login")


def test_the_lap_table_shows_speeds_in_the_walkers_units(client: TestClient) -> None:
    _upload(client, FIT / "garmin-fenix-5-walk.fit")
    for units in ("km/h", "mph"):
        assert client.put("/api/settings", json={"units": units, "voice": True}).is_success
        table = client.get("/activities").text.split("<table>", 1)[1].split("</table>", 1)[0]
        assert "m/s" not in table
        cells = re.findall(r"<td>([^<]*)</td>", table)
        speeds = [c for c in cells if c.endswith(f" {units}")]
        assert speeds, cells
        assert not any(s.split()[0].endswith(".0") for s in speeds)
