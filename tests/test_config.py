"""Settings come from RETROWALK_* variables, with local defaults."""

from __future__ import annotations

import pytest

from retrowalk.config import Settings, default_data_dir, get_settings


def test_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("RETROWALK_DATABASE_URL", "RETROWALK_HOST", "RETROWALK_PORT"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings()
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000
    assert settings.database_url == f"sqlite:///{default_data_dir() / 'retrowalk.sqlite3'}"
    assert "retrowalk" in str(default_data_dir())


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETROWALK_DATABASE_URL", "postgresql://u@h/d")
    monkeypatch.setenv("RETROWALK_HOST", "0.0.0.0")
    monkeypatch.setenv("RETROWALK_PORT", "9001")
    get_settings.cache_clear()
    settings = get_settings()
    assert (settings.database_url, settings.host, settings.port) == (
        "postgresql://u@h/d",
        "0.0.0.0",
        9001,
    )


def test_bad_port_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from pydantic import ValidationError

    monkeypatch.setenv("RETROWALK_PORT", "70000")
    with pytest.raises(ValidationError):
        Settings()
