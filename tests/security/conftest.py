"""The web tests' fixtures (an app on a fresh SQLite database), shared with the security tests."""

from __future__ import annotations

from tests.web.conftest import client, planned

__all__ = ["client", "planned"]
