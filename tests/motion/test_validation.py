"""Event and bout matching used by the benchmarks."""

from __future__ import annotations

import numpy as np
import pytest

from retrowalk.motion.validation import match_bouts, match_events


def test_events_match_one_to_one_within_tolerance():
    a = match_events(np.array([1.0, 1.05, 2.0, 5.0]), np.array([1.02, 2.1, 3.0]), 0.2)
    assert (a.tp, a.fp, a.fn) == (2, 2, 1)
    assert a.sensitivity == pytest.approx(2 / 3)
    assert a.precision == pytest.approx(0.5)


def test_bouts_match_time_wise():
    a = match_bouts(np.array([[0.0, 10.0]]), np.array([[5.0, 15.0]]))
    assert (a.tp, a.fp, a.fn) == (5.0, 5.0, 5.0)
