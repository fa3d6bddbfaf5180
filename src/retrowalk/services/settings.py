"""The walker's display units, one place for the CLI and the web app (issue 13).

The web app stores its preferences in the ``settings`` table under :data:`PREFERENCES_KEY`
(``{"units": "mph" | "km/h", ...}``); the CLI reads the same row, so both show and speak the
same units. Without a stored preference: the ``RETROWALK_UNITS`` setting, else
:data:`retrowalk.vocabulary.DEFAULT_SPEED_UNIT`.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy.orm import Session

from retrowalk.config import get_settings
from retrowalk.errors import InvalidInputError
from retrowalk.store import models
from retrowalk.vocabulary import DEFAULT_SPEED_UNIT, SpeedUnit

__all__ = ["PREFERENCES_KEY", "display_units", "parse_units"]

#: Key of the stored display preferences (the web app's ``web.preferences`` uses the same).
PREFERENCES_KEY: Final = "preferences"


def parse_units(value: str, field: str = "units") -> SpeedUnit:
    """``"mph"`` or ``"km/h"`` (also ``kmh``, ``kph``, ``imperial``, ``metric``)."""
    aliases = {"kmh": "km/h", "kph": "km/h", "metric": "km/h", "imperial": "mph"}
    text = value.strip().lower()
    try:
        return SpeedUnit(aliases.get(text, text))
    except ValueError:
        raise InvalidInputError(
            field, value, "mph (with lb, feet and inches) or km/h (with kg and metres)"
        ) from None


def display_units(session: Session | None = None) -> SpeedUnit:
    """The units to show and speak: the stored preference, else ``RETROWALK_UNITS``, else the
    shared default."""
    if session is not None:
        row = session.get(models.Setting, PREFERENCES_KEY)
        stored = None if row is None else row.value.get("units")
        if isinstance(stored, str) and stored in set(SpeedUnit):
            return SpeedUnit(stored)
    setting = get_settings().units
    if setting:
        return parse_units(setting, "RETROWALK_UNITS")
    return DEFAULT_SPEED_UNIT
