"""Plan types: the progression state, planned sessions and weeks, logged outcomes and changes.

All are frozen dataclasses; SI units inside (seconds, m/s), dates as :class:`datetime.date`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from retrowalk.errors import InvalidInputError, RetroWalkError
from retrowalk.limits import PAIN_MAX, PAIN_MIN
from retrowalk.plans.rules import (
    EFFORT_BANDS,
    WEEKLY_GOAL_MINUTES,
    Action,
    EffortBand,
    LevelId,
)
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction, Environment, RpeScale, Support

__all__ = [
    "BORG_MAX",
    "BORG_MIN",
    "CR10_MAX",
    "CR10_MIN",
    "Plan",
    "PlanChange",
    "PlanLimits",
    "PlanWeek",
    "PlannedSession",
    "ProfessionalClearanceRequiredError",
    "ProgressionState",
    "SessionOutcome",
]

#: Borg RPE 6-20 scale ends; Borg CR10 scale ends (research notes 4.2).
BORG_MIN = 6
BORG_MAX = 20
CR10_MIN = 0.0
CR10_MAX = 10.0


class ProfessionalClearanceRequiredError(RetroWalkError):
    """Screening says "see a professional first" and the user has not acknowledged it.

    Attributes
    ----------
    reasons
        The screening reasons' plain-words texts, to show the user.
    """

    def __init__(self, reasons: tuple[str, ...] = ()) -> None:
        self.reasons = reasons
        detail = " ".join(reasons)
        super().__init__(
            "screening advises seeing a health professional before starting; no plan was made. "
            "Start anyway only by acknowledging this explicitly." + (f" {detail}" if detail else "")
        )


@dataclass(frozen=True, slots=True)
class ProgressionState:
    """The parameters the next sessions are generated from.

    Attributes
    ----------
    level
        The start level id (:data:`retrowalk.plans.rules.LEVELS`).
    backward_interval_s, backward_interval_max_s
        Current and longest backward interval, s.
    backward_total_s, backward_total_max_s
        Current and largest backward time per session, s.
    sessions_per_week
        Backward-walking sessions per week (1 to ``SESSIONS_PER_WEEK_MAX``).
    session_max_s
        Longest session the user has time for (``minutes_per_day`` x 60), s.
    environment, support
        Where the backward intervals are walked now, and what the walker holds.
    supported_environment, supported_support
        The supported indoor setup used when support is required (after any regression).
    outdoor_environment
        Track or park the user may move to later; ``None`` when never allowed.
    treadmill_speed_m_s, treadmill_speed_max_m_s
        Current belt speed (``None`` off the treadmill) and the level's ceiling, m/s.
    support_required, supervision_required
        Support (and a spotter) required for every backward segment; once set by screening or a
        regression they are never cleared by the plan.
    progression_allowed
        Whether the plan may step up on its own.
    good_sessions_in_row
        Good sessions since the last change.
    last_change_on
        Date of the last change (the plan's start at first).
    last_pain_0_10
        Pain in the last session that reported pain, for "rising pain".
    dizziness_sessions
        Sessions in this plan that reported dizziness.
    stopped
        A stop rule fired: no further sessions until a professional has been seen.
    """

    level: LevelId
    backward_interval_s: float
    backward_interval_max_s: float
    backward_total_s: float
    backward_total_max_s: float
    sessions_per_week: int
    session_max_s: float
    environment: Environment
    support: Support
    supported_environment: Environment
    supported_support: Support
    outdoor_environment: Environment | None
    treadmill_speed_m_s: float | None
    treadmill_speed_max_m_s: float
    support_required: bool
    supervision_required: bool
    progression_allowed: bool
    good_sessions_in_row: int = 0
    last_change_on: date | None = None
    last_pain_0_10: int | None = None
    dizziness_sessions: int = 0
    stopped: bool = False

    def __post_init__(self) -> None:
        if self.support_required and (self.support is Support.NONE or self.environment.is_outdoor):
            raise InvalidInputError(
                "support", self.support.value, "supported and indoors when support is required"
            )
        if self.support_required and not self.supervision_required:
            raise InvalidInputError(
                "supervision_required", False, "true whenever support is required"
            )
        if self.environment.is_treadmill and self.treadmill_speed_m_s is None:
            raise InvalidInputError("treadmill_speed_m_s", None, "a speed and a ceiling")
        if (
            self.treadmill_speed_m_s is not None
            and self.treadmill_speed_m_s > self.treadmill_speed_max_m_s + 1e-9
        ):
            raise InvalidInputError(
                "treadmill_speed_m_s", self.treadmill_speed_m_s, "at most the level's ceiling"
            )
        if not 0 < self.backward_interval_s <= self.backward_interval_max_s + 1e-9:
            raise InvalidInputError(
                "backward_interval_s", self.backward_interval_s, "above 0 and at most the maximum"
            )
        if not 0 < self.backward_total_s <= self.backward_total_max_s + 1e-9:
            raise InvalidInputError(
                "backward_total_s", self.backward_total_s, "above 0 and at most the maximum"
            )


@dataclass(frozen=True, slots=True)
class PlannedSession:
    """One planned session: forward warm-up, backward intervals with forward recovery, cool-down.

    Attributes
    ----------
    week, day
        Week number (1-based) and day within that week (1-7).
    scheduled_on
        Calendar date.
    title
        Short title for lists.
    segments
        The session's segments, in order.
    rationale
        Why this session looks the way it does (plain words).
    """

    week: int
    day: int
    scheduled_on: date
    title: str
    segments: tuple[PlannedSegment, ...]
    rationale: str

    @property
    def backward_s(self) -> float:
        """Seconds walked backward."""
        return sum(s.duration_s for s in self.segments if s.direction is Direction.BACKWARD)

    @property
    def total_s(self) -> float:
        """Seconds of walking in all (every segment is walking)."""
        return sum(s.duration_s for s in self.segments)


@dataclass(frozen=True, slots=True)
class PlanWeek:
    """One week of the plan with its totals toward the weekly goal.

    Attributes
    ----------
    number
        Week number, 1-based.
    sessions
        The week's sessions.
    goal_minutes
        Weekly moderate-activity goal (WHO 2020 [A]: 150 min).
    note
        Plain words about the week (e.g. what changed, how to reach the goal).
    """

    number: int
    sessions: tuple[PlannedSession, ...]
    goal_minutes: int = WEEKLY_GOAL_MINUTES
    note: str = ""

    @property
    def backward_minutes(self) -> float:
        """Minutes walked backward this week."""
        return sum(s.backward_s for s in self.sessions) / 60.0

    @property
    def walking_minutes(self) -> float:
        """Minutes walked in all (backward and forward) this week."""
        return sum(s.total_s for s in self.sessions) / 60.0


@dataclass(frozen=True, slots=True)
class PlanLimits:
    """The ceilings that hold for the whole plan.

    Attributes
    ----------
    treadmill_speed_max_m_s
        Highest belt speed any segment may use; ``None`` when no treadmill is used.
    backward_interval_max_s, backward_total_max_s
        Longest backward interval and largest backward time per session, s.
    weekly_increase_max_fraction
        Largest rise of weekly backward minutes over the week before.
    sessions_per_week
        Backward-walking sessions per week.
    session_max_s
        Longest session, s (the user's minutes per day).
    outdoor_allowed
        Whether the plan may ever move outdoors.
    """

    treadmill_speed_max_m_s: float | None
    backward_interval_max_s: float
    backward_total_max_s: float
    weekly_increase_max_fraction: float
    sessions_per_week: int
    session_max_s: float
    outdoor_allowed: bool


@dataclass(frozen=True, slots=True)
class Plan:
    """A multi-week plan (immutable).

    Attributes
    ----------
    start_on
        First day of week 1.
    weeks
        The weeks (empty when ``stopped``).
    state
        The progression state the plan's current sessions are built from.
    limits
        Ceilings for the whole plan.
    requires_support, requires_supervision
        Every backward segment is supported / supervised.
    acknowledged_risk
        The user explicitly acknowledged a see-a-professional-first screening (to be stored).
    stopped
        A stop rule fired: no sessions until a professional has been seen.
    explanation
        Plain-words reasons for the plan's shape, each naming its source.
    rules_version
        :data:`retrowalk.plans.rules.RULES_VERSION` used.
    revised_on
        Date from which the sessions follow ``state`` after an adaptation (``None``: from
        ``start_on``). Sessions before it are kept as they were planned.
    """

    start_on: date
    weeks: tuple[PlanWeek, ...]
    state: ProgressionState
    limits: PlanLimits
    requires_support: bool
    requires_supervision: bool
    acknowledged_risk: bool
    stopped: bool
    explanation: tuple[str, ...]
    rules_version: str
    revised_on: date | None = None

    @property
    def sessions(self) -> tuple[PlannedSession, ...]:
        """Every session, in order."""
        return tuple(s for w in self.weeks for s in w.sessions)

    @property
    def current_from(self) -> date:
        """First date whose sessions follow ``state`` (``revised_on`` or ``start_on``)."""
        return self.revised_on if self.revised_on is not None else self.start_on

    def session_on(self, day: date) -> PlannedSession | None:
        """The session scheduled on ``day`` (for ``retrowalk today``), or ``None``."""
        return next((s for s in self.sessions if s.scheduled_on == day), None)


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """What the plan needs to know about one logged session.

    Attributes
    ----------
    performed_on
        Date of the session.
    completed
        Whether the whole session was done.
    rpe_borg
        Perceived exertion on the Borg 6-20 scale (moderate 12-13), or ``None``.
    rpe_cr10
        Perceived exertion on the Borg CR10 scale (moderate 3-4), or ``None``. Give one scale;
        when both are given the higher band counts.
    pain_0_10
        Worst pain during or after the session, 0-10, or ``None`` if not asked.
    dizziness, near_fall, fall, chest_pain, fainting
        Symptoms and events during the session.
    form_steady
        Whether form felt steady (eyes forward, small even steps, no grabbing); ``None`` if not
        asked. Needed for any speed increase or move outdoors.
    """

    performed_on: date
    completed: bool
    rpe_borg: int | None = None
    rpe_cr10: float | None = None
    pain_0_10: int | None = None
    dizziness: bool = False
    near_fall: bool = False
    fall: bool = False
    chest_pain: bool = False
    fainting: bool = False
    form_steady: bool | None = None

    def __post_init__(self) -> None:
        if self.rpe_borg is not None and not BORG_MIN <= self.rpe_borg <= BORG_MAX:
            raise InvalidInputError(
                "rpe_borg", self.rpe_borg, f"a whole number from {BORG_MIN} to {BORG_MAX}"
            )
        if self.rpe_cr10 is not None and not (
            math.isfinite(self.rpe_cr10) and CR10_MIN <= self.rpe_cr10 <= CR10_MAX
        ):
            raise InvalidInputError(
                "rpe_cr10", self.rpe_cr10, f"a number from {CR10_MIN:g} to {CR10_MAX:g}"
            )
        if self.pain_0_10 is not None and not PAIN_MIN <= self.pain_0_10 <= PAIN_MAX:
            raise InvalidInputError(
                "pain_0_10", self.pain_0_10, f"a whole number from {PAIN_MIN} to {PAIN_MAX}"
            )

    @property
    def effort(self) -> EffortBand:
        """The effort band from the logged RPE (research notes 4.2).

        Borg 6-20: below 12 light, 12-13 moderate, 14 or more high. CR10: below 3 light, 3-4
        moderate, above 4 high. With both, the higher band; with neither, ``unknown``.
        """
        bands = []
        if self.rpe_borg is not None:
            bands.append(_band(float(self.rpe_borg), EFFORT_BANDS[RpeScale.BORG_6_20]))
        if self.rpe_cr10 is not None:
            bands.append(_band(self.rpe_cr10, EFFORT_BANDS[RpeScale.CR10]))
        if not bands:
            return EffortBand.UNKNOWN
        order = (EffortBand.LIGHT, EffortBand.MODERATE, EffortBand.HIGH)
        return max(bands, key=order.index)


def _band(value: float, moderate: tuple[float, float]) -> EffortBand:
    low, high = moderate
    if value < low:
        return EffortBand.LIGHT
    if value <= high:
        return EffortBand.MODERATE
    return EffortBand.HIGH


@dataclass(frozen=True, slots=True)
class PlanChange:
    """One adaptation after a logged session, with its reason (shown to the user).

    Attributes
    ----------
    action
        ``progress``, ``hold``, ``regress`` or ``stop``.
    reason
        Plain words for the user.
    rule_id
        The adaptation rule (and, for ``progress``, the progression step) that fired.
    source
        Citation behind the rule.
    before, after
        The progression state before and after.
    performed_on
        Date of the session that caused the change.
    """

    action: Action
    reason: str
    rule_id: str
    source: str
    before: ProgressionState
    after: ProgressionState
    performed_on: date
