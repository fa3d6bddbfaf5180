"""Settings from the environment (``RETROWALK_*``), with safe local defaults."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from platformdirs import user_data_path
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "retrowalk"


def default_data_dir() -> Path:
    """The per-user data directory (e.g. ``~/.local/share/retrowalk`` on Linux)."""
    return user_data_path(APP_NAME, appauthor=False)


def default_database_url() -> str:
    """An SQLite file in the user data directory."""
    return f"sqlite:///{default_data_dir() / 'retrowalk.sqlite3'}"


class Settings(BaseSettings):
    """RetroWalk's settings. Each field is read from ``RETROWALK_<NAME>``."""

    model_config = SettingsConfigDict(env_prefix="RETROWALK_", extra="ignore")

    database_url: str = Field(default_factory=default_database_url)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    #: IANA zone for times and days shown (``None``: the computer's zone).
    time_zone: str | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (tests call ``get_settings.cache_clear()``)."""
    return Settings()
