"""Fixtures for the web tests: an app on a fresh SQLite database and a sample profile."""

from __future__ import annotations

import copy
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from retrowalk.profile import example_profile_data
from retrowalk.services.database import Database
from retrowalk.services.logs import LogInput
from retrowalk.web.app import create_app
from retrowalk.web.logforms import log_input
from retrowalk.web.schemas import LogCreate

PROFILE: dict[str, Any] = {
    **example_profile_data(),
    "age_years": 52,
    "sex": "male",
    "mass_kg": 80.0,
    "height_m": 1.8,
    "equipment": ["hallway_with_rail", "treadmill_with_rails"],
}


def profile(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(PROFILE)
    data.update(changes)
    return data


def paired_database_url(tmp_path: Path, code: str) -> str:
    """A new database (for LAN mode) holding the hash of pairing code ``code``."""
    from retrowalk.services.database import open_database
    from retrowalk.web.security import store_pairing_code

    url = f"sqlite:///{tmp_path / 'lan.sqlite3'}"
    db = open_database(url)
    with db.transaction() as session:
        store_pairing_code(session, code)
    db.dispose()
    return url


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(f"sqlite:///{tmp_path / 'api.sqlite3'}")) as test_client:
        yield test_client


@pytest.fixture
def planned(client: TestClient) -> dict[str, Any]:
    """A stored profile and plan; returns today's view."""
    assert client.put("/api/profile", json=PROFILE).status_code == 200
    assert client.post("/api/plans", json={"weeks": 2}).status_code == 201
    return dict(client.get("/api/today").json())


def log_body(started_at: datetime, **changes: Any) -> dict[str, Any]:
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


PARQ = (
    "heart_condition_or_high_bp",
    "chest_pain",
    "dizziness_or_lost_consciousness",
    "other_chronic_condition",
    "prescribed_medication",
    "bone_joint_soft_tissue_problem",
    "medically_supervised_only",
)


def form_token(client: TestClient) -> str:
    page = client.get("/settings")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def onboarding_form(token: str, **changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "csrf_token": token,
        "age_years": "70",
        "sex": "female",
        "mass_kg": "60.5",
        "height_m": "1.6",
        "conditions": [],
        "falls_past_year": "0",
        "fear_of_falling": "yes",
        "dizziness": "no",
        "uses_walking_aid": "no",
        "pain_location_0": "left knee",
        "pain_level_0": "2",
        "equipment": ["hallway_with_rail", "open_room"],
        "goals": "steadier on my feet\nless knee pain",
        "days_per_week": "3",
        **{f"parq.{q}": "no" for q in PARQ},
    }
    form.update(changes)
    return form


WAIT_S = 60.0


def started_ago(hours_ago: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(hours=hours_ago)


def input_ago(hours_ago: float) -> LogInput:
    return log_input(LogCreate.model_validate(log_body(started_ago(hours_ago))))


def app_db(client: TestClient) -> Database:
    app = client.app
    assert isinstance(app, FastAPI)
    db: Database = app.state.db
    return db


def db_url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def db_path(db: Database) -> str:
    path = db.engine.url.database
    assert path
    return path


def stored_logs(path: str) -> int:
    """Logs in the file, read by a connection of the test's own."""
    conn = sqlite3.connect(path)
    try:
        count: int = conn.execute("SELECT count(*) FROM session_logs").fetchone()[0]
    finally:
        conn.close()
    return count


def walked(report: dict[str, Any]) -> tuple[int, float]:
    """Sessions and minutes walked over the report's weeks."""
    weeks = report["weeks"]
    return (
        sum(int(w["sessions_walked"]) for w in weeks),
        round(sum(float(w["walking_minutes"]) for w in weeks), 1),
    )


def progress_of(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/progress", params={"weeks": 2})
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report
