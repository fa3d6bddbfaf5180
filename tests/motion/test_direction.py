"""Direction: calibrated on forward walking, a forward bout is forward, its time reversal
backward (a development check, not evidence about real backward walking), in any device
position; too little or no walking is ``unknown``."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.errors import InvalidInputError
from retrowalk.motion import readers
from retrowalk.motion.direction import (
    DirectionCalibration,
    calibrate,
    classify,
    direction_signals,
    reversed_in_time,
)
from retrowalk.motion.recording import make_recording
from tests.motion.synthetic import G, device_frame, rotation, walk

DATA = Path(__file__).resolve().parents[2] / "data"
FAST = settings(max_examples=12, deadline=None)


def _walk_rec(cadence: float, angles: tuple[float, float, float], seed: int = 0):
    t, acc = walk(cadence, 120, seed=seed, still_s=2.0)
    return make_recording(t, device_frame(acc, rotation(angles)))


@FAST
@given(
    angles=st.tuples(*[st.floats(-np.pi, np.pi)] * 3),
    cadence=st.floats(80.0, 130.0),
    seed=st.integers(0, 20),
)
def test_forward_is_forward_and_its_reversal_backward_in_any_position(
    angles: tuple[float, float, float], cadence: float, seed: int
):
    rec = _walk_rec(cadence, angles, seed)
    mid = rec.duration_s / 2
    sig = direction_signals(rec)
    cal = calibrate(sig, 4.0, mid)
    assert cal.usable
    ahead = classify(sig, cal, mid, rec.duration_s - 4.0)
    assert ahead.direction == "forward"
    assert ahead.confidence >= 0.8
    # the same recording reversed, scored against the same (forward) calibration
    back = direction_signals(reversed_in_time(rec))
    result = classify(back, cal, 4.0, mid)
    assert result.direction == "backward"
    assert 0.8 <= result.confidence <= 1.0


def test_a_phone_on_a_table_cannot_calibrate_and_gives_unknown():
    t = np.arange(0.0, 60.0, 0.01)
    acc = np.column_stack([np.zeros_like(t), np.zeros_like(t), np.full_like(t, G)])
    acc += np.random.default_rng(1).normal(0, 0.02, acc.shape)
    sig = direction_signals(make_recording(t, acc))
    cal = calibrate(sig, 0.0, 30.0)
    assert not cal.usable
    assert classify(sig, cal, 30.0, 60.0).direction == "unknown"


def test_standing_still_after_a_forward_calibration_is_unknown():
    rec = _walk_rec(110.0, (0.3, 0.2, 0.1))
    t = np.arange(0.0, 40.0, 0.01)
    still = np.column_stack([np.zeros_like(t), np.zeros_like(t), np.full_like(t, G)])
    still = device_frame(
        still + np.random.default_rng(2).normal(0, 0.02, still.shape), rotation((0.3, 0.2, 0.1))
    )
    both = make_recording(
        np.concatenate([rec.time_s, rec.time_s[-1] + 0.01 + t]),
        np.concatenate([rec.acc_m_s2, still]),
    )
    sig = direction_signals(both)
    cal = calibrate(sig, 4.0, rec.duration_s - 4.0)
    result = classify(sig, cal, rec.duration_s + 5.0, both.duration_s)
    assert result.direction == "unknown"


def test_a_bout_shorter_than_a_window_is_unknown():
    rec = _walk_rec(110.0, (0.0, 0.0, 0.0))
    sig = direction_signals(rec)
    cal = calibrate(sig, 4.0, 40.0)
    result = classify(sig, cal, 41.0, 42.0)
    assert (result.direction, result.windows) == ("unknown", 0)


def test_an_empty_reference_interval_is_refused():
    sig = direction_signals(_walk_rec(110.0, (0.0, 0.0, 0.0)))
    with pytest.raises(InvalidInputError, match="reference interval"):
        calibrate(sig, 10.0, 10.0)


def test_calibration_needs_three_windows():
    cal = DirectionCalibration(axis=np.array([1.0, 0, 0]), mean_score=0.5, sd_score=0.1, windows=2)
    assert not cal.usable


@pytest.mark.parametrize("name", ["user2_hand_1506421987098", "user1_backpocket_1506422470497"])
def test_oxford_forward_walk_is_never_called_backward(name: str):
    rec = readers.read(DATA / "oxford-step-counter" / "validation" / f"{name}.csv.gz")
    sig = direction_signals(rec)
    cal = calibrate(sig, 5.0, 45.0)
    assert cal.usable
    results = [classify(sig, cal, s, s + 10.0) for s in np.arange(45.0, rec.duration_s - 15, 10)]
    assert all(r.direction != "backward" for r in results)
    assert sum(r.direction == "forward" for r in results) >= 0.8 * len(results)
