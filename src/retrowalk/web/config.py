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
    allowed_hosts
        ``RETROWALK_ALLOWED_HOSTS``: more host names the server answers to, comma-separated
        (e.g. ``retrowalk.home.arpa``). Always accepted: ``localhost`` and IP addresses; in LAN
        mode also this computer's name and ``<name>.local``. Any other ``Host`` is refused (DNS
        rebinding).
    trusted_proxy
        ``RETROWALK_TRUSTED_PROXY``: the address of a reverse proxy in front of the server.
        Only then are ``X-Forwarded-For`` and ``X-Forwarded-Proto`` read, and only from that
        address; otherwise the client's own address is used (the failed-login limit).
    """

    model_config = SettingsConfigDict(env_prefix="RETROWALK_", extra="ignore")

    test_mode: bool = False
    allowed_hosts: str = ""
    trusted_proxy: str = ""

    def extra_hosts(self) -> frozenset[str]:
        """The host names of ``allowed_hosts``, lower case."""
        return frozenset(h.strip().lower() for h in self.allowed_hosts.split(",") if h.strip())
