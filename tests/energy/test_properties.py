"""Property-based tests listed in issue 3."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.energy import estimate
from retrowalk.limits import MASS_KG_MAX, MASS_KG_MIN

# Walking speeds covered by the walking equations (LCDA data up to 1.96 m/s).
walking_speeds = st.floats(min_value=0.2, max_value=1.96, allow_nan=False)
uphill = st.floats(min_value=0.0, max_value=45.0, allow_nan=False)
grades = st.floats(min_value=-40.0, max_value=45.0, allow_nan=False)
masses = st.floats(min_value=MASS_KG_MIN, max_value=MASS_KG_MAX, allow_nan=False)
directions = st.sampled_from(["forward", "backward"])
practice = st.integers(min_value=0, max_value=30)
durations = st.floats(min_value=1.0, max_value=7200.0, allow_nan=False)


@given(directions, walking_speeds, walking_speeds, uphill, practice)
def test_cost_rises_with_speed(direction, a, b, grade, sessions):
    slow, fast = sorted((a, b))
    if fast - slow < 1e-6:
        return
    lo = estimate(direction, slow, grade, 70, 600, backward_practice_sessions=sessions)
    hi = estimate(direction, fast, grade, 70, 600, backward_practice_sessions=sessions)
    assert hi.vo2_ml_kg_min.central > lo.vo2_ml_kg_min.central


@given(directions, walking_speeds, uphill, uphill)
def test_cost_rises_with_uphill_grade(direction, speed, a, b):
    flat, steep = sorted((a, b))
    if steep - flat < 1e-6:
        return
    lo = estimate(direction, speed, flat, 70, 600)
    hi = estimate(direction, speed, steep, 70, 600)
    assert hi.vo2_ml_kg_min.central > lo.vo2_ml_kg_min.central


@given(directions, walking_speeds, grades, masses, masses)
def test_energy_rises_with_mass(direction, speed, grade, a, b):
    light, heavy = sorted((a, b))
    if heavy - light < 1e-6:
        return
    lo = estimate(direction, speed, grade, light, 600)
    hi = estimate(direction, speed, grade, heavy, 600)
    assert hi.energy_kcal.central > lo.energy_kcal.central
    assert hi.energy_kcal.low > lo.energy_kcal.low


@given(st.floats(min_value=0.1, max_value=3.5, allow_nan=False), grades, practice)
def test_backward_at_least_forward(speed, grade, sessions):
    fw = estimate("forward", speed, grade, 70, 600)
    bw = estimate("backward", speed, grade, 70, 600, backward_practice_sessions=sessions)
    assert bw.vo2_ml_kg_min.central >= fw.vo2_ml_kg_min.central
    assert bw.vo2_ml_kg_min.low >= fw.vo2_ml_kg_min.low
    assert bw.vo2_ml_kg_min.high >= fw.vo2_ml_kg_min.high


@given(directions, walking_speeds, grades, durations, st.integers(min_value=2, max_value=2))
def test_energy_linear_in_duration(direction, speed, grade, duration, factor):
    one = estimate(direction, speed, grade, 70, duration)
    many = estimate(direction, speed, grade, 70, duration * factor)
    for name in ("energy_kcal", "energy_net_kcal"):
        a, b = getattr(one, name), getattr(many, name)
        assert b.central == pytest.approx(factor * a.central, rel=1e-9)
        assert b.low == pytest.approx(factor * a.low, rel=1e-9)
        assert b.high == pytest.approx(factor * a.high, rel=1e-9)
    assert many.vo2_ml_kg_min == one.vo2_ml_kg_min


@given(directions, st.floats(min_value=0.1, max_value=3.5, allow_nan=False), grades, practice)
def test_ranges_are_ordered_and_net_positive(direction, speed, grade, sessions):
    result = estimate(direction, speed, grade, 70, 600, backward_practice_sessions=sessions)
    assert result.energy_net_kcal.low > 0
    assert result.energy_net_kcal.high < result.energy_kcal.high
