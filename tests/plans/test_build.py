"""Sessions and weeks built from a state (plans/build.py)."""

from __future__ import annotations

import dataclasses
import itertools
import math
from datetime import timedelta

import pytest

from retrowalk.plans import generate_plan
from retrowalk.plans.build import next_step, session_length_s
from retrowalk.plans.rules import (
    BACKWARD_TOTAL_MAX_S,
    BACKWARD_TOTAL_SUPPORTED_MAX_S,
    CUES,
    PLAN_WEEKS_MAX,
    SESSIONS_PER_WEEK_MAX,
    TREADMILL_BEGINNER_MAX_M_S,
    TREADMILL_START_M_S,
    WEEKLY_INCREASE_MAX_FRACTION,
)
from retrowalk.profile import Equipment
from retrowalk.screening import Clearance
from retrowalk.vocabulary import Direction, Environment, Support
from tests.plans.helpers import (
    START,
    backward,
    check_fresh_plan,
    profile,
    screening,
    treadmill_plan,
)


def test_segments_alternate_backward_and_forward() -> None:
    plan = generate_plan(profile(), screening(), start_on=START)
    middle = plan.weeks[0].sessions[0].segments[1:-1]
    directions = [s.direction for s in middle]
    assert directions[0::2] == [Direction.BACKWARD] * len(directions[0::2])
    assert directions[1::2] == [Direction.FORWARD] * len(directions[1::2])


def test_technique_cues_on_every_backward_interval() -> None:
    plan = generate_plan(profile(), screening(), start_on=START)
    for seg in backward(plan.weeks[0].sessions[0]):
        for cue in ("eyes_forward", "small_steps", "posture", "hand_on_rail", "stop_on_symptoms"):
            assert CUES[cue].text in seg.cues


def test_treadmill_segments_carry_speed_and_limit() -> None:
    plan = generate_plan(
        profile(equipment=frozenset({Equipment.TREADMILL_WITH_RAILS})), screening(), start_on=START
    )
    check_fresh_plan(plan)
    for seg in plan.weeks[0].sessions[0].segments:
        assert seg.environment is Environment.TREADMILL
        assert seg.speed_limit_m_s == TREADMILL_BEGINNER_MAX_M_S
        if seg.direction is Direction.BACKWARD:
            assert seg.speed_target_m_s == TREADMILL_START_M_S
            assert seg.support is Support.TREADMILL_RAILS
            assert CUES["treadmill_rails"].text in seg.cues
    assert plan.limits.treadmill_speed_max_m_s == TREADMILL_BEGINNER_MAX_M_S


@pytest.mark.parametrize("days_per_week", range(1, 8))
def test_sessions_per_week_are_capped_and_on_non_consecutive_days(days_per_week: int) -> None:
    plan = generate_plan(profile(days_per_week=days_per_week), screening(), start_on=START)
    for week in plan.weeks:
        assert len(week.sessions) == min(days_per_week, SESSIONS_PER_WEEK_MAX)
        dates = [s.scheduled_on for s in week.sessions]
        assert all(b - a >= timedelta(days=2) for a, b in itertools.pairwise(dates))
        assert all(1 <= s.day <= 7 for s in week.sessions)
        assert all(s.week == week.number for s in week.sessions)


def test_duration_builds_with_bounded_weekly_increase_up_to_fifteen_minutes() -> None:
    plan = generate_plan(profile(), screening(), start_on=START, weeks=PLAN_WEEKS_MAX)
    per_session = [w.sessions[0].backward_s for w in plan.weeks]
    assert per_session[0] == 300
    assert per_session == sorted(per_session)
    assert per_session[-1] == BACKWARD_TOTAL_MAX_S
    for before, after in itertools.pairwise(per_session):
        assert after <= before * (1 + WEEKLY_INCREASE_MAX_FRACTION)


def test_supported_plans_stay_within_ten_minutes() -> None:
    plan = generate_plan(
        profile(), screening(Clearance.GO_WITH_SUPPORT), start_on=START, weeks=PLAN_WEEKS_MAX
    )
    assert max(s.backward_s for s in plan.sessions) == BACKWARD_TOTAL_SUPPORTED_MAX_S


def test_minutes_per_day_shorten_the_session_in_proportion() -> None:
    plan = generate_plan(profile(minutes_per_day=10), screening(), start_on=START)
    check_fresh_plan(plan)
    first = plan.weeks[0].sessions[0]
    assert math.isclose(first.total_s, 600)
    assert first.backward_s < 300
    assert any("shortened" in line for line in plan.explanation)


def test_weekly_totals_count_toward_150_minutes() -> None:
    plan = generate_plan(profile(), screening(), start_on=START)
    week = plan.weeks[0]
    assert week.goal_minutes == 150
    assert week.backward_minutes == pytest.approx(15.0)
    assert week.walking_minutes == pytest.approx(sum(s.total_s for s in week.sessions) / 60)
    assert "150" in week.note


def test_session_length_matches_the_built_session() -> None:
    plan = generate_plan(profile(), screening(), start_on=START)
    assert plan.weeks[0].sessions[0].total_s == pytest.approx(session_length_s(plan.state))


def test_projection_never_raises_speed_or_goes_outdoors() -> None:
    state = treadmill_plan().state
    state = dataclasses.replace(state, backward_total_s=state.backward_total_max_s)
    assert next_step(state, form_steady=True, projected=True) is None
