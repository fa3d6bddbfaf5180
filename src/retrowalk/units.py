"""Unit parsing and conversion at the edges (CLI, web forms, importers).

RetroWalk computes in SI units only (m/s, kg, s, percent grade). Text typed by people is turned
into SI here, and nowhere else. Every parser requires an explicit unit: ``"2.5"`` is refused
rather than guessed, because the same number means 1.12 m/s in mph and 2.5 m/s in m/s, and a
silent guess would be off by a factor of 2.2.

Accepted spellings (case-insensitive, optional space between number and unit):

========  =====================================================
quantity  units
========  =====================================================
speed     ``mph``; ``km/h``, ``kmh``, ``kph``; ``m/s``, ``mps``
mass      ``kg``, ``kgs``; ``lb``, ``lbs``
length    ``m``, ``cm``; ``ft`` / ``'`` with optional inches (``5 ft 4``, ``5'4"``), ``in``
height    as length, or a bare number read by its range (``1,62`` m or ``162`` cm)
grade     ``%`` or a bare number (grade is always in percent)
========  =====================================================

A decimal comma is accepted everywhere (``1,62 m``, ``3,5 km/h``): RetroWalk numbers never use
a thousands separator.

References
----------
.. [1] International yard and pound agreement (1959): 1 yd = 0.9144 m, 1 lb = 0.45359237 kg.
   Hence 1 mile/h = 1609.344 m / 3600 s = 0.44704 m/s exactly.
"""

from __future__ import annotations

import math
import re
from typing import Final

from retrowalk.errors import InvalidInputError

__all__ = [
    "KMH_IN_M_S",
    "LB_IN_KG",
    "MASS_UNITS",
    "MPH_IN_M_S",
    "SPEED_UNITS",
    "kg_to_lb",
    "kmh_to_m_s",
    "lb_to_kg",
    "m_s_to_kmh",
    "m_s_to_mph",
    "mph_to_m_s",
    "parse_grade_pct",
    "parse_height_m",
    "parse_length_m",
    "parse_mass_kg",
    "parse_speed_m_s",
]

#: 1 mile per hour in m/s, exact by definition (1 mile = 1609.344 m) [1]_.
MPH_IN_M_S: Final = 0.44704
#: 1 km/h in m/s, exact (1000 m / 3600 s).
KMH_IN_M_S: Final = 1000.0 / 3600.0
#: 1 international avoirdupois pound in kg, exact by definition [1]_.
LB_IN_KG: Final = 0.45359237

#: Speed unit spellings and the factor that turns one of them into m/s.
SPEED_UNITS: Final[dict[str, float]] = {
    "mph": MPH_IN_M_S,
    "km/h": KMH_IN_M_S,
    "kmh": KMH_IN_M_S,
    "kph": KMH_IN_M_S,
    "m/s": 1.0,
    "mps": 1.0,
}
#: 1 foot and 1 inch in metres, exact by definition [1]_.
FOOT_IN_M: Final = 0.3048
INCH_IN_M: Final = 0.0254
#: Length unit spellings and the factor that turns one of them into metres.
LENGTH_UNITS: Final[dict[str, float]] = {
    "m": 1.0,
    "cm": 0.01,
    "ft": FOOT_IN_M,
    "feet": FOOT_IN_M,
    "foot": FOOT_IN_M,
    "'": FOOT_IN_M,
    "in": INCH_IN_M,
    "inch": INCH_IN_M,
    "inches": INCH_IN_M,
    '"': INCH_IN_M,
}
#: Heights typed as a bare number: metres in this range, centimetres in the next (they do not
#: overlap, so "1,62" and "162" are both read as 1.62 m).
HEIGHT_BARE_M_RANGE: Final = (0.5, 2.5)
HEIGHT_BARE_CM_RANGE: Final = (50.0, 250.0)
#: Mass unit spellings and the factor that turns one of them into kg.
MASS_UNITS: Final[dict[str, float]] = {
    "kg": 1.0,
    "kgs": 1.0,
    "lb": LB_IN_KG,
    "lbs": LB_IN_KG,
}

# A plain decimal number (no nan/inf, no hex): sign, digits, optional exponent.
_NUMBER = r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
_QUANTITY_RE: Final = re.compile(rf"^\s*(?P<number>{_NUMBER})\s*(?P<unit>[^\d\s].*?)?\s*$")


def mph_to_m_s(speed_mph: float) -> float:
    """Convert miles per hour to metres per second (1 mph = 0.44704 m/s exactly)."""
    return speed_mph * MPH_IN_M_S


def m_s_to_mph(speed_m_s: float) -> float:
    """Convert metres per second to miles per hour."""
    return speed_m_s / MPH_IN_M_S


def kmh_to_m_s(speed_kmh: float) -> float:
    """Convert kilometres per hour to metres per second (divide by 3.6)."""
    return speed_kmh / 3.6


def m_s_to_kmh(speed_m_s: float) -> float:
    """Convert metres per second to kilometres per hour (multiply by 3.6)."""
    return speed_m_s * 3.6


def lb_to_kg(mass_lb: float) -> float:
    """Convert pounds to kilograms (1 lb = 0.45359237 kg exactly)."""
    return mass_lb * LB_IN_KG


def kg_to_lb(mass_kg: float) -> float:
    """Convert kilograms to pounds."""
    return mass_kg / LB_IN_KG


_DECIMAL_COMMA_RE: Final = re.compile(r"(?<=\d),(?=\d)")
_FEET_INCHES_RE: Final = re.compile(
    r"^\s*(?P<feet>\d+(?:\.\d+)?)\s*(?:ft|feet|foot|')\s*"
    r"(?:(?P<inches>\d+(?:\.\d+)?)\s*(?:in|inch|inches|\")?)?\s*$",
    re.IGNORECASE,
)


def _decimal_point(text: str) -> str:
    """``"1,62"`` -> ``"1.62"`` (a comma between digits is a decimal comma)."""
    return _DECIMAL_COMMA_RE.sub(".", text)


def _split(text: str, field: str, accepted: str) -> tuple[float, str]:
    """Split ``"2.5 mph"`` into ``(2.5, "mph")``; the unit is lower-cased, ``""`` if absent."""
    if not isinstance(text, str):
        raise InvalidInputError(field, text, accepted)
    match = _QUANTITY_RE.match(_decimal_point(text))
    if match is None:
        raise InvalidInputError(field, text, accepted)
    value = float(match.group("number"))
    if not math.isfinite(value):  # e.g. "1e999"
        raise InvalidInputError(field, text, accepted)
    unit = (match.group("unit") or "").strip().lower()
    return value, unit


def _parse(text: str, field: str, units: dict[str, float], what: str, example: str) -> float:
    spellings = ", ".join(units)
    accepted = f"a positive {what} with a unit ({spellings}), e.g. {example!r}"
    value, unit = _split(text, field, accepted)
    if unit not in units:
        raise InvalidInputError(field, text, accepted)
    if value <= 0:
        raise InvalidInputError(field, text, accepted)
    return value * units[unit]


def parse_speed_m_s(text: str, field: str = "speed") -> float:
    """Parse a speed typed by a person into m/s.

    Parameters
    ----------
    text
        A positive number followed by a unit: ``"2.5mph"``, ``"2.5 mph"``, ``"4km/h"``,
        ``"4 kph"``, ``"1.2m/s"``. A bare number is refused (no default unit).
    field
        Name reported in the error (e.g. the CLI option ``"--speed"``).

    Returns
    -------
    float
        The speed in m/s. Plausibility limits are checked by the model that uses it.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        On a missing or unknown unit, a number that is not finite or not above 0.
    """
    return _parse(text, field, SPEED_UNITS, "speed", "2.5mph")


def parse_mass_kg(text: str, field: str = "mass") -> float:
    """Parse a body mass typed by a person into kg.

    Parameters
    ----------
    text
        A positive number followed by ``kg`` or ``lb``/``lbs``: ``"70kg"``, ``"154 lb"``.
        A bare number is refused (no default unit).
    field
        Name reported in the error.

    Returns
    -------
    float
        The mass in kg. The accepted body-mass range is checked by the model that uses it.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        On a missing or unknown unit, a number that is not finite or not above 0.
    """
    return _parse(text, field, MASS_UNITS, "mass", "70kg")


def parse_grade_pct(text: str, field: str = "grade") -> float:
    """Parse a grade in percent: ``"5"``, ``"5%"``, ``"-2.5 %"``.

    A grade has a single unit (percent rise over run), so a bare number is accepted. Signs are
    kept: negative is downhill. Range limits are checked by the model that uses it.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        On anything other than a finite number optionally followed by ``%``.
    """
    accepted = "a grade in percent, e.g. '0', '5%' or '-3%'"
    value, unit = _split(text, field, accepted)
    if unit not in ("", "%"):
        raise InvalidInputError(field, text, accepted)
    return value


def parse_length_m(text: str, field: str = "length") -> float:
    """Parse a length typed by a person into metres.

    Accepts ``"162 cm"``, ``"1.62 m"``, ``"1,62 m"``, ``"5 ft 4"``, ``"5 ft 4 in"``,
    ``"5'4\""``, ``"64 in"``. A bare number is refused (see :func:`parse_height_m`).

    Raises
    ------
    retrowalk.errors.InvalidInputError
        On a missing or unknown unit, or a length that is not above 0.
    """
    accepted = "a positive length with a unit, e.g. '162 cm', '1.62 m' or '5 ft 4'"
    if isinstance(text, str):
        feet_inches = _FEET_INCHES_RE.match(_decimal_point(text))
        if feet_inches is not None:
            inches = float(feet_inches.group("inches") or 0.0)
            metres = float(feet_inches.group("feet")) * FOOT_IN_M + inches * INCH_IN_M
            if metres <= 0 or inches >= 12:
                raise InvalidInputError(field, text, accepted)
            return metres
    value, unit = _split(text, field, accepted)
    if unit not in LENGTH_UNITS or value <= 0:
        raise InvalidInputError(field, text, accepted)
    return value * LENGTH_UNITS[unit]


def parse_height_m(text: str, field: str = "height") -> float:
    """Parse a body height into metres: any length :func:`parse_length_m` accepts, or a bare
    number read by its range, 0.5-2.5 as metres (``"1,62"``) or 50-250 as centimetres
    (``"162"``). The accepted height range is checked by the profile that uses it.
    """
    accepted = "a height such as '162 cm', '1.62 m', '1,62' or '5 ft 4'"
    if isinstance(text, str) and _QUANTITY_RE.match(_decimal_point(text)):
        value, unit = _split(text, field, accepted)
        if unit == "":
            low_m, high_m = HEIGHT_BARE_M_RANGE
            low_cm, high_cm = HEIGHT_BARE_CM_RANGE
            if low_m <= value <= high_m:
                return value
            if low_cm <= value <= high_cm:
                return value / 100.0
            raise InvalidInputError(field, text, accepted)
    try:
        return parse_length_m(text, field)
    except InvalidInputError:
        raise InvalidInputError(field, text, accepted) from None
