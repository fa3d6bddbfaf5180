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
    #: ``RETROWALK_TEST_MODE=1`` lets the web session player honour ``?clock=fast&rate=N`` (a
    #: fast fake clock for end-to-end tests). Never set it in normal use.
    test_mode: bool = False
    #: ``RETROWALK_ALLOWED_HOSTS``: more host names the web server answers to, comma-separated
    #: (e.g. ``retrowalk.home.arpa``). Always accepted: ``localhost`` and IP addresses; in LAN
    #: mode also this computer's name and ``<name>.local``. Any other ``Host`` is refused (DNS
    #: rebinding).
    allowed_hosts: str = ""
    #: ``RETROWALK_TRUSTED_PROXY``: the address of a reverse proxy in front of the server. Only
    #: then are ``X-Forwarded-For`` and ``X-Forwarded-Proto`` read, and only from that address;
    #: otherwise the client's own address is used (the failed-login limit).
    trusted_proxy: str = ""

    def extra_hosts(self) -> frozenset[str]:
        """The host names of ``allowed_hosts``, lower case."""
        return frozenset(h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip())

    #: IANA zone for times and days shown (``None``: the computer's zone).
    time_zone: str | None = None
    #: ``RETROWALK_UNITS``: speed units shown and spoken (``mph`` or ``km/h``) until the walker
    #: chooses in the settings (``None``: the shared default, ``vocabulary.DEFAULT_SPEED_UNIT``).
    units: str | None = None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process (tests call ``get_settings.cache_clear()``)."""
    return Settings()
