"""One reader class per file format, behind a registry.

:func:`read_activities` picks the reader from the file's first bytes (its suffix only breaks a
tie), runs it, and checks what came out. Every problem ends as one
:class:`~retrowalk.errors.ImportFileError` naming the file and the problem in plain words:
a file that is not an activity (FIT settings, monitoring or weight-scale files), a corrupt or
truncated file, an empty track, points without times, or an activity that is not a walk.

Readers import their parsing library when they run, so importing this module stays cheap (the
command line must start fast).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import ClassVar, Final, Protocol

from retrowalk.activities.model import Activity
from retrowalk.energy.model import SPEED_M_S_MAX
from retrowalk.errors import ImportFileError

__all__ = [
    "READERS",
    "WALKING_SPORTS",
    "ActivityReader",
    "check_walk",
    "detect_format",
    "read_activities",
]

#: Sports a file may name for its activity to be taken as a walk. ``None`` (no sport named)
#: and generic sports are checked by speed instead.
WALKING_SPORTS: Final = frozenset({"walking", "hiking", "generic", "other", "training"})
#: Bytes read to recognise a file's format.
_SNIFF_BYTES: Final = 8192


class ActivityReader(Protocol):
    """Reads one file format into activities."""

    file_format: ClassVar[str]
    suffixes: ClassVar[tuple[str, ...]]

    def read(self, path: Path) -> tuple[Activity, ...]:
        """The activities in ``path`` (raises :class:`ImportFileError` on any problem)."""
        ...


def _fit() -> ActivityReader:
    from retrowalk.activities.fit import FitReader

    return FitReader()


def _gpx() -> ActivityReader:
    from retrowalk.activities.gpx import GpxReader

    return GpxReader()


def _tcx() -> ActivityReader:
    from retrowalk.activities.tcx import TcxReader

    return TcxReader()


def _apple() -> ActivityReader:
    from retrowalk.activities.apple_health import AppleHealthReader

    return AppleHealthReader()


#: Format name -> a factory of its reader (imported on first use).
READERS: Final[dict[str, Callable[[], ActivityReader]]] = {
    "fit": _fit,
    "gpx": _gpx,
    "tcx": _tcx,
    "apple_health": _apple,
}
_SUFFIXES: Final = {".fit": "fit", ".gpx": "gpx", ".tcx": "tcx", ".zip": "apple_health"}


def detect_format(path: Path) -> str:
    """The format of ``path`` from its first bytes, else from its suffix.

    Raises
    ------
    ImportFileError
        When the file cannot be read or is none of the formats.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except OSError as exc:
        raise ImportFileError(path.name, f"cannot be read ({exc.strerror or exc})") from None
    if not head:
        raise ImportFileError(path.name, "the file is empty")
    if len(head) >= 12 and head[8:12] == b".FIT":
        return "fit"
    if head.startswith(b"PK\x03\x04"):
        return "apple_health"
    lowered = head.lower()
    if b"<healthdata" in lowered or b"<!doctype healthdata" in lowered:
        return "apple_health"
    if b"<trainingcenterdatabase" in lowered:
        return "tcx"
    if b"<gpx" in lowered:
        return "gpx"
    by_suffix = _SUFFIXES.get(path.suffix.lower())
    if by_suffix == "fit":
        return "fit"  # the FIT reader says what is wrong with its header
    raise ImportFileError(
        path.name, "not an activity file RetroWalk reads (FIT, GPX, TCX or an Apple Health export)"
    )


def check_walk(activity: Activity, name: str) -> Activity:
    """``activity`` if it can be a walk: a walking sport (or none named) and, when no sport is
    named, a mean speed no faster than the energy model accepts.

    Raises
    ------
    ImportFileError
        Naming the sport or the speed.
    """
    sport = activity.sport
    where = "" if activity.position == 0 else f" (activity {activity.position + 1})"
    if sport is not None and sport not in WALKING_SPORTS:
        raise ImportFileError(
            name, f"not a walk{where}: the file says {sport}; RetroWalk imports walks"
        )
    distance = activity.distance_m
    if distance is not None and activity.duration_s > 0:
        speed = distance / activity.duration_s
        if speed > SPEED_M_S_MAX:
            raise ImportFileError(
                name,
                f"not a walk{where}: {speed:.1f} m/s on average, faster than the "
                f"{SPEED_M_S_MAX:g} m/s RetroWalk accepts",
            )
    return activity


def read_activities(path: Path, *, display_name: str | None = None) -> tuple[Activity, ...]:
    """Every walk in ``path``: the reader for its format, then :func:`check_walk` on each.

    Parameters
    ----------
    path
        The file.
    display_name
        The name used in error lines (default: the file's name).

    Raises
    ------
    ImportFileError
        One line naming the file and the problem; nothing was read.
    """
    name = display_name or path.name
    file_format = detect_format(path)
    reader = READERS[file_format]()
    try:
        activities = reader.read(path)
    except ImportFileError as exc:
        raise ImportFileError(name, exc.problem) from None
    except zipfile.BadZipFile as exc:
        raise ImportFileError(name, f"a damaged zip archive ({exc})") from None
    except (OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        detail = " ".join(str(exc).split()) or type(exc).__name__
        raise ImportFileError(name, f"unreadable {file_format.upper()} file ({detail})") from None
    if not activities:
        raise ImportFileError(name, "no activity with timed laps or points in the file")
    return tuple(check_walk(activity, name) for activity in activities)
