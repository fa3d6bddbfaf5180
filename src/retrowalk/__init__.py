"""RetroWalk: a coach and tracker for backward ("retro") walking.

The core (energy, screening, assessments, plans, sessions) is pure and framework-free;
storage, the CLI and the web app are thin adapters over :mod:`retrowalk.services`.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("retrowalk")
except PackageNotFoundError:  # pragma: no cover - only when run from a source tree without install
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
