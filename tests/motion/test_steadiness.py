"""Steadiness measures on signals whose answer is known."""

from __future__ import annotations

import numpy as np
import pytest

from retrowalk.motion.steadiness import (
    harmonic_ratio,
    lag_products,
    regularity,
    step_time_variability,
)


def test_harmonic_ratio_of_a_pure_step_signal_is_high_and_of_a_limp_is_low():
    n = 100
    phase = 2 * np.pi * np.arange(n) / n  # one stride
    symmetric = np.sin(2 * phase)  # only the 2nd harmonic: two identical steps
    limp = np.sin(phase)  # only the 1st: the two steps differ completely
    assert harmonic_ratio(symmetric + 0.01 * np.sin(phase)) > 50
    assert harmonic_ratio(limp + 0.01 * np.sin(2 * phase)) < 0.05
    assert harmonic_ratio(np.zeros(3)) is None


def test_regularity_of_a_periodic_signal_is_near_one():
    step = 25
    x = np.tile(np.sin(2 * np.pi * np.arange(step) / step), 40)
    sums = lag_products(x, 0, 30 * step, 2 * step + 10)
    step_reg, stride_reg = regularity(sums, float(step))
    assert step_reg == pytest.approx(1.0, abs=0.01)
    assert stride_reg == pytest.approx(1.0, abs=0.01)


def test_step_regularity_drops_when_alternate_steps_differ():
    step = 25
    one = np.sin(2 * np.pi * np.arange(step) / step)
    x = np.tile(np.concatenate([one, 0.2 * one]), 20)
    step_reg, stride_reg = regularity(lag_products(x, 0, 30 * step, 60), float(step))
    assert step_reg is not None
    assert stride_reg is not None
    assert step_reg < 0.6 < stride_reg


def test_lag_products_are_additive_over_pieces():
    x = np.random.default_rng(0).normal(size=500)
    whole = lag_products(x, 100, 300, 40)
    pieces = lag_products(x, 100, 180, 40) + lag_products(x, 180, 300, 40)
    np.testing.assert_allclose(whole, pieces)


def test_step_time_variability():
    sd, cv = step_time_variability(np.array([0.5, 0.6, 0.5, 0.6]))
    assert sd == pytest.approx(np.std([0.5, 0.6, 0.5, 0.6], ddof=1))
    assert cv == pytest.approx(100 * sd / 0.55)
    assert step_time_variability(np.array([0.5, 0.5])) == (None, None)
