"""One display-units setting for the CLI and the web app (issue 13)."""

from __future__ import annotations

import pytest

from retrowalk.config import get_settings
from retrowalk.errors import InvalidInputError
from retrowalk.services.database import Database
from retrowalk.services.settings import PREFERENCES_KEY, display_units, parse_units
from retrowalk.store import models
from retrowalk.vocabulary import DEFAULT_SPEED_UNIT, SpeedUnit


def test_stored_preference_then_setting_then_default(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("RETROWALK_UNITS", raising=False)
    with db.transaction() as session:
        assert display_units(session) is DEFAULT_SPEED_UNIT
        monkeypatch.setenv("RETROWALK_UNITS", "imperial")
        get_settings.cache_clear()
        assert display_units(session) is SpeedUnit.MPH
        session.add(models.Setting(key=PREFERENCES_KEY, value={"units": "km/h", "voice": True}))
        session.flush()
        assert display_units(session) is SpeedUnit.KM_H


def test_parse_units() -> None:
    assert parse_units(" KPH ") is SpeedUnit.KM_H
    with pytest.raises(InvalidInputError, match="units"):
        parse_units("furlongs")
