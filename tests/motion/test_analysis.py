"""Properties of the whole analysis on synthetic walks of known cadence and step count."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from retrowalk.motion import analyze, analyze_chunks
from retrowalk.motion.recording import make_recording
from tests.motion.synthetic import device_frame, rotation, walk

FAST = settings(max_examples=15, deadline=None)


@FAST
@given(cadence=st.floats(70.0, 150.0), steps=st.integers(30, 120), seed=st.integers(0, 99))
def test_a_synthetic_walk_gives_its_cadence_and_steps(cadence: float, steps: int, seed: int):
    t, acc = walk(cadence, steps, seed=seed)
    summary = analyze(make_recording(t, acc))
    assert len(summary.bouts) == 1
    assert abs(summary.steps - steps) <= 2
    # Cadence is 60 / the median step time on the 50 Hz analysis grid: one 20 ms quantum is up
    # to 5 % of a step at 150 steps/min (the Mobilise-D anchor for cadence error is 8.5 %).
    assert summary.bouts[0].cadence_spm == pytest.approx(cadence, rel=0.05)


@FAST
@given(
    angles=st.tuples(*[st.floats(-np.pi, np.pi)] * 3),
    cadence=st.floats(80.0, 130.0),
)
def test_rotating_the_device_changes_nothing(angles: tuple[float, float, float], cadence: float):
    rot = rotation(angles)
    np.testing.assert_allclose(rot @ rot.T, np.eye(3), atol=1e-12)
    t, acc = walk(cadence, 60)
    upright = analyze(make_recording(t, acc))
    turned = analyze(make_recording(t, device_frame(acc, rot)))
    assert turned.steps == upright.steps
    np.testing.assert_allclose(turned.step_times_s, upright.step_times_s, atol=1e-9)


def test_negated_axes_change_nothing():
    t, acc = walk(110.0, 60)
    assert analyze(make_recording(t, -acc)).steps == analyze(make_recording(t, acc)).steps


@FAST
@given(
    rate=st.floats(25.0, 400.0),
    jitter=st.floats(0.0, 0.4),
    seed=st.integers(0, 99),
)
def test_resampling_changes_the_count_by_at_most_one_step(rate: float, jitter: float, seed: int):
    reference = analyze(make_recording(*walk(105.0, 80, rate_hz=100.0))).steps
    rng = np.random.default_rng(seed)
    grid = np.arange(0.0, 80 / (105.0 / 60) + 10.0, 1.0 / rate)
    irregular = np.sort(grid + rng.uniform(-jitter, jitter, grid.shape) / rate)
    t, acc = walk(105.0, 80, time_s=irregular)
    assert abs(analyze(make_recording(t, acc)).steps - reference) <= 1


@FAST
@given(cuts=st.lists(st.floats(0.02, 0.98), min_size=1, max_size=4, unique=True))
def test_chunking_does_not_change_the_result(cuts: list[float]):
    t, acc = walk(100.0, 150, still_s=20.0)
    rec = make_recording(t, acc)
    whole = analyze(rec)
    bounds = [0, *sorted(int(c * t.shape[0]) for c in cuts), t.shape[0]]
    chunks = [
        make_recording(t[a:b], acc[a:b], sampling_rate_hz=100.0, origin_s=0.0)
        for a, b in itertools.pairwise(bounds)
        if b - a > 1
    ]
    chunked = analyze_chunks(chunks)
    assert abs(chunked.steps - whole.steps) <= 1
    assert len(chunked.bouts) == len(whole.bouts)


def test_standing_still_has_no_steps():
    t = np.arange(0.0, 60.0, 0.01)
    acc = np.column_stack([np.zeros_like(t), np.zeros_like(t), np.full_like(t, 9.81)])
    acc += np.random.default_rng(1).normal(0, 0.05, acc.shape)
    summary = analyze(make_recording(t, acc))
    assert summary.steps == 0
    assert summary.bouts == ()
    assert summary.cadence_spm is None


def test_a_pause_longer_than_three_seconds_splits_the_bout():
    t1, a1 = walk(100.0, 40, still_s=0.0)
    t2, a2 = walk(100.0, 40, still_s=0.0)
    pause = np.arange(0.0, 6.0, 0.01)
    still = np.column_stack([np.zeros_like(pause), np.zeros_like(pause), np.full_like(pause, 9.81)])
    t = np.concatenate([t1, t1[-1] + 0.01 + pause, t1[-1] + 6.02 + t2])
    acc = np.concatenate([a1, still, a2])
    summary = analyze(make_recording(t, acc))
    assert len(summary.bouts) == 2
    assert abs(summary.steps - 80) <= 3


def test_steadiness_is_higher_for_a_regular_walk_than_an_irregular_one():
    t, acc = walk(110.0, 100, noise_m_s2=0.05)
    regular = analyze(make_recording(t, acc)).bouts[0].steadiness
    t2, acc2 = walk(110.0, 100, noise_m_s2=0.8, seed=3)
    noisy = analyze(make_recording(t2, acc2)).bouts[0].steadiness
    assert regular.step_regularity is not None
    assert noisy.step_regularity is not None
    assert regular.step_regularity > noisy.step_regularity
    assert regular.step_time_cv_pct is not None
    assert noisy.step_time_cv_pct is not None
    assert regular.step_time_cv_pct < noisy.step_time_cv_pct
