"""Unit tests of the plan engine: levels, setups, sessions, weeks and errors."""

from __future__ import annotations

import itertools
import math
from datetime import timedelta

import pytest

from retrowalk.errors import InvalidInputError, RetroWalkError
from retrowalk.plans import ProfessionalClearanceRequiredError, generate_plan
from retrowalk.plans.build import session_length_s
from retrowalk.plans.rules import (
    BACKWARD_TOTAL_MAX_S,
    BACKWARD_TOTAL_SUPPORTED_MAX_S,
    COOL_DOWN_S,
    CUES,
    MPH_TO_M_S,
    PLAN_WEEKS_MAX,
    RULES_VERSION,
    SESSIONS_PER_WEEK_MAX,
    TREADMILL_BEGINNER_MAX_M_S,
    TREADMILL_CONSERVATIVE_MAX_M_S,
    TREADMILL_START_M_S,
    WARM_UP_S,
    WEEKLY_INCREASE_MAX_FRACTION,
)
from retrowalk.plans.start import choose_setup
from retrowalk.profile import Equipment, Profile
from retrowalk.screening import Clearance, Reason, ScreeningResult
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support
from tests.plans.helpers import START, check_fresh_plan

BASE = {
    "age_years": 40,
    "sex": "female",
    "mass_kg": 65.0,
    "height_m": 1.7,
    "conditions": frozenset(),
    "falls_past_year": 0,
    "fear_of_falling": False,
    "dizziness": False,
    "pain": {},
    "uses_walking_aid": False,
    "parq": {},
    "equipment": frozenset({Equipment.HALLWAY_WITH_RAIL}),
    "days_per_week": 3,
    "minutes_per_day": 60,
}


def profile(**changes: object) -> Profile:
    return Profile.model_construct(**{**BASE, **changes})


def screening(
    clearance: Clearance = Clearance.GO, *, support: bool = False, supervision: bool = False
) -> ScreeningResult:
    return ScreeningResult(
        clearance=clearance,
        reasons=(Reason("r", clearance, "Because.", "src", "[S]"),),
        requires_support=support or clearance is not Clearance.GO,
        requires_supervision=supervision,
        recommend_3mbwt=False,
        rules_version="t",
    )


def backward(plan_session):
    return [s for s in plan_session.segments if s.direction is Direction.BACKWARD]


def test_mph_conversion_is_exact() -> None:
    assert MPH_TO_M_S == 0.44704
    assert pytest.approx(0.44704) == TREADMILL_START_M_S
    assert pytest.approx(1.5 * 0.44704) == TREADMILL_BEGINNER_MAX_M_S
    assert TREADMILL_BEGINNER_MAX_M_S < 2 * MPH_TO_M_S


def test_go_starts_as_beginner_with_two_minute_intervals_and_five_minutes() -> None:
    plan = generate_plan(profile(), screening(), start_on=START)
    check_fresh_plan(plan)
    assert plan.state.level == "beginner"
    assert not plan.requires_support
    assert not plan.acknowledged_risk
    first = plan.weeks[0].sessions[0]
    assert first.backward_s == 300
    assert [s.duration_s for s in backward(first)] == [100, 100, 100]
    kinds = [s.kind for s in first.segments]
    assert kinds[0] is SegmentKind.WARM_UP
    assert kinds[-1] is SegmentKind.COOL_DOWN
    assert kinds.count(SegmentKind.FORWARD_RECOVERY) == 2
    assert first.segments[0].duration_s == WARM_UP_S
    assert first.segments[-1].duration_s == COOL_DOWN_S
    assert plan.rules_version == RULES_VERSION
    assert plan.explanation


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


def test_go_with_support_starts_supported_with_one_minute_intervals() -> None:
    plan = generate_plan(profile(), screening(Clearance.GO_WITH_SUPPORT), start_on=START)
    assert plan.state.level == "supported"
    assert plan.requires_support
    first = plan.weeks[0].sessions[0]
    assert [s.duration_s for s in backward(first)] == [60.0] * 5
    assert all(s.support is Support.WALL_OR_RAIL for s in backward(first))
    assert plan.limits.backward_total_max_s == BACKWARD_TOTAL_SUPPORTED_MAX_S


@pytest.mark.parametrize(
    ("changes", "risk"),
    [({}, "higher"), ({"uses_walking_aid": True}, "unknown")],
)
def test_higher_balance_risk_or_walking_aid_starts_supported(
    changes: dict[str, object], risk: str
) -> None:
    plan = generate_plan(profile(**changes), screening(), start_on=START, balance_risk=risk)
    assert plan.state.level == "supported"
    assert plan.requires_support


def test_see_professional_first_needs_an_explicit_acknowledgement() -> None:
    result = screening(Clearance.SEE_PROFESSIONAL_FIRST)
    with pytest.raises(ProfessionalClearanceRequiredError) as info:
        generate_plan(profile(), result, start_on=START)
    assert isinstance(info.value, RetroWalkError)
    assert info.value.reasons == ("Because.",)
    plan = generate_plan(
        profile(equipment=frozenset(Equipment)), result, start_on=START, acknowledged_risk=True
    )
    assert plan.acknowledged_risk
    assert plan.requires_support
    assert plan.requires_supervision
    assert plan.state.level == "acknowledged_risk"
    assert not plan.state.progression_allowed
    assert not plan.limits.outdoor_allowed
    assert plan.limits.treadmill_speed_max_m_s == TREADMILL_CONSERVATIVE_MAX_M_S
    assert any("acknowledgement is recorded" in line for line in plan.explanation)


def test_acknowledgement_is_not_recorded_when_nothing_needed_acknowledging() -> None:
    plan = generate_plan(profile(), screening(), start_on=START, acknowledged_risk=True)
    assert not plan.acknowledged_risk


@pytest.mark.parametrize(
    ("equipment", "required", "expected"),
    [
        ({Equipment.HALLWAY_WITH_RAIL, Equipment.TREADMILL_WITH_RAILS}, True, "hallway"),
        ({Equipment.TREADMILL_WITH_RAILS}, True, "treadmill"),
        ({Equipment.OPEN_ROOM, Equipment.PARK}, True, "open_room"),
        ({Equipment.HALLWAY_WITH_RAIL, Equipment.TREADMILL_WITH_RAILS}, False, "treadmill"),
        ({Equipment.HALLWAY_WITH_RAIL}, False, "hallway"),
        ({Equipment.OPEN_ROOM, Equipment.TRACK}, False, "open_room"),
        ({Equipment.TRACK, Equipment.PARK}, False, "open_room"),
    ],
)
def test_setup_follows_equipment_and_support(
    equipment: set[Equipment], required: bool, expected: str
) -> None:
    environment, support, _ = choose_setup(equipment, support_required=required)
    assert environment.value == expected
    assert not environment.is_outdoor, "indoors before outdoors"
    if required:
        assert support is not Support.NONE


def test_no_rail_with_support_required_means_a_spotter_and_supervision() -> None:
    plan = generate_plan(
        profile(equipment=frozenset({Equipment.PARK})),
        screening(Clearance.GO_WITH_SUPPORT),
        start_on=START,
    )
    assert plan.state.support is Support.SPOTTER
    assert plan.requires_supervision
    assert plan.state.environment is Environment.OPEN_ROOM
    assert any("spotter" in line for line in plan.explanation)


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


def test_minutes_per_day_hold_progression_and_say_what_is_needed() -> None:
    plan = generate_plan(
        profile(minutes_per_day=20), screening(Clearance.GO_WITH_SUPPORT), start_on=START
    )
    assert {s.backward_s for s in plan.sessions} == {300}
    assert all(s.total_s <= 20 * 60 for s in plan.sessions)
    assert any("min a day" in line and "next step" in line for line in plan.explanation)


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


@pytest.mark.parametrize("weeks", [0, PLAN_WEEKS_MAX + 1, -3, True])
def test_weeks_out_of_range_are_refused(weeks: int) -> None:
    with pytest.raises(InvalidInputError) as info:
        generate_plan(profile(), screening(), start_on=START, weeks=weeks)
    assert info.value.field == "weeks"


def test_unknown_balance_risk_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        generate_plan(profile(), screening(), start_on=START, balance_risk="medium")


def test_today_finds_the_scheduled_session() -> None:
    plan = generate_plan(profile(), screening(), start_on=START)
    assert plan.session_on(START) is plan.weeks[0].sessions[0]
    assert plan.session_on(START + timedelta(days=1)) is None
