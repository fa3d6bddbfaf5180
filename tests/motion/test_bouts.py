"""Bouts: breaks over 3 s split them, fewer than 4 steps is no bout."""

from __future__ import annotations

import numpy as np
import pytest

from retrowalk.motion.bouts import BoutDetector, cadence_spm


def test_breaks_split_and_short_runs_are_dropped():
    times = np.array([0.0, 0.5, 1.0, 1.5, 2.0, 6.0, 6.5, 7.0, 12.0, 12.5, 13.0, 13.5])
    det = BoutDetector().detect(times)
    np.testing.assert_allclose(det.bouts_s_, [[0.0, 2.0], [12.0, 13.5]])
    assert det.bout_of_step_.tolist() == [0] * 5 + [-1] * 3 + [1] * 4


def test_no_steps_no_bouts():
    det = BoutDetector().detect(np.zeros(0))
    assert det.bouts_s_.shape == (0, 2)


def test_cadence():
    assert cadence_spm(np.arange(11) * 0.5) == pytest.approx(120.0)
    assert cadence_spm(np.array([1.0])) == 0.0
