"""Energy from the speed estimated from the walk's steps: costed over its range."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.energy import WalkedSegment, estimate_session
from retrowalk.energy.ranges import Range
from retrowalk.energy.session import MOTION_SPEED_NOTE
from retrowalk.errors import InvalidInputError
from retrowalk.vocabulary import Direction


def test_a_motion_speed_range_is_used_before_an_assumed_one_and_widens_the_energy() -> None:
    motion = Range(0.4, 0.6, 0.8)
    seg = WalkedSegment(
        Direction.BACKWARD,
        300.0,
        None,
        motion_speed_m_s=motion,
        assumed_speed_m_s=Range(0.3, 0.6, 1.0),
    )
    at_central = estimate_session([WalkedSegment(Direction.BACKWARD, 300.0, 0.6)], 70.0).energy_kcal
    result = estimate_session([seg], 70.0)
    assert result.segments[0].speed_source == "motion"
    assert MOTION_SPEED_NOTE in result.warnings
    assert result.energy_kcal is not None
    assert at_central is not None
    assert result.energy_kcal.central == pytest.approx(at_central.central)
    assert result.energy_kcal.low < at_central.low
    assert result.energy_kcal.high > at_central.high


def test_a_given_speed_wins_over_the_motion_speed() -> None:
    seg = WalkedSegment(Direction.FORWARD, 60.0, 1.2, motion_speed_m_s=Range(0.5, 0.6, 0.7))
    assert estimate_session([seg], 70.0).segments[0].speed_source == "given"


@given(
    st.floats(0.3, 1.2), st.floats(0.0, 0.2), st.floats(0.0, 0.5), st.sampled_from(list(Direction))
)
def test_the_energy_range_holds_the_range_at_the_central_speed(
    central: float, below: float, above: float, direction: Direction
) -> None:
    speeds = Range(central - below, central, central + above)
    ranged = estimate_session(
        [WalkedSegment(direction, 120.0, None, motion_speed_m_s=speeds)], 70.0
    )
    point = estimate_session([WalkedSegment(direction, 120.0, central)], 70.0)
    assert ranged.energy_kcal is not None
    assert point.energy_kcal is not None
    assert ranged.energy_kcal.low <= point.energy_kcal.low + 1e-9
    assert ranged.energy_kcal.high >= point.energy_kcal.high - 1e-9
    assert ranged.energy_kcal.central == pytest.approx(point.energy_kcal.central)


def test_a_motion_speed_must_be_above_zero() -> None:
    with pytest.raises(InvalidInputError, match="motion_speed_m_s"):
        WalkedSegment(Direction.FORWARD, 60.0, None, motion_speed_m_s=Range(0.0, 0.5, 1.0))
