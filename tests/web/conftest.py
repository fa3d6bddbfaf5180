"""Fixtures for the web tests: an app on a fresh SQLite database and a sample profile."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from retrowalk.profile import example_profile_data
from retrowalk.web.app import create_app

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
