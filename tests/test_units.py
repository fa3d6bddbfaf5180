"""Lengths, heights and decimal commas typed by people (issue 13)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.errors import InvalidInputError
from retrowalk.units import (
    FOOT_IN_M,
    INCH_IN_M,
    parse_height_m,
    parse_length_m,
    parse_mass_kg,
    parse_speed_m_s,
)


@pytest.mark.parametrize(
    ("text", "metres"),
    [
        ("162 cm", 1.62),
        ("1.62 m", 1.62),
        ("1,62 m", 1.62),
        ("5 ft 4", 1.6256),
        ("5 ft 4 in", 1.6256),
        ("5'4\"", 1.6256),
        ("64 in", 1.6256),
        ("1,62", 1.62),
        ("162", 1.62),
    ],
)
def test_heights_as_people_type_them(text: str, metres: float) -> None:
    assert parse_height_m(text) == pytest.approx(metres)


@pytest.mark.parametrize("text", ["", "abc", "300", "0.2", "5 ft 13", "-1 m", "1,62 kg"])
def test_bad_heights_name_the_field_and_what_is_accepted(text: str) -> None:
    with pytest.raises(InvalidInputError, match="height") as caught:
        parse_height_m(text)
    assert "162 cm" in str(caught.value)


def test_decimal_comma_in_speed_and_mass() -> None:
    assert parse_speed_m_s("3,6 km/h") == pytest.approx(1.0)
    assert parse_mass_kg("70,5 kg") == pytest.approx(70.5)


@given(st.integers(3, 7), st.integers(0, 11))
def test_feet_and_inches_round_trip(feet: int, inches: int) -> None:
    expected = feet * FOOT_IN_M + inches * INCH_IN_M
    for text in (f"{feet} ft {inches}", f"{feet}'{inches}\"", f"{feet} feet {inches} in"):
        assert parse_length_m(text) == pytest.approx(expected)
        assert parse_height_m(text) == pytest.approx(expected)


@given(st.decimals(min_value="1.00", max_value="2.40", places=2))
def test_metres_with_a_comma_equal_metres_with_a_point(value: object) -> None:
    text = str(value)
    assert parse_height_m(text.replace(".", ",")) == pytest.approx(float(text))
    assert parse_height_m(f"{float(text) * 100:.0f} cm") == pytest.approx(float(text), abs=0.006)
