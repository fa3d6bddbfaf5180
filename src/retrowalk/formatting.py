"""Numbers for people (issue 13): durations as "6 min 30 s", at most one decimal where it means
something, no trailing ".0". Pure functions on SI values; the CLI uses them and a web page can.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Final

from retrowalk.units import INCH_IN_M, MPH_IN_M_S, kg_to_lb, m_s_to_kmh, m_s_to_mph
from retrowalk.vocabulary import SpeedUnit

__all__ = [
    "PLAN_ACTION_WORDS",
    "VERDICT_WORDS",
    "format_day",
    "format_duration",
    "format_length",
    "format_mass",
    "format_minutes",
    "format_moment",
    "format_number",
    "format_range",
    "format_speed",
    "format_test_time",
    "localise",
    "split_why",
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


def format_day(day: date, this_year: int | None = None, *, weekday: bool = True) -> str:
    """A calendar day for people: "Thu 3 Dec 2026", or "Thu 3 Dec" when it falls in
    ``this_year`` (the walker's current year); without the ``weekday``, "3 Dec" (a week's
    Monday, in a column headed "Week of")."""
    text = f"{day:%a} {day.day} {day:%b}" if weekday else f"{day.day} {day:%b}"
    return text if day.year == this_year else f"{text} {day.year}"


#: Decimals of a balance-test time shown to people: the stopwatch reads 0.01 s, but the
#: smallest real change between two tests is over a second (minimal detectable change 1.69 s in
#: multiple sclerosis, 2.13 s in Parkinson's; docs/evidence.md), so tenths are all that mean
#: something to the walker; the verdict is computed from the time as timed.
TEST_TIME_DECIMALS: Final = 1


def format_test_time(seconds: float) -> str:
    """A balance-test time for people: 3.3 -> "3.3 s", 4.0 -> "4 s"."""
    return f"{format_number(seconds, TEST_TIME_DECIMALS)} s"


def format_moment(moment: datetime) -> str:
    """A time of day on its day, as the clock on the wall shows it (no zone label; convert to
    the walker's zone first): "Thu 3 Dec 2026, 09:34"."""
    return f"{format_day(moment.date())}, {moment:%H:%M}"


#: What a plan change did, in plain words (the rules call them progress, hold, regress, stop).
PLAN_ACTION_WORDS: Final[dict[str, str]] = {
    "progress": "Stepped up",
    "hold": "Kept the same",
    "regress": "Eased off",
    "stop": "Stopped",
}
#: A balance test reading as a plain verdict for the person (the verdict codes of
#: ``assessments.three_metre_backward_walk.Verdict``); the cut-off and its source come after it.
VERDICT_WORDS: Final[dict[str, str]] = {
    "faster_than_cutoff": "A good result: quicker than the time linked with more falls.",
    "between_cutoffs": "A middle result: between the good times and those linked with more falls.",
    "slower_than_cutoff": "Slower than the time linked with more falls: train with support and "
    "a helper.",
    "no_validated_cutoff": "Recorded: no tested cut-off exists for your group, so compare it "
    "with your next tests.",
}

# A parenthesis holding a citation, a rule id or a scale: "(Nielsen et al.)", "(WHO 2020)",
# "(progress.duration)", "(Borg 12-13, CR10 3-4)", "(guidance: ...)", "(product guidance; ...)".
_WHY_RE: Final = re.compile(
    r"\s*\((?=[^()]*(?:\b(?:1[89]|20)\d\d\b|et al|\b[a-z_]+\.[a-z_]+\b|Borg|CR10|guidance|"
    r"opinion|3MBWT))([^()]*)\)"
)

# "Latest change, 2026-12-03 (hold): ..." names a plan change by its rule name.
_ACTION_RE: Final = re.compile(r"\s*\((progress|hold|regress|stop)\):")

_WHOLE_RE: Final = re.compile(r"(?<![\d.])(\d+)\.0(?![\d.])")


# A speed as the plan texts state it: "1.0 mph (0.45 m/s)", or "2 mph" alone.
_SPEED_RE: Final = re.compile(r"(?P<mph>\d+(?:\.\d+)?) mph(?: \((?P<m_s>\d+(?:\.\d+)?) m/s\))?")
_ISO_DAY_RE: Final = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def _speed_for(match: re.Match[str], units: SpeedUnit) -> str:
    m_s = match.group("m_s")
    speed_m_s = float(m_s) if m_s else float(match.group("mph")) * MPH_IN_M_S
    return format_speed(speed_m_s, units)


def _day_for(match: re.Match[str], this_year: int | None) -> str:
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return match.group(0)
    return format_day(day, this_year)


def localise(text: str, units: SpeedUnit, this_year: int | None = None) -> str:
    """A stored text (a plan's explanation, a plan change's reason) as the walker reads it:
    speeds in their units ("1.0 mph (0.45 m/s)" -> "1.6 km/h"; no m/s) and ISO days as plain
    days ("2026-12-03" -> "Thu 3 Dec"). Plan texts are stored before any display unit is known."""
    text = _SPEED_RE.sub(lambda m: _speed_for(m, units), text)
    return _ISO_DAY_RE.sub(lambda m: _day_for(m, this_year), text)


def split_why(text: str) -> tuple[str, list[str]]:
    """Plain words first, the technical terms and citations second: ``text`` without its
    parentheses that hold a citation, a rule id or a scale, and those parentheses' contents
    (for a "why?" beside it)."""
    why = [m.group(1).strip() for m in _WHY_RE.finditer(text)]
    plain = _WHY_RE.sub("", text).replace("3MBWT", "balance test")
    plain = _ACTION_RE.sub(lambda m: f": {PLAN_ACTION_WORDS[m.group(1)].lower()}.", plain)
    plain = _WHOLE_RE.sub(r"\1", plain)  # "15.0 min" -> "15 min"
    return re.sub(r"\s+([.,;:])", r"\1", plain), why
