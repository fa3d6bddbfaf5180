"""JSON shape and the plan_to_dict / plan_from_dict round trip."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.errors import InvalidInputError
from retrowalk.plans import (
    adapt,
    change_from_dict,
    change_to_dict,
    generate_plan,
    outcome_from_dict,
    outcome_to_dict,
    plan_from_dict,
    plan_to_dict,
    replan,
    state_from_dict,
    state_to_dict,
)
from retrowalk.profile import Equipment, Profile
from retrowalk.screening import screen
from tests.plans.helpers import START, outcomes, profile, screening
from tests.strategies import profiles

SEGMENT_KEYS = {
    "kind",
    "direction",
    "duration_s",
    "environment",
    "support",
    "speed_target_m_s",
    "speed_limit_m_s",
    "grade_pct",
    "cues",
}


def test_json_shape() -> None:
    plan = generate_plan(
        profile(equipment=frozenset({Equipment.TREADMILL_WITH_RAILS})), screening(), start_on=START
    )
    data = json.loads(json.dumps(plan_to_dict(plan)))
    assert set(data) >= {
        "weeks",
        "limits",
        "requires_support",
        "requires_supervision",
        "acknowledged_risk",
        "explanation",
        "rules_version",
        "state",
        "start_on",
    }
    week = data["weeks"][0]
    assert set(week) >= {
        "number",
        "backward_minutes",
        "walking_minutes",
        "goal_minutes",
        "sessions",
    }
    session = week["sessions"][0]
    assert set(session) >= {"week", "day", "scheduled_on", "title", "rationale", "segments"}
    for segment in session["segments"]:
        assert set(segment) == SEGMENT_KEYS
        assert segment["speed_limit_m_s"] is not None
    assert data["limits"]["treadmill_speed_max_m_s"] == pytest.approx(0.67056)


def test_overground_segments_have_a_null_limit() -> None:
    data = plan_to_dict(generate_plan(profile(), screening(), start_on=START))
    segment = data["weeks"][0]["sessions"][0]["segments"][0]
    assert "speed_limit_m_s" in segment
    assert segment["speed_limit_m_s"] is None


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(profiles(), st.integers(1, 12), st.data())
def test_round_trip(profile_: Profile, weeks: int, data: st.DataObject) -> None:
    plan = generate_plan(
        profile_, screen(profile_), start_on=START, weeks=weeks, acknowledged_risk=True
    )
    on = START + timedelta(days=data.draw(st.integers(0, 20)))
    outcome = data.draw(outcomes(on))
    change = adapt(plan.state, outcome)
    plan = replan(plan, change, on + timedelta(days=1))
    text = json.dumps(plan_to_dict(plan))
    assert plan_from_dict(json.loads(text)) == plan
    assert change_from_dict(json.loads(json.dumps(change_to_dict(change)))) == change
    assert outcome_from_dict(json.loads(json.dumps(outcome_to_dict(outcome)))) == outcome
    assert state_from_dict(state_to_dict(plan.state)) == plan.state


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("weeks"), "weeks"),
        (lambda d: d.update(start_on="yesterday"), "start_on"),
        (
            lambda d: d["weeks"][0]["sessions"][1]["segments"][2].update(duration_s=-1),
            "weeks[0].sessions[1].segments[2].duration_s",
        ),
        (
            lambda d: d["weeks"][0]["sessions"][0]["segments"][0].update(direction="sideways"),
            "weeks[0].sessions[0].segments[0].direction",
        ),
        (lambda d: d["state"].update(level="expert"), "state.level"),
        (lambda d: d["state"].update(support="none"), "state.support"),
        (lambda d: d["limits"].update(outdoor_allowed="yes"), "limits.outdoor_allowed"),
    ],
)
def test_bad_plan_data_names_the_field(mutate, field: str) -> None:
    plan = generate_plan(profile(), screening(support=True), start_on=START)
    data = json.loads(json.dumps(plan_to_dict(plan)))
    mutate(data)
    with pytest.raises(InvalidInputError) as info:
        plan_from_dict(data)
    assert info.value.field == field


def test_outcome_from_dict_defaults_symptoms_to_false_but_requires_completed() -> None:
    outcome = outcome_from_dict({"performed_on": "2026-01-05", "completed": True, "rpe_borg": 12})
    assert not outcome.fall
    assert outcome.form_steady is None
    with pytest.raises(InvalidInputError) as info:
        outcome_from_dict({"performed_on": "2026-01-05"})
    assert info.value.field == "outcome.completed"
    with pytest.raises(InvalidInputError) as info:
        outcome_from_dict({"performed_on": "2026-01-05", "completed": True, "pain_0_10": 12})
    assert info.value.field == "outcome.pain_0_10"


def test_the_documented_example_is_readable() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "schemas.md").read_text("utf-8")
    section = text.split("\n## Plan\n", 1)[1]
    example = section.split("```json\n", 1)[1].split("\n```", 1)[0]
    data = json.loads(example)
    plan = plan_from_dict(data)
    assert plan_to_dict(plan)["limits"] == data["limits"]
    assert set(plan_to_dict(plan)) == set(data)
