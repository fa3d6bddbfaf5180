"""Numbers for people (issue 13)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.formatting import format_duration, format_minutes, format_number, format_range


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(7, "7 s"), (360, "6 min"), (390, "6 min 30 s"), (3900, "1 h 5 min"), (3600, "1 h")],
)
def test_durations(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_numbers_have_no_trailing_zero_and_one_decimal_at_most() -> None:
    assert format_number(3.0) == "3"
    assert format_number(64.125) == "64.1"
    assert format_minutes(3847.5) == "64.1 min"
    assert format_range(17.2, 26.4, 36.1, "kcal") == "26 kcal (17-36)"


@given(st.floats(-1e6, 1e6))
def test_format_number_never_ends_in_point_zero(value: float) -> None:
    text = format_number(value)
    assert not text.endswith(".0")
    assert len(text.partition(".")[2]) <= 1


def test_quantities_in_the_walkers_units() -> None:
    from retrowalk.formatting import format_length, format_mass, format_speed
    from retrowalk.vocabulary import SpeedUnit

    assert format_speed(0.44704, SpeedUnit.MPH) == "1 mph"
    assert format_speed(0.44704, SpeedUnit.KM_H) == "1.6 km/h"
    assert format_mass(70, SpeedUnit.KM_H) == "70 kg"
    assert format_mass(70, SpeedUnit.MPH) == "154.3 lb"
    assert format_length(1.6256, SpeedUnit.MPH) == "5 ft 4 in"
    assert format_length(1.62, SpeedUnit.KM_H) == "1.62 m"


def test_split_why_puts_plain_words_first_and_citations_second() -> None:
    from retrowalk.formatting import split_why

    plain, why = split_why(
        "Aim for moderate effort, able to talk but not sing (Borg 12-13, CR10 3-4). "
        "Latest change, 2026-12-03 (hold): longer (progress.duration), 15.0 min (WHO 2020)."
    )
    assert plain == (
        "Aim for moderate effort, able to talk but not sing. "
        "Latest change, 2026-12-03: kept the same. longer, 15 min."
    )
    assert why == ["Borg 12-13, CR10 3-4", "progress.duration", "WHO 2020"]


def test_localise_gives_plan_speeds_in_the_walkers_units_and_plain_days() -> None:
    from retrowalk.formatting import localise
    from retrowalk.vocabulary import SpeedUnit

    text = "Latest change, 2026-12-03: belt at 1.0 mph (0.45 m/s), under 2 mph."
    assert localise(text, SpeedUnit.KM_H, 2026) == (
        "Latest change, Thu 3 Dec: belt at 1.6 km/h, under 3.2 km/h."
    )
    assert localise(text, SpeedUnit.MPH) == (
        "Latest change, Thu 3 Dec 2026: belt at 1 mph, under 2 mph."
    )


def test_balance_test_times_in_tenths_without_trailing_zeros() -> None:
    from retrowalk.formatting import format_test_time

    assert format_test_time(3.30) == "3.3 s"
    assert format_test_time(4.0) == "4 s"
    assert format_test_time(9.31) == "9.3 s"
