"""One rule for accepted dates, on every entry path: CLI, page form, API and service."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from retrowalk.cli.app import run
from retrowalk.errors import InvalidInputError
from retrowalk.services.logs import LogInput, SegmentInput, check_log_input

OUT_OF_RANGE = ["0001-01-01", "0001-01-01T00:00", "1000-06-01T10:00", "1999-12-31T10:00"]


@pytest.mark.parametrize("start", OUT_OF_RANGE)
def test_cli_refuses_out_of_range_dates_in_one_line(
    capsys: pytest.CaptureFixture[str], start: str
) -> None:
    assert run(["log", "add", "--quick", "1m back", "--start", start]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "--start" in err
    assert "2000-01-01" in err
    assert run(["log", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def _token(client: TestClient) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/log/new").text)
    assert found
    return found.group(1)


@pytest.mark.parametrize("start", OUT_OF_RANGE[1:])
def test_page_form_refuses_out_of_range_dates(client: TestClient, start: str) -> None:
    form = {"csrf_token": _token(client), "started_at": start, "spec": "1m back"}
    response = client.post("/log/new", data=form, follow_redirects=False)
    assert response.status_code == 422
    assert "started_at" in response.text
    assert "2000-01-01" in response.text
    assert client.get("/api/logs").json() == []


@pytest.mark.parametrize("year", [1, 1000, 1999, 2101, 9999])
def test_service_rule_refuses_out_of_range_years(year: int) -> None:
    data = LogInput(
        started_at=datetime(year, 6, 1, tzinfo=UTC),
        segments=(SegmentInput("backward", 60.0, "hallway", "wall_or_rail"),),
    )
    with pytest.raises(InvalidInputError) as caught:
        check_log_input(data, now=datetime(9999, 1, 1, tzinfo=UTC))
    assert caught.value.field == "started_at"
