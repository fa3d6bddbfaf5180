"""Numbers for people (issue 13): durations as "6 min 30 s", at most one decimal where it means
something, no trailing ".0". Pure functions on SI values; the CLI uses them and a web page can.
"""

from __future__ import annotations

import math

from retrowalk.units import INCH_IN_M, kg_to_lb, m_s_to_kmh, m_s_to_mph
from retrowalk.vocabulary import SpeedUnit

__all__ = [
    "format_duration",
    "format_length",
    "format_mass",
    "format_minutes",
    "format_number",
    "format_range",
    "format_speed",
]


def format_number(value: float, decimals: int = 1) -> str:
    """``value`` with at most ``decimals`` decimals and no trailing zeros: 3.0 -> "3",
    3.25 -> "3.2" (round half to even), 1234.0 -> "1234"."""
    if not math.isfinite(value):
        return "-"
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_duration(seconds: float) -> str:
    """A duration for people: "45 s", "6 min", "6 min 30 s", "1 h 5 min" (whole seconds)."""
    if not math.isfinite(seconds):
        return "-"
    whole = round(seconds)
    sign = "-" if whole < 0 else ""
    whole = abs(whole)
    hours, rest = divmod(whole, 3600)
    mins, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours} h" + (f" {mins} min" if mins else "")
    if mins:
        return f"{sign}{mins} min" + (f" {secs} s" if secs else "")
    return f"{sign}{secs} s"


def format_minutes(seconds: float) -> str:
    """Minutes with at most one decimal: 3847.5 s -> "64.1 min", 300 s -> "5 min"."""
    return f"{format_number(seconds / 60.0)} min"


def format_range(
    low: float, central: float, high: float, unit: str = "", decimals: int = 0, *, word: str = ""
) -> str:
    """A figure with its range: "26 kcal (17-36)", or with ``word="range"`` "26 kcal (range
    17-36)"; without a unit "26 (17-36)"."""
    figure = format_number(central, decimals) + (f" {unit}" if unit else "")
    prefix = f"{word} " if word else ""
    return f"{figure} ({prefix}{format_number(low, decimals)}-{format_number(high, decimals)})"


def format_speed(speed_m_s: float, units: SpeedUnit) -> str:
    """A speed in the walker's units, one decimal at most: "1 mph", "1.6 km/h"."""
    value = m_s_to_mph(speed_m_s) if units is SpeedUnit.MPH else m_s_to_kmh(speed_m_s)
    return f"{format_number(value)} {units.value}"


def format_mass(mass_kg: float, units: SpeedUnit) -> str:
    """A body mass in the walker's units: "70 kg", "154.3 lb"."""
    if units.imperial:
        return f"{format_number(kg_to_lb(mass_kg))} lb"
    return f"{format_number(mass_kg)} kg"


def format_length(length_m: float, units: SpeedUnit) -> str:
    """A length (e.g. a height) in the walker's units: "1.62 m", "5 ft 4 in"."""
    if units.imperial:
        inches = round(length_m / INCH_IN_M)
        feet, rest = divmod(inches, 12)
        return f"{feet} ft {rest} in" if rest else f"{feet} ft"
    return f"{format_number(length_m, 2)} m"
