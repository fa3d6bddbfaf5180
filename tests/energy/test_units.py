import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from retrowalk.errors import InvalidInputError
from retrowalk.units import (
    kg_to_lb,
    kmh_to_m_s,
    lb_to_kg,
    m_s_to_kmh,
    m_s_to_mph,
    mph_to_m_s,
    parse_grade_pct,
    parse_mass_kg,
    parse_speed_m_s,
)


def test_exact_definitions():
    # 1 mile = 1609.344 m exactly; 1 lb = 0.45359237 kg exactly (1959 agreement).
    assert mph_to_m_s(1) == pytest.approx(1609.344 / 3600, abs=1e-15)
    assert mph_to_m_s(1) == 0.44704
    assert lb_to_kg(1) == 0.45359237
    assert kmh_to_m_s(3.6) == pytest.approx(1.0)
    assert m_s_to_kmh(1.0) == pytest.approx(3.6)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2.5mph", 2.5 * 0.44704),
        ("2.5 mph", 2.5 * 0.44704),
        ("2.5 MPH", 2.5 * 0.44704),
        ("4km/h", 4 / 3.6),
        ("4 kph", 4 / 3.6),
        ("4kmh", 4 / 3.6),
        ("1.2m/s", 1.2),
        (" 1.2 m/s ", 1.2),
        ("1.2mps", 1.2),
        (".5m/s", 0.5),
    ],
)
def test_parse_speed(text, expected):
    assert parse_speed_m_s(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("70kg", 70.0), ("70 KG", 70.0), ("154lb", 154 * 0.45359237), ("154 lbs", 154 * 0.45359237)],
)
def test_parse_mass(text, expected):
    assert parse_mass_kg(text) == pytest.approx(expected)


@pytest.mark.parametrize(
    "text",
    ["2.5", "2.5 knots", "mph", "", "nan mph", "inf mph", "-2mph", "0mph", "2.5.1mph", "1e999mph"],
)
def test_bad_speed_names_field(text):
    with pytest.raises(InvalidInputError) as info:
        parse_speed_m_s(text, "--speed")
    assert info.value.field == "--speed"
    assert isinstance(info.value, ValueError)
    assert "mph" in str(info.value)


@pytest.mark.parametrize("text", ["70", "70 stone", "nan kg", "-70kg", "0kg"])
def test_bad_mass(text):
    with pytest.raises(InvalidInputError, match="mass"):
        parse_mass_kg(text)


def test_grade():
    assert parse_grade_pct("5") == 5.0
    assert parse_grade_pct("5%") == 5.0
    assert parse_grade_pct("-2.5 %") == -2.5
    for bad in ("five", "5 deg", "nan"):
        with pytest.raises(InvalidInputError, match="grade"):
            parse_grade_pct(bad)


finite_positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False)


@given(finite_positive)
def test_speed_round_trips(value):
    assert m_s_to_mph(mph_to_m_s(value)) == pytest.approx(value, rel=1e-12)
    assert m_s_to_kmh(kmh_to_m_s(value)) == pytest.approx(value, rel=1e-12)


@given(finite_positive)
def test_mass_round_trips(value):
    assert kg_to_lb(lb_to_kg(value)) == pytest.approx(value, rel=1e-12)


@given(st.floats(min_value=0.01, max_value=100, allow_nan=False))
def test_parsed_units_agree(value_m_s):
    mph = parse_speed_m_s(f"{m_s_to_mph(value_m_s)!r}mph")
    kmh = parse_speed_m_s(f"{m_s_to_kmh(value_m_s)!r}km/h")
    assert math.isclose(mph, value_m_s, rel_tol=1e-12)
    assert math.isclose(kmh, value_m_s, rel_tol=1e-12)
