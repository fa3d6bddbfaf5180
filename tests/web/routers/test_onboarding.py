"""Onboarding (``retrowalk.web.routers.onboarding``): the profile and screening API and the
onboarding pages."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import (
    PROFILE,
    form_token,
    onboarding_form,
    profile,
)


def test_profile_is_validated_field_by_field(client: TestClient) -> None:
    assert client.get("/api/profile").status_code == 404
    bad = client.put("/api/profile", json=profile(age_years=7))
    assert bad.status_code == 422
    (problem,) = bad.json()["detail"]
    assert problem["field"] == "age_years"
    assert "years" in problem["accepted"]
    missing = profile()
    del missing["parq"]["chest_pain"]
    assert (
        client.put("/api/profile", json=missing).json()["detail"][0]["field"] == "parq.chest_pain"
    )
    stored = client.put("/api/profile", json=PROFILE)
    assert stored.status_code == 200
    assert client.get("/api/profile").json()["profile"]["age_years"] == 52


def test_screening_questions_and_outcome_with_reasons(client: TestClient) -> None:
    questions = client.get("/api/screening/questions").json()
    assert questions[0]["field"] == "age_years"
    assert any(q["field"].startswith("parq.") for q in questions)
    preview = client.post("/api/screening/preview", json=profile(age_years=70)).json()
    assert preview["clearance"] == "go_with_support"
    assert preview["reasons"]
    assert preview["headline"].startswith("Go with support")
    assert client.post("/api/screening").status_code == 404
    client.put("/api/profile", json=PROFILE)
    stored = client.post("/api/screening")
    assert stored.status_code == 201
    assert stored.json()["id"]


def test_onboarding_result_plan_and_balance_test_forms(client: TestClient) -> None:
    token = form_token(client)
    bad = client.post("/onboarding", data=onboarding_form(token, mass_kg="heavy"))
    assert bad.status_code == 422
    assert "mass_kg" in bad.text
    ok = client.post("/onboarding", data=onboarding_form(token), follow_redirects=False)
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
    assert "4.1 s" in scored.text
    weeks = client.post("/plan/new", data={"csrf_token": token, "weeks": "many"})
    assert weeks.status_code == 422
    made = client.post(
        "/plan/new",
        data={"csrf_token": token, "weeks": "3", "start_on": ""},
        follow_redirects=False,
    )
    assert made.headers["location"] == "/plan"
    assert client.get("/plan").text.count('class="week"') == 3


def test_a_balance_test_time_reads_in_tenths_without_trailing_zeros(client: TestClient) -> None:
    assert client.put("/api/profile", json=PROFILE).status_code == 200
    token = form_token(client)
    page = client.post(
        "/balance-test", data={"csrf_token": token, "trial_1": "3.30", "trial_2": "3.30"}
    )
    assert page.status_code == 200
    assert "Your time: 3.3 s." in page.text
    assert "3.30" not in page.text
    assert "3.3 s" in client.get("/balance-test").text
    assert "3.30" not in client.get("/onboarding/result").text
    progress = client.get("/progress").text
    assert "<td>3.3 s</td>" in progress
    assert "3.30" not in progress
