"""Where a plan starts: levels, setups, acknowledgement and refused input (plans/start.py)."""

from __future__ import annotations

import pytest

from retrowalk.errors import InvalidInputError, RetroWalkError
from retrowalk.plans import ProfessionalClearanceRequiredError, generate_plan
from retrowalk.plans.rules import (
    BACKWARD_TOTAL_SUPPORTED_MAX_S,
    COOL_DOWN_S,
    PLAN_WEEKS_MAX,
    RULES_VERSION,
    TREADMILL_CONSERVATIVE_MAX_M_S,
    WARM_UP_S,
)
from retrowalk.plans.start import choose_setup
from retrowalk.profile import Equipment
from retrowalk.screening import Clearance
from retrowalk.vocabulary import Environment, SegmentKind, Support
from tests.plans.helpers import START, backward, check_fresh_plan, profile, screening


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


@pytest.mark.parametrize("weeks", [0, PLAN_WEEKS_MAX + 1, -3, True])
def test_weeks_out_of_range_are_refused(weeks: int) -> None:
    with pytest.raises(InvalidInputError) as info:
        generate_plan(profile(), screening(), start_on=START, weeks=weeks)
    assert info.value.field == "weeks"


def test_unknown_balance_risk_is_refused() -> None:
    with pytest.raises(InvalidInputError):
        generate_plan(profile(), screening(), start_on=START, balance_risk="medium")
