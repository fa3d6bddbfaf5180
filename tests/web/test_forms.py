"""Plain-words form errors and unit-aware inputs on the web (``retrowalk.web.forms``, issue 13):
every message names the field by the label the walker sees, quotes what they typed and says what
is accepted in their units; an empty onboarding form reports every missing answer at once."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from retrowalk.screening.questions import QUESTIONS
from tests.web.conftest import PARQ, form_token, onboarding_form


def error_box(page: str) -> str:
    found = re.search(r'id="form-error">(.*?)</div>', page, re.S)
    assert found, "no error box"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1)))


def test_an_empty_onboarding_form_lists_every_missing_answer_in_page_order(
    client: TestClient,
) -> None:
    response = client.post("/onboarding", data={"csrf_token": form_token(client)})
    assert response.status_code == 422
    box = error_box(response.text)
    # "None of these" and "nothing hurts" are answers: an empty list or pain map is not missing.
    required = [q for q in QUESTIONS if q.required and q.field not in ("conditions", "pain")]
    assert "Please check these" in box
    for question in required:
        label = {"mass_kg": "What do you weigh?", "height_m": "How tall are you?"}.get(
            question.field, question.text
        )
        assert label in box, label
    positions = [
        box.index(
            {"mass_kg": "What do you weigh?", "height_m": "How tall are you?"}.get(q.field, q.text)
        )
        for q in required
    ]
    assert positions == sorted(positions)  # in page order
    assert "Not answered." in box
    # No internal names or programmer words.
    for jargon in ("parq.", "got None", "required:", "true or false", "heart_condition"):
        assert jargon not in box
    # Every unanswered question is marked for the page script (focus and scroll to the first).
    assert response.text.count('aria-invalid="true"') >= len(required)


def test_a_bad_onboarding_answer_is_quoted_with_what_is_accepted_in_the_walkers_units(
    client: TestClient,
) -> None:
    token = form_token(client)
    client.put("/api/settings", json={"units": "mph", "voice": True})
    form = onboarding_form(token, mass_kg="heavy")
    del form[f"parq.{PARQ[1]}"]
    response = client.post("/onboarding", data=form)
    box = error_box(response.text)
    assert "What do you weigh? &#39;heavy&#39; is not accepted." in box
    assert "from 66.1 lb to 661.4 lb" in box  # the walker's units (mph goes with pounds)
    assert "Do you feel pain in your chest" in box
    assert box.index("What do you weigh?") < box.index("Do you feel pain in your chest")


@pytest.mark.parametrize(
    ("units", "mass", "height", "mass_kg", "height_m"),
    [
        ("km/h", "64", "162 cm", 64.0, 1.62),
        ("km/h", "64 kg", "1,62", 64.0, 1.62),
        ("mph", "141", "5 ft 4", 63.96, 1.6256),
        ("mph", "64 kg", "5'4\"", 64.0, 1.6256),
    ],
)
def test_onboarding_takes_weight_and_height_as_people_type_them(
    client: TestClient, units: str, mass: str, height: str, mass_kg: float, height_m: float
) -> None:
    client.put("/api/settings", json={"units": units, "voice": True})
    form = onboarding_form(form_token(client), mass_kg=mass, height_m=height)
    assert client.post("/onboarding", data=form, follow_redirects=False).status_code == 303
    stored = client.get("/api/profile").json()["profile"]
    assert stored["mass_kg"] == pytest.approx(mass_kg, abs=0.01)
    assert stored["height_m"] == pytest.approx(height_m, abs=0.001)
    # The form shows them back in the walker's units.
    page = client.get("/onboarding").text
    shown = re.search(r'id="f-height_m" name="height_m" value="([^"]*)"', page)
    assert shown is not None
    assert shown.group(1) == ("5 ft 4 in" if units == "mph" else "1.62 m")


def manual_form(token: str, **changes: str) -> dict[str, Any]:
    form = {
        "csrf_token": token,
        "started_at": "2026-11-20T09:30",
        "spec": "3x(1m back, 1m fwd)",
        "environment": "hallway",
        "rpe": "12",
    }
    form.update(changes)
    return form


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"rpe": "twelve"}, "Please check Effort. &#39;twelve&#39; is not accepted."),
        ({"rpe": "nan"}, "Please check Effort. &#39;nan&#39; is not accepted."),
        ({"rpe": "12.5"}, "Accepted: a whole number from 6 (no effort at all) to 20"),
        ({"pain_0_10": "11"}, "Please check Worst pain. &#39;11&#39; is not accepted."),
        ({"spec": "-5m back"}, "Please check What you walked. &#39;-5m back&#39;"),
        ({"speed": "200 km/h"}, "Please check Speed. &#39;200 km/h&#39; is not accepted."),
        ({"speed": "200 km/h"}, "up to 12.6 km/h"),
        ({"speed": "fast"}, "e.g. &#39;2 km/h&#39;"),
    ],
)
def test_log_form_errors_name_the_label_quote_the_text_and_say_what_is_accepted(
    client: TestClient, planned: dict[str, Any], changes: dict[str, str], expected: str
) -> None:
    response = client.post("/log/new", data=manual_form(form_token(client), **changes))
    assert response.status_code == 422
    box = error_box(response.text)
    assert expected in box
    for jargon in ("segments[", "speed_m_s", "got ", "<number>", "<back|fwd>", "rpe:", "quick"):
        assert jargon not in box, jargon
    assert "Accepted:" in box


def test_a_bare_speed_is_in_the_walkers_units_and_a_decimal_comma_is_read(
    client: TestClient, planned: dict[str, Any]
) -> None:
    client.put("/api/settings", json={"units": "mph", "voice": True})
    token = form_token(client)
    form = manual_form(token, environment="treadmill", support="treadmill_rails", speed="1,5")
    assert client.post("/log/new", data=form, follow_redirects=False).status_code == 303
    (log,) = client.get("/api/logs").json()
    assert log["segments"][0]["speed_m_s"] == pytest.approx(1.5 * 0.44704)


def test_choice_lists_show_labels_not_codes(client: TestClient, planned: dict[str, Any]) -> None:
    page = client.get("/log/new").text
    assert ">In an open room</option>" in page
    assert ">A hand on a wall or rail</option>" in page
    assert ">Yes: near-fall or lost balance</option>" in page
    for code in (">open room<", ">wall or rail<", ">treadmill rails<", ">Yes: near fall<"):
        assert code not in page


def test_the_api_keeps_its_shape_and_names_the_field_by_its_label(
    client: TestClient, planned: dict[str, Any]
) -> None:
    response = client.patch("/api/logs/nothing", json={"ratings": {"rpe": 30}})
    assert response.status_code in (404, 422)
    from tests.web.conftest import log_body, started_ago

    created = client.post("/api/logs", json=log_body(started_ago(1)))
    bad = client.patch(f"/api/logs/{created.json()['id']}", json={"ratings": {"rpe": 30}})
    (detail,) = bad.json()["detail"]
    assert detail["field"] == "rpe"  # machine-readable, as before
    assert detail["message"].startswith("Effort (rpe): got 30")
