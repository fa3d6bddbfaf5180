"""Speed from cadence: forward central is cadence × the IPOL median step; backward is slower
and its range wider; bad input is refused."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.errors import InvalidInputError
from retrowalk.motion.speed import FORWARD_STEP_LENGTH_M, speed_from_cadence


def test_forward_speed_is_cadence_times_step_length():
    est = speed_from_cadence(120.0, "forward")
    assert est.central_m_s == pytest.approx(2.0 * FORWARD_STEP_LENGTH_M[1])
    assert est.low_m_s < est.central_m_s < est.high_m_s


@settings(max_examples=50, deadline=None)
@given(cadence=st.floats(60.0, 240.0))
def test_backward_is_slower_with_a_wider_range(cadence: float):
    fwd = speed_from_cadence(cadence, "forward")
    bwd = speed_from_cadence(cadence, "backward")
    assert bwd.central_m_s < fwd.central_m_s
    assert bwd.high_m_s - bwd.low_m_s > fwd.high_m_s - fwd.low_m_s
    assert bwd.high_m_s <= fwd.high_m_s


@pytest.mark.parametrize(("cadence", "direction"), [(30.0, "forward"), (100.0, "sideways")])
def test_bad_input_is_refused(cadence: float, direction: str):
    with pytest.raises(InvalidInputError):
        speed_from_cadence(cadence, direction)
