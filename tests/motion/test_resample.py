"""Resampling irregular timestamps onto a uniform grid."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.motion.resample import MAX_GAP_S, resample, uniform_grid_s


@settings(max_examples=40, deadline=None)
@given(start=st.floats(0.0, 100.0), length=st.floats(0.1, 50.0), rate=st.floats(10.0, 200.0))
def test_grid_is_uniform_and_inside(start: float, length: float, rate: float):
    grid = uniform_grid_s(start, start + length, rate)
    assert grid[0] >= start - 1e-9
    assert grid[-1] <= start + length + 1e-9
    np.testing.assert_allclose(np.diff(grid), 1.0 / rate, rtol=1e-6)


def test_linear_signal_is_reproduced_and_gaps_are_marked():
    t = np.concatenate([np.arange(0.0, 5.0, 0.013), np.arange(7.0, 10.0, 0.009)])
    values = np.column_stack([2 * t + 1, -t])
    grid = uniform_grid_s(0.0, float(t[-1]), 50.0)
    out, valid = resample(t, values, grid)
    np.testing.assert_allclose(out[:, 0], 2 * grid + 1, atol=1e-9)
    in_gap = (grid > 5.0 + MAX_GAP_S) & (grid < 7.0 - MAX_GAP_S)
    assert not valid[in_gap].any()
    assert valid[~((grid > 5.0) & (grid < 7.0))].all()
