"""The shared vocabulary of the domain: directions, places, support and segment kinds.

Values are lower-case strings so that they read the same in JSON, the database and the CLI.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


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


class Symptom(StrEnum):
    """A red flag a walker reports about a session. Each one makes the plan regress or stop
    (:data:`retrowalk.plans.rules.PROGRESSION_RULES`), so every place that asks about symptoms
    (the terminal player, the web forms and player, the API) lists all of these, from here."""

    DIZZINESS = "dizziness"
    NEAR_FALL = "near_fall"
    FALL = "fall"
    CHEST_PAIN = "chest_pain"
    FAINTING = "fainting"

    @property
    def label(self) -> str:
        """Plain words for the event."""
        return _SYMPTOM_LABELS[self]

    @property
    def question(self) -> str:
        """The yes/no question a player asks about it after a session."""
        return _SYMPTOM_QUESTIONS[self]


_SYMPTOM_LABELS = {
    Symptom.DIZZINESS: "Dizziness",
    Symptom.NEAR_FALL: "A near-fall",
    Symptom.FALL: "A fall",
    Symptom.CHEST_PAIN: "Chest pain or pressure",
    Symptom.FAINTING: "Fainting or nearly fainting",
}
_SYMPTOM_QUESTIONS = {
    Symptom.DIZZINESS: "Did you feel dizzy or light-headed?",
    Symptom.NEAR_FALL: "Did you nearly fall (a stumble you caught)?",
    Symptom.FALL: "Did you fall?",
    Symptom.CHEST_PAIN: "Did you have chest pain or pressure?",
    Symptom.FAINTING: "Did you faint or nearly faint?",
}


class LogStatus(StrEnum):
    """Where a session log is: walked (completed or stopped early), or not (yet)."""

    COMPLETED = "completed"
    STOPPED = "stopped"
    IN_PROGRESS = "in_progress"
    ABANDONED = "abandoned"


#: Statuses of sessions that were walked: they count as minutes and feed the plan.
WALKED_STATUSES: tuple[LogStatus, ...] = (LogStatus.COMPLETED, LogStatus.STOPPED)


class RpeScale(StrEnum):
    """Scales of perceived exertion (research notes 4.2): Borg 6-20 and Borg CR10."""

    BORG_6_20 = "borg6_20"
    CR10 = "cr10"


class SpeedUnit(StrEnum):
    """Speed units shown and spoken (SI inside; converted at the edges, see ``units``)."""

    MPH = "mph"
    KM_H = "km/h"

    @property
    def imperial(self) -> bool:
        """mph goes with pounds and feet and inches; km/h with kilograms and metres."""
        return self is SpeedUnit.MPH


#: The one default for units shown and spoken, shared by the CLI and the web app (issue 13):
#: a stored preference overrides it (:func:`retrowalk.services.settings.display_units`).
DEFAULT_SPEED_UNIT: Final = SpeedUnit.KM_H
