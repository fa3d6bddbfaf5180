"""The HTML forms, posted as a browser would (in-process, so coverage sees the handlers)."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient

PARQ = (
    "heart_condition_or_high_bp",
    "chest_pain",
    "dizziness_or_lost_consciousness",
    "other_chronic_condition",
    "prescribed_medication",
    "bone_joint_soft_tissue_problem",
    "medically_supervised_only",
)


def _token(client: TestClient) -> str:
    page = client.get("/settings")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def _onboarding(token: str, **changes: Any) -> dict[str, Any]:
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


def test_onboarding_result_plan_and_balance_test_forms(client: TestClient) -> None:
    token = _token(client)
    bad = client.post("/onboarding", data=_onboarding(token, mass_kg="heavy"))
    assert bad.status_code == 422
    assert "mass_kg" in bad.text
    ok = client.post("/onboarding", data=_onboarding(token), follow_redirects=False)
    assert ok.status_code == 303
    result = client.get("/onboarding/result")
    assert (
        "outcome-go_with_support" in result.text or "outcome-see_professional_first" in result.text
    )
    # The form is prefilled with the stored answers.
    assert 'value="left knee"' in client.get("/onboarding").text
    trials = client.post(
        "/balance-test", data={"csrf_token": token, "trial_1": "4", "trial_2": "x"}
    )
    assert trials.status_code == 422
    scored = client.post(
        "/balance-test", data={"csrf_token": token, "trial_1": "4.2", "trial_2": "4.0"}
    )
    assert "4.10 s" in scored.text
    weeks = client.post("/plan/new", data={"csrf_token": token, "weeks": "many"})
    assert weeks.status_code == 422
    made = client.post(
        "/plan/new",
        data={"csrf_token": token, "weeks": "3", "start_on": ""},
        follow_redirects=False,
    )
    assert made.headers["location"] == "/plan"
    assert client.get("/plan").text.count('class="week"') == 3


def test_see_a_professional_first_needs_the_box_ticked(client: TestClient) -> None:
    token = _token(client)
    client.post("/onboarding", data=_onboarding(token, **{"parq.chest_pain": "yes"}))
    refused = client.post("/plan/new", data={"csrf_token": token, "weeks": "2"})
    assert refused.status_code == 409
    assert 'name="acknowledge_risk"' in refused.text
    made = client.post(
        "/plan/new",
        data={"csrf_token": token, "weeks": "2", "acknowledge_risk": "yes"},
        follow_redirects=False,
    )
    assert made.status_code == 303


def test_manual_log_edit_and_delete(client: TestClient) -> None:
    token = _token(client)
    client.post("/onboarding", data=_onboarding(token))
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
    assert "quick" in bad.text
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


def test_settings_export_and_import_pages(client: TestClient) -> None:
    token = _token(client)
    saved = client.post("/settings", data={"csrf_token": token, "units": "mph", "voice": "on"})
    assert "Saved" in saved.text
    assert client.post("/settings", data={"csrf_token": token, "units": "m/s"}).status_code == 422
    exported = client.get("/settings/export", params={"format": "csv"})
    assert exported.content[:2] == b"PK"
    document = client.get("/settings/export").content
    no_file = client.post("/settings/import", data={"csrf_token": token})
    assert no_file.status_code == 422
    files = {"file": ("export.json", document, "application/json")}
    not_empty = client.post("/settings/import", data={"csrf_token": token}, files=files)
    assert not_empty.status_code == 409
    merged = client.post("/settings/import", data={"csrf_token": token, "merge": "on"}, files=files)
    assert "Imported 0 rows" in merged.text
    broken = {"file": ("x.json", b"not json", "application/json")}
    assert (
        client.post("/settings/import", data={"csrf_token": token}, files=broken).status_code == 422
    )


def test_progress_page_draws_every_chart(client: TestClient, planned: dict[str, Any]) -> None:
    token = _token(client)
    client.post("/balance-test", data={"csrf_token": token, "trial_1": "5", "trial_2": "5.2"})
    client.post("/balance-test", data={"csrf_token": token, "trial_1": "4.5", "trial_2": "4.7"})
    page = client.get("/progress").text
    for chart in ("chart-minutes", "chart-backward", "chart-energy", "chart-3mbwt"):
        assert f'id="{chart}"' in page
    assert "<title" in page
    assert "<desc" in page
    assert 'id="progress-table"' in page
    assert client.get("/", follow_redirects=False).headers["location"] == "/today"
