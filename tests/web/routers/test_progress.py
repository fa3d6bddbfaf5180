"""Progress (``retrowalk.web.routers.progress``): the report over the API and on the page, from
one cache kept while nothing was committed (by any connection)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from retrowalk.services.database import open_database
from retrowalk.services.logs import add_log
from retrowalk.web.app import create_app
from retrowalk.web.deps import unit_of_work
from tests.web.conftest import (
    PROFILE,
    app_db,
    db_url,
    form_token,
    input_ago,
    log_body,
    progress_of,
    started_ago,
    walked,
)


def test_progress_and_settings(client: TestClient, planned: dict[str, Any]) -> None:
    client.post("/api/logs", json=log_body(datetime.now(UTC) - timedelta(minutes=30)))
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


def test_progress_page_draws_every_chart(client: TestClient, planned: dict[str, Any]) -> None:
    token = form_token(client)
    client.post("/balance-test", data={"csrf_token": token, "trial_1": "5", "trial_2": "5.2"})
    client.post("/balance-test", data={"csrf_token": token, "trial_1": "4.5", "trial_2": "4.7"})
    page = client.get("/progress").text
    for chart in ("chart-minutes", "chart-backward", "chart-energy", "chart-3mbwt"):
        assert f'id="{chart}"' in page
    assert "<title" in page
    assert "<desc" in page
    assert 'id="progress-table"' in page
    assert client.get("/", follow_redirects=False).headers["location"] == "/today"


def test_progress_is_cached_until_another_connection_commits(client: TestClient) -> None:
    first = progress_of(client)
    assert walked(first) == (0, 0.0)
    # Nothing committed in between: the very same report, down to when it was made.
    again = progress_of(client)
    assert again == first
    assert again["generated_at"] == first["generated_at"]

    # Another "process" (an engine of its own on the same file) logs a 7-minute session.
    other = open_database(db_url(app_db(client)))
    try:
        with unit_of_work(other, write=True) as session:
            add_log(session, input_ago(hours_ago=2))
    finally:
        other.dispose()

    after = progress_of(client)
    assert after["generated_at"] != first["generated_at"]
    assert walked(after) == (1, 7.0)
    assert progress_of(client) == after  # cached again


def test_the_progress_page_and_the_api_share_one_report_cache(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    assert client.get("/progress").status_code == 200
    (page_report,) = app.state.progress_reports.values()
    response = client.get("/api/progress", params={"weeks": 8})
    assert response.status_code == 200, response.text
    assert response.json()["generated_at"] == page_report["generated_at"]
    assert len(app.state.progress_reports) == 1


def test_progress_reads_back_a_log_posted_through_the_api(client: TestClient) -> None:
    before = progress_of(client)
    created = client.post("/api/logs", json=log_body(started_ago(hours_ago=1)))
    assert created.status_code == 201, created.text
    after = progress_of(client)
    assert after["generated_at"] != before["generated_at"]
    assert walked(after) == (walked(before)[0] + 1, walked(before)[1] + 7.0)


@pytest.mark.postgres
def test_postgresql_has_no_data_version_and_nothing_is_cached(
    make_db_url: Callable[[str], str],
) -> None:
    url = make_db_url("postgresql")
    db = open_database(url)
    try:
        assert db.data_version() is None
    finally:
        db.dispose()
    with TestClient(create_app(url)) as client:
        first = progress_of(client)
        assert progress_of(client)["generated_at"] != first["generated_at"]


def test_progress_page_shows_steadiness_beside_the_balance_test(client: TestClient) -> None:
    from tests.services.helpers import store_profile
    from tests.services.test_progress_steadiness import add_recorded_log

    page = client.get("/progress")
    assert "Steadiness walking backward" in page.text
    assert "No steadiness yet" in page.text
    db = app_db(client)
    now = datetime.now(UTC)
    with db.transaction() as session:
        store_profile(session)
        add_recorded_log(session, now - timedelta(weeks=2), [0.60, 0.61])
        add_recorded_log(session, now - timedelta(hours=1), [0.75, 0.76])
    page = client.get("/progress")
    assert 'id="steadiness-table"' in page.text
    assert "Steadier walking backward: +0.15 (smallest real change 0.07)" in page.text
    assert page.text.index("Balance test (walking 3 metres backward)") < page.text.index(
        "steadiness-reading"
    )


# -- issue 13: symptoms, every walked day, and energy from assumed speeds on the Progress page --


def test_progress_page_has_a_symptoms_section_with_the_vocabulary_labels(
    client: TestClient,
) -> None:
    from retrowalk.vocabulary import Symptom

    assert "No symptoms or pain reported" in client.get("/progress").text
    ratings = {"rpe": 12, "pain_0_10": 6, "pain_location": "left hip", "dizziness": True}
    body = log_body(started_ago(2), ratings=ratings, stop_reason="near_fall", status="stopped")
    assert client.post("/api/logs", json=body).status_code == 201
    page = client.get("/progress").text
    assert 'id="symptoms-table"' in page
    assert Symptom.DIZZINESS.label in page
    assert Symptom.NEAR_FALL.label in page
    assert "6/10 (left hip)" in page
    week = client.get("/api/progress").json()["weeks"][-1]
    assert [e["id"] for e in week["symptoms"]["events"]] == ["dizziness", "near_fall"]


def test_progress_page_has_a_history_calendar_of_every_walked_day(client: TestClient) -> None:
    days = (started_ago(2), started_ago(24 * 9))
    for started in days:
        assert client.post("/api/logs", json=log_body(started)).status_code == 201
    page = client.get("/progress").text
    assert 'id="history-calendar"' in page
    walked_on = set(re.findall(r'data-date="([\d-]+)" data-walked="1"', page))
    assert walked_on == {d.astimezone().date().isoformat() for d in days}


def test_energy_from_an_assumed_speed_is_marked_on_the_chart(client: TestClient) -> None:
    from retrowalk.web.charts import ASSUMED_LABEL

    assert client.put("/api/profile", json=PROFILE).status_code == 200
    known = log_body(started_ago(30))
    assert client.post("/api/logs", json=known).status_code == 201
    page = client.get("/progress").text
    assert "bar-assumed" not in page  # no hatched part, no legend entry
    hallway = log_body(
        started_ago(2),
        segments=[
            {"direction": d, "duration_s": 300.0, "environment": "hallway", "support": "none"}
            for d in ("forward", "backward", "forward")
        ],
    )
    created = client.post("/api/logs", json=hallway)
    assert created.status_code == 201
    assert created.json()["energy"]["speed_source"] == "assumed"
    week = client.get("/api/progress").json()["weeks"][-1]
    assert week["sessions_energy_assumed"] == 1
    assert week["energy_assumed_kcal"]["central"] > 0
    assert week["energy_assumed_kcal"]["central"] <= week["energy_kcal"]["central"]
    page = client.get("/progress").text
    chart = page[
        page.index('id="chart-energy"') : page.index("</svg>", page.index('id="chart-energy"'))
    ]
    assert 'class="bar-assumed"' in chart
    assert f">{ASSUMED_LABEL}</text>" in chart  # the legend entry
