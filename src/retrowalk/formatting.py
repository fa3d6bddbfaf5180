"""Numbers for people (issue 13): durations as "6 min 30 s", at most one decimal where it means
something, no trailing ".0". Pure functions on SI values; the CLI uses them and a web page can.
"""

from __future__ import annotations

import math

__all__ = ["format_duration", "format_minutes", "format_number", "format_range"]


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


def format_range(low: float, central: float, high: float, unit: str, decimals: int = 0) -> str:
    """A figure with its range: "26 kcal (17-36)"."""
    return (
        f"{format_number(central, decimals)} {unit} "
        f"({format_number(low, decimals)}-{format_number(high, decimals)})"
    )
