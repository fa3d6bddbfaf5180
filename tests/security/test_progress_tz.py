"""``/api/progress?tz=``: an unknown time zone is refused, not silently read as UTC."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "../../etc/passwd", "UTC+99", "x" * 65])
def test_an_invalid_tz_is_a_422_naming_tz(client: TestClient, tz: str) -> None:
    response = client.get("/api/progress", params={"tz": tz})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "tz"


def test_a_valid_tz_is_used(client: TestClient) -> None:
    for tz in ("Europe/Paris", "America/Los_Angeles", "UTC"):
        assert client.get("/api/progress", params={"tz": tz, "weeks": 2}).status_code == 200
