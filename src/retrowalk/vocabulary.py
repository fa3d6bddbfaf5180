"""The shared vocabulary of the domain: directions, places, support and segment kinds.

Values are lower-case strings so that they read the same in JSON, the database and the CLI.
"""

from __future__ import annotations

from enum import StrEnum


class Direction(StrEnum):
    """Walking direction. Forward versus backward is the point of this project: never implicit."""

    FORWARD = "forward"
    BACKWARD = "backward"


class Environment(StrEnum):
    """Where a segment is walked."""

    TREADMILL = "treadmill"
    HALLWAY = "hallway"
    OPEN_ROOM = "open_room"
    TRACK = "track"
    PARK = "park"

    @property
    def is_outdoor(self) -> bool:
        """Track and park are outdoors; the rest are indoors."""
        return self in (Environment.TRACK, Environment.PARK)

    @property
    def is_treadmill(self) -> bool:
        """Whether the segment is on a treadmill (speed set by the belt)."""
        return self is Environment.TREADMILL


class Support(StrEnum):
    """What the walker may hold or rely on (product glossary)."""

    NONE = "none"
    WALL_OR_RAIL = "wall_or_rail"
    TREADMILL_RAILS = "treadmill_rails"
    SPOTTER = "spotter"


class SegmentKind(StrEnum):
    """The role of a segment within a session."""

    WARM_UP = "warm_up"
    BACKWARD_INTERVAL = "backward_interval"
    FORWARD_RECOVERY = "forward_recovery"
    FORWARD = "forward"
    COOL_DOWN = "cool_down"
