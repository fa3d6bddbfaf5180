"""The walker's time zone on the web (``retrowalk.web.views``, issue 13): times show in the
browser's zone (the ``rw_tz`` cookie the page script sets), never with a "UTC" label; the
``RETROWALK_TIME_ZONE`` setting overrides it; days and weeks follow the local calendar."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient

from retrowalk.config import get_settings
from tests.web.conftest import form_token, log_body

#: The cookie the page script sets (retrowalk.web.views.ZONE_COOKIE).
ZONE_COOKIE = "rw_tz"
#: Late on Sunday 29 November 2026 in UTC: already Monday 30 November in Auckland (UTC+13).
LATE_SUNDAY_UTC = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)


def log_late_sunday(client: TestClient) -> dict[str, Any]:
    created = client.post("/api/logs", json=log_body(LATE_SUNDAY_UTC))
    assert created.status_code == 201, created.text
    return dict(created.json())


def test_the_log_list_shows_times_in_the_browsers_zone_without_a_utc_label(
    client: TestClient, planned: dict[str, Any]
) -> None:
    log_late_sunday(client)
    client.cookies.set(ZONE_COOKIE, "Pacific/Auckland")
    page = client.get("/log").text
    assert "Mon 30 Nov 2026, 12:30" in page
    assert "UTC" not in page
    client.cookies.set(ZONE_COOKIE, "America/New_York")
    assert "Sun 29 Nov 2026, 18:30" in client.get("/log").text


def test_the_time_zone_setting_overrides_the_browser(
    client: TestClient, planned: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    log_late_sunday(client)
    monkeypatch.setenv("RETROWALK_TIME_ZONE", "Europe/Paris")
    get_settings.cache_clear()
    client.cookies.set(ZONE_COOKIE, "Pacific/Auckland")
    page = client.get("/log").text
    assert "Mon 30 Nov 2026, 00:30" in page
    # The page tells its script the zone is fixed, so the script does not reload it.
    assert "data-tz-fixed" in page


def test_a_time_typed_in_the_log_form_is_the_walkers_wall_clock(
    client: TestClient, planned: dict[str, Any]
) -> None:
    client.cookies.set(ZONE_COOKIE, "Asia/Tokyo")
    form = {
        "csrf_token": form_token(client),
        "started_at": "2026-11-20T10:00",
        "spec": "2m back",
        "environment": "hallway",
    }
    assert client.post("/log/new", data=form, follow_redirects=False).status_code == 303
    (stored,) = client.get("/api/logs").json()
    assert datetime.fromisoformat(stored["started_at"]) == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)


def test_weeks_follow_the_walkers_calendar(client: TestClient, planned: dict[str, Any]) -> None:
    log_late_sunday(client)
    params = {"weeks": 1, "on": "2026-11-30"}  # the week of Monday 30 November
    client.cookies.set(ZONE_COOKIE, "Pacific/Auckland")
    assert client.get("/api/progress", params=params).json()["weeks"][0]["walking_minutes"] > 0
    client.cookies.set(ZONE_COOKIE, "America/New_York")
    assert client.get("/api/progress", params=params).json()["weeks"][0]["walking_minutes"] == 0


def test_a_cookie_that_is_not_a_zone_is_ignored() -> None:
    from retrowalk.web.views import ZONE_COOKIE as NAME
    from retrowalk.web.views import browser_zone

    assert NAME == ZONE_COOKIE
    assert browser_zone("Europe/Paris") is not None
    for bad in ("", "Not/AZone", "../../etc/passwd", "x" * 200, None):
        assert browser_zone(bad) is None


def test_a_bad_zone_cookie_falls_back_to_the_computers_zone(
    client: TestClient, planned: dict[str, Any]
) -> None:
    client.cookies.set(ZONE_COOKIE, "Not/AZone")
    assert client.get("/today").status_code == 200
