"""The speed governor: every rule on examples, and the cap and the ramp as properties."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.errors import InvalidInputError
from retrowalk.plans.rules import SPEED_STEP_M_S, TREADMILL_BEGINNER_MAX_M_S, mph
from retrowalk.treadmill.ftms import SpeedRange
from retrowalk.treadmill.safety import (
    OVERSPEED_TOLERANCE_M_S,
    Hold,
    SetSpeed,
    SpeedLimits,
    StopBelt,
    StopCause,
    next_command,
    snap_down_m_s,
    speed_cap_m_s,
    stop_for,
)

MACHINE = SpeedRange(min_m_s=0.8 / 3.6, max_m_s=16 / 3.6, increment_m_s=0.1 / 3.6)
LIMITS = SpeedLimits(plan_max_m_s=TREADMILL_BEGINNER_MAX_M_S, step_m_s=SPEED_STEP_M_S)


def decide(**kwargs):
    base = {
        "wanted_m_s": mph(1.0),
        "segment_limit_m_s": mph(1.5),
        "limits": LIMITS,
        "machine": MACHINE,
        "last_command_m_s": None,
        "belt_m_s": 0.0,
    }
    return next_command(**{**base, **kwargs})


def test_request_above_the_cap_is_capped():
    at_cap = snap_down_m_s(mph(1.5), MACHINE)
    decision = decide(wanted_m_s=mph(3.0), last_command_m_s=at_cap, belt_m_s=at_cap)
    assert isinstance(decision, Hold)  # already at the cap: nothing above it is ever sent
    decision = decide(wanted_m_s=mph(3.0), last_command_m_s=mph(1.2), belt_m_s=mph(1.2))
    assert isinstance(decision, SetSpeed)
    assert decision.speed_m_s <= mph(1.5)


def test_cap_is_the_least_of_segment_plan_and_machine():
    small_machine = SpeedRange(0.1, mph(1.2), 0.01)
    assert speed_cap_m_s(mph(1.5), LIMITS, small_machine) == mph(1.2)
    assert speed_cap_m_s(mph(1.0), LIMITS, MACHINE) == mph(1.0)
    assert speed_cap_m_s(None, LIMITS, MACHINE) == TREADMILL_BEGINNER_MAX_M_S
    assert speed_cap_m_s(mph(3.0), LIMITS, MACHINE) == TREADMILL_BEGINNER_MAX_M_S


def test_first_command_is_one_step_from_standstill():
    decision = decide(wanted_m_s=mph(1.5))
    assert isinstance(decision, SetSpeed)
    assert decision.speed_m_s <= SPEED_STEP_M_S + 1e-9


def test_first_command_may_be_the_machine_minimum_above_one_step():
    machine = SpeedRange(min_m_s=mph(0.8), max_m_s=5.0, increment_m_s=0.0)
    decision = decide(wanted_m_s=mph(1.5), machine=machine)
    assert decision == SetSpeed(pytest.approx(mph(0.8), abs=0.003))


def test_next_rise_waits_for_the_belt():
    decision = decide(wanted_m_s=mph(1.5), last_command_m_s=mph(0.5), belt_m_s=mph(0.2))
    assert isinstance(decision, Hold)
    decision = decide(wanted_m_s=mph(1.5), last_command_m_s=mph(0.5), belt_m_s=None)
    assert isinstance(decision, Hold)
    decision = decide(wanted_m_s=mph(1.5), last_command_m_s=mph(0.5), belt_m_s=mph(0.5))
    assert isinstance(decision, SetSpeed)
    assert decision.speed_m_s <= mph(1.0) + 1e-9


def test_slowing_down_is_immediate():
    decision = decide(wanted_m_s=mph(0.5), last_command_m_s=mph(1.5), belt_m_s=mph(1.0))
    assert isinstance(decision, SetSpeed)
    assert decision.speed_m_s == pytest.approx(mph(0.5), abs=0.003)


def test_overspeed_stops():
    over = mph(1.5) + OVERSPEED_TOLERANCE_M_S + 0.01
    decision = decide(belt_m_s=over, last_command_m_s=mph(1.0))
    assert isinstance(decision, StopBelt)
    assert decision.cause is StopCause.OVERSPEED
    assert "mph" in decision.message
    kmh = next_command(
        wanted_m_s=None,
        segment_limit_m_s=mph(1.5),
        limits=LIMITS,
        machine=MACHINE,
        last_command_m_s=None,
        belt_m_s=over,
        units="km/h",
    )
    assert isinstance(kmh, StopBelt)
    assert "km/h" in kmh.message
    within = decide(belt_m_s=mph(1.5) + OVERSPEED_TOLERANCE_M_S / 2, last_command_m_s=mph(1.5))
    assert not isinstance(within, StopBelt)


def test_hand_set_speed_is_followed_but_still_checked():
    assert isinstance(decide(wanted_m_s=None, belt_m_s=mph(1.2)), Hold)
    assert isinstance(decide(wanted_m_s=None, belt_m_s=mph(2.5)), StopBelt)


def test_no_speed_range_no_driving():
    decision = decide(machine=None)
    assert isinstance(decision, StopBelt)
    assert decision.cause is StopCause.NO_SPEED_RANGE
    too_fast = SpeedRange(min_m_s=mph(2.0), max_m_s=5.0, increment_m_s=0.1)
    decision = decide(machine=too_fast)
    assert isinstance(decision, StopBelt)
    assert decision.cause is StopCause.NO_SPEED_RANGE


@pytest.mark.parametrize("cause", list(StopCause))
def test_every_stop_cause_tells_the_walker(cause):
    stop = stop_for(cause)
    assert stop.cause is cause
    assert stop.message


def test_limits_are_checked():
    with pytest.raises(InvalidInputError, match="plan_max_m_s"):
        SpeedLimits(plan_max_m_s=0.0, step_m_s=0.2)
    with pytest.raises(InvalidInputError, match="overspeed_tolerance_m_s"):
        SpeedLimits(plan_max_m_s=1.0, step_m_s=0.2, overspeed_tolerance_m_s=-1)


def test_snap_down_follows_the_machine_increment():
    machine = SpeedRange(min_m_s=0.5 / 3.6, max_m_s=5.0, increment_m_s=0.5 / 3.6)
    assert snap_down_m_s(1.4 / 3.6, machine) == pytest.approx(1.0 / 3.6)


speeds = st.floats(0.05, 3.0, allow_nan=False)
machines = st.builds(
    lambda low, span, inc: SpeedRange(low, low + span, inc),
    st.floats(0.0, 0.6),
    st.floats(0.2, 5.0),
    st.sampled_from([0.0, 0.01 / 3.6, 0.1 / 3.6, 0.5 / 3.6]),
)
limits_st = st.builds(SpeedLimits, plan_max_m_s=speeds, step_m_s=st.floats(0.05, 0.5))
steps = st.lists(
    st.tuples(
        st.one_of(st.none(), speeds),  # wanted
        st.one_of(st.none(), speeds),  # segment limit
        st.one_of(st.none(), st.floats(0.0, 4.0)),  # reported belt
    ),
    min_size=1,
    max_size=30,
)


@given(limits=limits_st, machine=machines, events=steps)
def test_property_no_command_above_any_limit_nor_a_rise_above_one_step(limits, machine, events):
    last = None
    for wanted, segment_limit, belt in events:
        decision = next_command(
            wanted_m_s=wanted,
            segment_limit_m_s=segment_limit,
            limits=limits,
            machine=machine,
            last_command_m_s=last,
            belt_m_s=belt,
        )
        if isinstance(decision, SetSpeed):
            cap = speed_cap_m_s(segment_limit, limits, machine)
            assert decision.speed_m_s <= cap + 1e-9
            assert decision.speed_m_s <= limits.plan_max_m_s + 1e-9
            assert decision.speed_m_s <= machine.max_m_s + 1e-9
            assert decision.speed_m_s >= machine.min_m_s - 1e-9
            reference = last if last is not None else min(belt or 0.0, cap)
            assert decision.speed_m_s <= max(reference + limits.step_m_s, machine.min_m_s) + 1e-9
            last = decision.speed_m_s
        elif isinstance(decision, StopBelt):
            last = None
