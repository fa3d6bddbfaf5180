"""Progress: weekly minutes toward 150, adherence, energy, symptoms, balance tests and streaks.

Pure: frozen dataclasses (:mod:`~retrowalk.progress.model`) and the functions that summarise them
(:mod:`~retrowalk.progress.summaries`). :func:`retrowalk.services.progress.progress_report` loads
the rows and calls :func:`build_report`.
"""

from __future__ import annotations

from retrowalk.progress.model import (
    GOAL_MINUTES,
    MODERATE_METS_MIN,
    NOT_PLANNED_STATUSES,
    WEEKS_MAX,
    WEEKS_MIN,
    EffortBasis,
    GoalMinutes,
    PlannedEntry,
    ProgressReport,
    Streaks,
    SymptomEntry,
    SymptomSummary,
    WalkedSession,
    WeekSummary,
    effort_from_rpe,
    moderate_or_more,
    week_start,
)
from retrowalk.progress.summaries import (
    build_report,
    check_weeks,
    goal_week_streaks,
    planned_session_streaks,
    summarise_week,
    summarise_weeks,
)

__all__ = [
    "GOAL_MINUTES",
    "MODERATE_METS_MIN",
    "NOT_PLANNED_STATUSES",
    "WEEKS_MAX",
    "WEEKS_MIN",
    "EffortBasis",
    "GoalMinutes",
    "PlannedEntry",
    "ProgressReport",
    "Streaks",
    "SymptomEntry",
    "SymptomSummary",
    "WalkedSession",
    "WeekSummary",
    "build_report",
    "check_weeks",
    "effort_from_rpe",
    "goal_week_streaks",
    "moderate_or_more",
    "planned_session_streaks",
    "summarise_week",
    "summarise_weeks",
    "week_start",
]
