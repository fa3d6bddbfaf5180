"""Steadiness over weeks: session figures, the MDC and the reading of a change."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.progress.steadiness import (
    PERSONAL_MDC_MIN_SESSIONS,
    STEADINESS_MIN_WALKING_S,
    STEP_REGULARITY_MDC95,
    SessionSteadiness,
    mdc95_from_pairs,
    session_steadiness,
    steadiness_trend,
)

TODAY = date(2026, 12, 3)  # a Thursday
regularity = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def seg(direction: str, value: float | None, walking_s: float) -> dict[str, object]:
    return {"planned_direction": direction, "step_regularity": value, "walking_s": walking_s}


def test_a_session_figure_is_its_backward_walking_weighted_by_time() -> None:
    analysis = {
        "segments": [
            seg("forward", 0.9, 120),
            seg("backward", 0.6, 60),
            seg("forward", 0.9, 60),
            seg("backward", 0.8, 30),
            seg("backward", 0.7, 30),
        ]
    }
    one = session_steadiness(TODAY, analysis)
    assert one is not None
    assert one.step_regularity == pytest.approx((0.6 * 60 + 0.8 * 30 + 0.7 * 30) / 120)
    assert one.walking_s == 120
    # odd intervals (1st, 3rd) against even ones (2nd)
    assert one.halves == pytest.approx(((0.6 * 60 + 0.7 * 30) / 90, 0.8))


def test_too_little_backward_walking_gives_no_figure() -> None:
    short = STEADINESS_MIN_WALKING_S - 1
    assert session_steadiness(TODAY, {"segments": [seg("backward", 0.7, short)]}) is None
    assert session_steadiness(TODAY, {"segments": [seg("forward", 0.7, 600)]}) is None
    assert session_steadiness(TODAY, {"segments": [seg("backward", None, 600)]}) is None
    assert session_steadiness(TODAY, {}) is None


@given(st.lists(st.tuples(regularity, regularity), min_size=2, max_size=30), regularity)
def test_mdc_ignores_a_shift_of_every_walk_and_is_never_negative(
    pairs: list[tuple[float, float]], shift: float
) -> None:
    mdc = mdc95_from_pairs(pairs)
    assert mdc >= 0
    shifted = mdc95_from_pairs([(a + shift, b + shift) for a, b in pairs])
    assert math.isclose(mdc, shifted, abs_tol=1e-9)


def test_mdc_is_196_sqrt2_sem() -> None:
    # differences 0.1 and -0.1: SD 0.1414, SEM 0.1, MDC95 = 1.96 * sqrt(2) * 0.1
    assert mdc95_from_pairs([(0.5, 0.6), (0.6, 0.5)]) == pytest.approx(1.96 * math.sqrt(2) * 0.1)
    assert mdc95_from_pairs([(0.5, 0.6), (0.4, 0.5)]) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="2 pairs"):
        mdc95_from_pairs([(0.5, 0.6)])


def sessions(
    values: list[float], halves: tuple[float, float] | None = None
) -> list[SessionSteadiness]:
    """One session per week, oldest first, ending this week."""
    n = len(values)
    return [
        SessionSteadiness(TODAY - timedelta(weeks=n - 1 - k), v, 120.0, halves)
        for k, v in enumerate(values)
    ]


def test_a_change_below_the_mdc_is_no_real_change() -> None:
    small = STEP_REGULARITY_MDC95 * 0.9
    trend = steadiness_trend(sessions([0.6, 0.6 + small]), today=TODAY, weeks=8)
    assert trend.verdict == "no_real_change"
    assert trend.sentence.startswith("No real change yet")
    assert trend.mdc_source == "data_set"
    assert trend.change == pytest.approx(small)


@pytest.mark.parametrize(("delta", "verdict"), [(0.1, "steadier"), (-0.1, "less_steady")])
def test_a_change_above_the_mdc_is_read(delta: float, verdict: str) -> None:
    trend = steadiness_trend(sessions([0.6, 0.65, 0.6 + delta]), today=TODAY, weeks=8)
    assert trend.verdict == verdict
    assert trend.change == pytest.approx(delta)
    assert [w.sessions for w in trend.weeks] == [0] * 5 + [1, 1, 1]


def test_one_week_or_none_is_not_enough() -> None:
    assert steadiness_trend([], today=TODAY, weeks=8).verdict == "not_enough_data"
    one = steadiness_trend(sessions([0.7]), today=TODAY, weeks=8)
    assert one.verdict == "not_enough_data"
    assert "two" in one.sentence
    # sessions before the weeks shown are left out
    old = steadiness_trend(sessions([0.2, 0.2, 0.2, 0.7]), today=TODAY, weeks=1)
    assert old.verdict == "not_enough_data"


def test_the_walkers_own_mdc_replaces_the_data_sets_after_enough_sessions() -> None:
    few = sessions([0.6] * (PERSONAL_MDC_MIN_SESSIONS - 1), halves=(0.6, 0.7))
    assert steadiness_trend(few, today=TODAY, weeks=8, history=few).mdc_source == "data_set"
    noisy = [
        SessionSteadiness(
            TODAY - timedelta(days=k), 0.6, 120.0, (0.5, 0.7) if k % 2 else (0.7, 0.5)
        )
        for k in range(PERSONAL_MDC_MIN_SESSIONS)
    ]
    trend = steadiness_trend(noisy, today=TODAY, weeks=8, history=noisy)
    assert trend.mdc_source == "yours"
    assert trend.mdc_sessions == PERSONAL_MDC_MIN_SESSIONS
    assert trend.mdc > STEP_REGULARITY_MDC95
    assert "of your sessions" in trend.mdc_note
    assert trend.to_dict()["mdc"] == trend.mdc
