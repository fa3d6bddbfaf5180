"""The user's display preferences (speed units, spoken cues), kept in the ``settings`` table."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Final

from sqlalchemy.orm import Session

from retrowalk.errors import InvalidInputError
from retrowalk.services.settings import PREFERENCES_KEY, display_units
from retrowalk.store import models
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import DEFAULT_SPEED_UNIT, SpeedUnit

Units = SpeedUnit
UNITS: Final[tuple[str, ...]] = tuple(SpeedUnit)


@dataclass(frozen=True)
class Preferences:
    """Display preferences.

    Attributes
    ----------
    units
        Speed unit for spoken cues and speeds shown: ``"mph"`` or ``"km/h"``.
    voice
        Whether the session player speaks its cues.
    """

    units: Units = DEFAULT_SPEED_UNIT
    voice: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return asdict(self)


def load_preferences(session: Session) -> Preferences:
    """The stored preferences, or the defaults."""
    row = session.get(models.Setting, PREFERENCES_KEY)
    voice = None if row is None else row.value.get("voice")
    return Preferences(
        units=display_units(session),
        voice=voice if isinstance(voice, bool) else Preferences.voice,
    )


def save_preferences(session: Session, *, units: str, voice: bool) -> Preferences:
    """Validate and store the preferences."""
    if units not in UNITS:
        raise InvalidInputError("units", units, "mph or km/h")
    prefs = Preferences(units=units, voice=voice)  # type: ignore[arg-type]
    put_setting(session, PREFERENCES_KEY, prefs.to_dict())
    return prefs


def put_setting(session: Session, key: str, value: dict[str, Any]) -> None:
    """Store one row of the ``settings`` table (insert or replace)."""
    row = session.get(models.Setting, key)
    if row is None:
        session.add(models.Setting(key=key, value=value, updated_at=utcnow()))
    else:
        row.value = value
        row.updated_at = utcnow()
    session.flush()
