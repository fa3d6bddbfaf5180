"""Web-only settings from the environment (``RETROWALK_*``)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    """Settings that only the web app reads.

    Attributes
    ----------
    test_mode
        ``RETROWALK_TEST_MODE=1`` lets the session player honour ``?clock=fast&rate=N`` (a fast
        fake clock for end-to-end tests). Never set it in normal use.
    """

    model_config = SettingsConfigDict(env_prefix="RETROWALK_", extra="ignore")

    test_mode: bool = False
