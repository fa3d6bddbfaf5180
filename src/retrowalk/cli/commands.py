"""Imports every command module so that each registers its commands on the root app."""

from __future__ import annotations

from retrowalk.cli import activities as _activities  # noqa: F401
from retrowalk.cli import db as _db  # noqa: F401
from retrowalk.cli import energy as _energy  # noqa: F401
from retrowalk.cli import logs as _logs  # noqa: F401
from retrowalk.cli import onboarding as _onboarding  # noqa: F401
from retrowalk.cli import plans as _plans  # noqa: F401
from retrowalk.cli import progress as _progress  # noqa: F401
from retrowalk.cli import screening as _screening  # noqa: F401
from retrowalk.cli import session as _session  # noqa: F401
