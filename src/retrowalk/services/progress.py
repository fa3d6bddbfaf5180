"""Progress: weekly minutes toward 150, adherence, energy, symptoms, balance tests and streaks.

The summaries are pure functions over plain frozen dataclasses (:class:`WalkedSession`,
:class:`PlannedEntry`, :class:`SymptomEntry`); :func:`progress_report` is the one function that
reads the database and hands the rows to them. Every figure is defined in ``docs/progress.md``;
the goal and the effort bands are cited in ``docs/evidence.md`` ("Progress").

Decisions (see ``docs/progress.md``):

- **Weeks** are calendar weeks starting on Monday, in the time zone the caller gives (the CLI
  defaults to the computer's local zone; the service defaults to UTC). A session belongs to the
  week of the local day it started; a planned session to the week of its ``scheduled_on`` date.
- **Moderate or more**: a session's walking minutes count toward the 150-minute goal when its
  logged RPE is in the moderate band or above (:data:`~retrowalk.plans.rules.EFFORT_BANDS`:
  Borg 6-20 >= 12, CR10 >= 3). The person's own rating decides when there is one, so a session
  rated light never counts, whatever the model says. Only without a rating do the energy
  model's central METs decide (>= :data:`MODERATE_METS_MIN`). Without both, the minutes are
  reported as unknown effort and never counted.
- **Energy**: sums of the stored per-session low, central and high kcal. Summing the ends of
  ranges gives a conservative band, not a statistical interval. Sessions without a stored
  estimate are counted, never added as 0.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from functools import cache, lru_cache
from typing import Any, Final, TypeVar

from sqlalchemy import (
    select,
)
from sqlalchemy.orm import Session

from retrowalk import __version__
from retrowalk.energy import Range
from retrowalk.errors import InvalidInputError
from retrowalk.plans import SessionOutcome
from retrowalk.plans.rules import WEEKLY_GOAL_MINUTES, EffortBand
from retrowalk.services.logfacts import energy_range, mets_central
from retrowalk.services.loggroups import SLOT_S, LogGroup, grouped_logs
from retrowalk.services.plans import COUNTED_LOG_STATUSES
from retrowalk.services.readiness import BalanceTest, balance_tests, current_profile
from retrowalk.store import models
from retrowalk.store.types import AnySelect
from retrowalk.timeutil import utcnow

__all__ = [
    "GOAL_MINUTES",
    "MODERATE_METS_MIN",
    "NOT_PLANNED_STATUSES",
    "WEEKS_MAX",
    "WEEKS_MIN",
    "EffortBasis",
    "PlannedEntry",
    "ProgressReport",
    "Streaks",
    "SymptomEntry",
    "SymptomSummary",
    "WalkedSession",
    "WeekSummary",
    "build_report",
    "effort_from_rpe",
    "energy_range",
    "goal_week_streaks",
    "mets_central",
    "planned_session_streaks",
    "progress_report",
    "summarise_week",
    "summarise_weeks",
    "week_start",
]

#: Weekly goal, minutes of moderate-or-more activity (WHO 2020, Bull et al. [A]; HHS 2018 [S]).
GOAL_MINUTES: Final = WEEKLY_GOAL_MINUTES
#: Lowest gross METs of moderate activity: moderate 3.0-5.9 METs (HHS 2018 [S];
#: PMC10310950 table [S]; clinical notes 4.1-4.2). Used only when no RPE was logged.
MODERATE_METS_MIN: Final = 3.0
#: Weeks a report may cover (a typo guard; two years).
WEEKS_MIN: Final = 1
WEEKS_MAX: Final = 104
#: Planned-session statuses that are not counted as planned (the plan withdrew them).
NOT_PLANNED_STATUSES: Final = ("cancelled",)
#: Stored RPE scale names and the plan's effort scales.
_RPE_SCALES: Final = ("borg6_20", "cr10")

_MOD_OR_MORE = (EffortBand.MODERATE, EffortBand.HIGH)

_T = TypeVar("_T")


class EffortBasis(StrEnum):
    """What decided whether a session counts as moderate or more."""

    RPE = "rpe"
    METS = "mets"
    UNKNOWN = "unknown"


def effort_from_rpe(rpe: float | None, scale: str | None) -> EffortBand:
    """The plan's effort band for a logged RPE (``unknown`` without a usable rating).

    Reuses :attr:`retrowalk.plans.SessionOutcome.effort`, so progress and the adaptive plan read
    the same rating the same way (Borg 6-20 is rounded to a whole number, as the plan does). A
    rating without a scale, or outside its scale, is ``unknown``: it is never guessed.
    """
    if rpe is None or scale not in _RPE_SCALES or not math.isfinite(rpe):
        return EffortBand.UNKNOWN
    try:
        if scale == "cr10":
            outcome = SessionOutcome(performed_on=date.min, completed=True, rpe_cr10=rpe)
        else:
            outcome = SessionOutcome(performed_on=date.min, completed=True, rpe_borg=round(rpe))
    except InvalidInputError:
        return EffortBand.UNKNOWN
    return outcome.effort


def week_start(day: date) -> date:
    """The Monday on or before ``day``."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class WalkedSession:
    """One walked session (status completed or stopped), as progress needs it, or a group of
    ``count`` such sessions alike in everything progress reads.

    Attributes
    ----------
    day
        Local calendar day the session(s) started.
    walking_s, backward_s
        Seconds walked in all and backward (sums over the group).
    rpe_effort
        Effort band from the logged RPE (``unknown`` when none).
    mets_central
        Central gross METs from the stored energy estimate, or ``None``.
    energy_kcal
        Stored gross energy estimate, kcal (end-wise sum over the group), or ``None`` (never 0
        in its place).
    count
        Sessions in the group (1 for one session). Every session of a group has the same day,
        effort, METs and whether it has an energy estimate, so it is summarised like ``count``
        separate sessions.
    """

    day: date
    walking_s: float
    backward_s: float
    rpe_effort: EffortBand = EffortBand.UNKNOWN
    mets_central: float | None = None
    energy_kcal: Range | None = None
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1:
            raise InvalidInputError("count", self.count, "1 or more sessions")
        if not (math.isfinite(self.walking_s) and self.walking_s >= 0):
            raise InvalidInputError("walking_s", self.walking_s, "a duration of 0 s or more")
        if not (math.isfinite(self.backward_s) and 0 <= self.backward_s <= self.walking_s + 1e-9):
            raise InvalidInputError(
                "backward_s", self.backward_s, f"0 to walking_s ({self.walking_s:g} s)"
            )
        if self.mets_central is not None and not (
            math.isfinite(self.mets_central) and self.mets_central > 0
        ):
            raise InvalidInputError("mets_central", self.mets_central, "a MET value above 0")

    @property
    def effort_basis(self) -> EffortBasis:
        """``rpe`` when a rating was logged, else ``mets`` when METs are known, else ``unknown``."""
        if self.rpe_effort is not EffortBand.UNKNOWN:
            return EffortBasis.RPE
        if self.mets_central is not None:
            return EffortBasis.METS
        return EffortBasis.UNKNOWN

    @property
    def moderate_or_more(self) -> bool | None:
        """Whether the session counts toward the goal; ``None`` when its effort is unknown."""
        basis = self.effort_basis
        if basis is EffortBasis.RPE:
            return self.rpe_effort in _MOD_OR_MORE
        if basis is EffortBasis.METS:
            assert self.mets_central is not None
            return self.mets_central >= MODERATE_METS_MIN
        return None


@dataclass(frozen=True, slots=True)
class PlannedEntry:
    """One planned session: its date and whether it was done."""

    scheduled_on: date
    done: bool


@dataclass(frozen=True, slots=True)
class SymptomEntry:
    """Symptoms of one session (all its reports merged) or one report made on its own, or of a
    group of ``count`` such sessions or reports with the same day and the same symptoms.

    Attributes
    ----------
    day
        Local day of the session (or of the report, when it has no session).
    pain_0_10
        Worst pain reported, 0-10, or ``None`` when not asked.
    pain_location
        Where it hurt, or ``None``.
    dizziness, near_fall, fall, chest_pain, fainting
        Events reported (or the session was stopped for dizziness / a near-fall).
    stopped_for_pain
        The session was stopped for pain.
    count
        Sessions (or reports) in the group, 1 for one.
    """

    day: date
    pain_0_10: int | None = None
    pain_location: str | None = None
    dizziness: bool = False
    near_fall: bool = False
    fall: bool = False
    chest_pain: bool = False
    fainting: bool = False
    stopped_for_pain: bool = False
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1:
            raise InvalidInputError("count", self.count, "1 or more sessions or reports")


@dataclass(frozen=True, slots=True)
class SymptomSummary:
    """Symptoms in one week: counts are of sessions (and stand-alone reports) with the event."""

    entries: int = 0
    max_pain: int | None = None
    pain_locations: tuple[str, ...] = ()
    dizziness: int = 0
    near_falls: int = 0
    falls: int = 0
    chest_pain: int = 0
    fainting: int = 0
    stopped_for_pain: int = 0

    @classmethod
    def of(cls, entries: Sequence[SymptomEntry]) -> SymptomSummary:
        """Summarise ``entries``."""
        pains = [e.pain_0_10 for e in entries if e.pain_0_10 is not None]
        locations = sorted({e.pain_location.strip() for e in entries if e.pain_location} - {""})
        return cls(
            entries=sum(e.count for e in entries),
            max_pain=max(pains) if pains else None,
            pain_locations=tuple(locations),
            dizziness=sum(e.count for e in entries if e.dizziness),
            near_falls=sum(e.count for e in entries if e.near_fall),
            falls=sum(e.count for e in entries if e.fall),
            chest_pain=sum(e.count for e in entries if e.chest_pain),
            fainting=sum(e.count for e in entries if e.fainting),
            stopped_for_pain=sum(e.count for e in entries if e.stopped_for_pain),
        )

    @property
    def any_safety_event(self) -> bool:
        """Whether any dizziness, near-fall, fall, chest pain or fainting was reported."""
        return bool(
            self.dizziness or self.near_falls or self.falls or self.chest_pain or self.fainting
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {
            "reports": self.entries,
            "max_pain": self.max_pain,
            "pain_locations": list(self.pain_locations),
            "dizziness": self.dizziness,
            "near_falls": self.near_falls,
            "falls": self.falls,
            "chest_pain": self.chest_pain,
            "fainting": self.fainting,
            "stopped_for_pain": self.stopped_for_pain,
        }


def _minutes(seconds: float) -> float:
    return round(seconds / 60.0, 1)


@dataclass(frozen=True, slots=True)
class WeekSummary:
    """One calendar week (Monday to Sunday).

    Attributes
    ----------
    week_start
        The Monday.
    complete
        Whether the week ended before the report's day (``False``: week in progress).
    walking_s
        Seconds walked (completed and stopped sessions; forward and backward).
    moderate_by_rpe_s, moderate_by_mets_s
        Seconds of sessions counted as moderate or more, by RPE and (without RPE) by METs.
    light_s
        Seconds of sessions whose effort was below moderate.
    unknown_effort_s
        Seconds of sessions with no RPE and no METs: never counted toward the goal.
    backward_s
        Seconds walked backward.
    sessions_walked, days_walked
        Sessions walked and distinct days with a walked session.
    sessions_planned
        Planned sessions scheduled this week, up to the report's day (not cancelled).
    sessions_done
        Of those, the ones done (status ``done`` or a walked log linked to them).
    sessions_upcoming
        Planned sessions later this week (after the report's day): not yet due.
    energy_kcal
        End-wise sums of the stored low, central and high gross kcal; ``None`` when no session
        has an estimate.
    sessions_without_energy
        Walked sessions without a stored estimate (their energy is not in ``energy_kcal``).
    symptoms
        See :class:`SymptomSummary`.
    goal_minutes
        :data:`GOAL_MINUTES`.
    """

    week_start: date
    complete: bool
    walking_s: float
    moderate_by_rpe_s: float
    moderate_by_mets_s: float
    light_s: float
    unknown_effort_s: float
    backward_s: float
    sessions_walked: int
    days_walked: int
    sessions_planned: int
    sessions_done: int
    sessions_upcoming: int
    energy_kcal: Range | None
    sessions_without_energy: int
    symptoms: SymptomSummary
    goal_minutes: int = GOAL_MINUTES

    @property
    def moderate_or_more_s(self) -> float:
        """Seconds counted toward the goal."""
        return self.moderate_by_rpe_s + self.moderate_by_mets_s

    @property
    def goal_met(self) -> bool:
        """Whether the moderate-or-more minutes reach the goal."""
        return self.moderate_or_more_s >= self.goal_minutes * 60.0 - 1e-6

    @property
    def adherence(self) -> float | None:
        """``sessions_done / sessions_planned``; ``None`` when nothing was due."""
        if self.sessions_planned == 0:
            return None
        return self.sessions_done / self.sessions_planned

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (minutes rounded to 0.1, kcal to 1)."""
        adherence = self.adherence
        return {
            "week_start": self.week_start.isoformat(),
            "week_end": (self.week_start + timedelta(days=6)).isoformat(),
            "complete": self.complete,
            "walking_minutes": _minutes(self.walking_s),
            "moderate_or_more_minutes": _minutes(self.moderate_or_more_s),
            "moderate_by_rpe_minutes": _minutes(self.moderate_by_rpe_s),
            "moderate_by_mets_minutes": _minutes(self.moderate_by_mets_s),
            "light_minutes": _minutes(self.light_s),
            "unknown_effort_minutes": _minutes(self.unknown_effort_s),
            "goal_minutes": self.goal_minutes,
            "goal_met": self.goal_met,
            "backward_minutes": _minutes(self.backward_s),
            "sessions_walked": self.sessions_walked,
            "days_walked": self.days_walked,
            "sessions_done": self.sessions_done,
            "sessions_planned": self.sessions_planned,
            "sessions_upcoming": self.sessions_upcoming,
            "adherence": None if adherence is None else round(adherence, 3),
            "energy_kcal": None
            if self.energy_kcal is None
            else self.energy_kcal.rounded(0).as_dict(),
            "sessions_without_energy": self.sessions_without_energy,
            "symptoms": self.symptoms.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Streaks:
    """Runs of planned sessions done and of weeks meeting the goal.

    Attributes
    ----------
    planned_sessions_current, planned_sessions_longest
        Consecutive due planned sessions done (in scheduled order, over the whole history):
        the run ending with the latest due session, and the longest run. A session scheduled
        today and not yet done is not due yet, so it does not break the run.
    goal_weeks_current, goal_weeks_longest
        Consecutive calendar weeks meeting the goal (moderate-or-more minutes >= 150): the run
        ending with the last complete week (or with this week once it meets the goal), and the
        longest run, over the whole history.
    """

    planned_sessions_current: int
    planned_sessions_longest: int
    goal_weeks_current: int
    goal_weeks_longest: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view."""
        return {
            "planned_sessions": {
                "current": self.planned_sessions_current,
                "longest": self.planned_sessions_longest,
            },
            "goal_weeks": {
                "current": self.goal_weeks_current,
                "longest": self.goal_weeks_longest,
            },
        }


@dataclass(frozen=True)
class ProgressReport:
    """Weekly progress with balance tests, streaks and caveats.

    Attributes
    ----------
    generated_at
        When the report was made (UTC).
    as_of
        The report's local day ("today").
    time_zone
        Name of the zone that decided the calendar days.
    weeks
        The weeks shown, oldest first; the last contains ``as_of``.
    balance_tests
        Every stored 3MBWT result, oldest first, each compared with the one before.
    streaks
        See :class:`Streaks`.
    notes
        Honest caveats that apply to these figures.
    """

    generated_at: datetime
    as_of: date
    time_zone: str
    weeks: tuple[WeekSummary, ...]
    balance_tests: tuple[BalanceTest, ...]
    streaks: Streaks
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (documented in ``docs/progress.md``)."""
        return {
            "generated_at": self.generated_at.isoformat(),
            "as_of": self.as_of.isoformat(),
            "time_zone": self.time_zone,
            "goal_minutes": GOAL_MINUTES,
            "weeks": [w.to_dict() for w in self.weeks],
            "balance_tests": [_balance_test_dict(t) for t in self.balance_tests],
            "streaks": self.streaks.to_dict(),
            "notes": list(self.notes),
            "retrowalk_version": __version__,
        }


def _balance_test_dict(test: BalanceTest) -> dict[str, Any]:
    data = test.to_dict()
    return {
        "performed_at": data["performed_at"],
        "score_s": data["score_s"],
        "trials_s": data["trials_s"],
        "population": data["population"],
        "verdict": data["verdict"],
        "cutoff_s": data["cutoff_s"],
        "source": data["source"],
        "text": data["text"],
        "change": data["change"],
    }


# ---------------------------------------------------------------------------------------------
# Pure summaries
# ---------------------------------------------------------------------------------------------


def _check_weeks(weeks: int) -> None:
    if not WEEKS_MIN <= weeks <= WEEKS_MAX:
        raise InvalidInputError("weeks", weeks, f"a whole number from {WEEKS_MIN} to {WEEKS_MAX}")


def summarise_week(
    start: date,
    sessions: Iterable[WalkedSession],
    planned: Iterable[PlannedEntry],
    symptoms: Iterable[SymptomEntry],
    *,
    today: date,
) -> WeekSummary:
    """Summarise the week starting on ``start`` (a Monday) as of ``today``.

    Sessions and symptoms outside the week or after ``today`` are ignored; planned sessions
    after ``today`` are counted as upcoming, not as planned. Grouped sessions and symptom
    entries (``count`` above 1) count as that many.
    """
    if start.weekday() != 0:
        raise InvalidInputError("start", start.isoformat(), "a Monday")
    end = min(start + timedelta(days=7), today + timedelta(days=1))
    walked = [s for s in sessions if start <= s.day < end]
    week_end = start + timedelta(days=7)
    plan_items = [p for p in planned if start <= p.scheduled_on < week_end]
    due = [p for p in plan_items if p.scheduled_on <= today]
    by_rpe, by_mets, light, unknown = _effort_seconds(walked)
    costed = [s.energy_kcal for s in walked if s.energy_kcal is not None]
    energy: Range | None = None
    for one in costed:
        energy = one if energy is None else energy + one
    return WeekSummary(
        week_start=start,
        complete=week_end <= today,
        walking_s=sum(s.walking_s for s in walked),
        moderate_by_rpe_s=by_rpe,
        moderate_by_mets_s=by_mets,
        light_s=light,
        unknown_effort_s=unknown,
        backward_s=sum(s.backward_s for s in walked),
        sessions_walked=sum(s.count for s in walked),
        days_walked=len({s.day for s in walked}),
        sessions_planned=len(due),
        sessions_done=sum(p.done for p in due),
        sessions_upcoming=len(plan_items) - len(due),
        energy_kcal=energy,
        sessions_without_energy=sum(s.count for s in walked if s.energy_kcal is None),
        symptoms=SymptomSummary.of([e for e in symptoms if start <= e.day < end]),
    )


def _effort_seconds(walked: Iterable[WalkedSession]) -> tuple[float, float, float, float]:
    """Seconds walked moderate or more by RPE and by METs, light, and of unknown effort."""
    by_rpe = by_mets = light = unknown = 0.0
    for item in walked:
        counted = item.moderate_or_more
        if counted is None:
            unknown += item.walking_s
        elif not counted:
            light += item.walking_s
        elif item.effort_basis is EffortBasis.RPE:
            by_rpe += item.walking_s
        else:
            by_mets += item.walking_s
    return by_rpe, by_mets, light, unknown


def summarise_weeks(
    sessions: Sequence[WalkedSession],
    planned: Sequence[PlannedEntry],
    symptoms: Sequence[SymptomEntry],
    *,
    today: date,
    weeks: int,
) -> tuple[WeekSummary, ...]:
    """The ``weeks`` calendar weeks ending with the week of ``today``, oldest first.

    Every item is put in its week once, so the cost grows with the items plus the weeks, not
    with their product.
    """
    _check_weeks(weeks)
    last = week_start(today)
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    walked = _by_week(sessions, lambda s: s.day)
    plan_items = _by_week(planned, lambda p: p.scheduled_on)
    entries = _by_week(symptoms, lambda e: e.day)
    return tuple(
        summarise_week(
            start,
            walked.get(start, ()),
            plan_items.get(start, ()),
            entries.get(start, ()),
            today=today,
        )
        for start in starts
    )


def _by_week(items: Iterable[_T], day_of: Callable[[_T], date]) -> dict[date, list[_T]]:
    """``items`` by the Monday of their day."""
    weeks: dict[date, list[_T]] = {}
    for item in items:
        weeks.setdefault(week_start(day_of(item)), []).append(item)
    return weeks


def _runs(flags: Sequence[bool]) -> tuple[int, int]:
    """(trailing run of ``True``, longest run of ``True``)."""
    longest = run = 0
    for flag in flags:
        run = run + 1 if flag else 0
        longest = max(longest, run)
    return run, longest


def planned_session_streaks(planned: Sequence[PlannedEntry], *, today: date) -> tuple[int, int]:
    """(current, longest) runs of due planned sessions done, in scheduled order.

    Due: scheduled before ``today``, or done already (today's session is due once done).
    """
    due = sorted(
        (p for p in planned if p.scheduled_on < today or (p.done and p.scheduled_on <= today)),
        key=lambda p: p.scheduled_on,
    )
    return _runs([p.done for p in due])


def goal_week_streaks(sessions: Sequence[WalkedSession], *, today: date) -> tuple[int, int]:
    """(current, longest) runs of calendar weeks meeting the goal, over the whole history.

    The week in progress extends the current run once it meets the goal; until then the run
    ends with the last complete week.
    """
    this_week = week_start(today)
    by_week = _by_week((s for s in sessions if s.day <= today), lambda s: s.day)
    if not by_week:
        return 0, 0
    goal_s = GOAL_MINUTES * 60.0 - 1e-6  # as WeekSummary.goal_met
    flags: list[bool] = []
    cursor = min(by_week)
    while cursor <= this_week:
        by_rpe, by_mets, _light, _unknown = _effort_seconds(by_week.get(cursor, ()))
        flags.append(by_rpe + by_mets >= goal_s)
        cursor += timedelta(weeks=1)
    if flags and not flags[-1]:
        flags = flags[:-1]
    return _runs(flags)


def _notes(weeks: Sequence[WeekSummary], tests: Sequence[BalanceTest]) -> tuple[str, ...]:
    notes = [
        f"Only sessions logged in RetroWalk are counted; other activity toward the "
        f"{GOAL_MINUTES} minutes a week (WHO 2020) is not known to RetroWalk.",
        "A session counts as moderate or more when your rating of effort (RPE) was moderate "
        "or higher (Borg 12 or more, CR10 3 or more); without a rating, when the energy "
        f"model's central estimate is {MODERATE_METS_MIN:g} METs or more. Each minute counts "
        "once: vigorous minutes are not doubled.",
        "Energy sums add the low, central and high ends of each session's range; the sum of "
        "the ends is a conservative band, not a statistical interval.",
    ]
    unknown = sum(w.unknown_effort_s for w in weeks)
    if unknown > 0:
        notes.append(
            f"{_minutes(unknown):g} minutes had no effort rating and no energy estimate; they are "
            "shown as unknown effort and not counted toward the goal. Rate your effort after "
            "each session."
        )
    uncosted = sum(w.sessions_without_energy for w in weeks)
    if uncosted:
        notes.append(
            f"{uncosted} session(s) have no energy estimate (for example no speed or body mass); "
            "the energy figures leave them out, so those weeks' totals are incomplete."
        )
    if weeks and not weeks[-1].complete:
        notes.append("The last week is still in progress.")
    if not tests:
        notes.append("No 3-metre backward walk test is stored yet.")
    elif len(tests) > 1:
        notes.append(
            "A 3MBWT change counts as real only when it is larger than the minimal detectable "
            "change published for your group; otherwise it may be measurement noise."
        )
    return tuple(notes)


def build_report(
    sessions: Sequence[WalkedSession],
    planned: Sequence[PlannedEntry],
    symptoms: Sequence[SymptomEntry],
    tests: Sequence[BalanceTest],
    *,
    today: date,
    weeks: int,
    generated_at: datetime,
    time_zone: str = "UTC",
    extra_notes: Sequence[str] = (),
) -> ProgressReport:
    """Summarise the data into a :class:`ProgressReport` (pure)."""
    summaries = summarise_weeks(sessions, planned, symptoms, today=today, weeks=weeks)
    current_sessions, longest_sessions = planned_session_streaks(planned, today=today)
    current_weeks, longest_weeks = goal_week_streaks(sessions, today=today)
    return ProgressReport(
        generated_at=generated_at,
        as_of=today,
        time_zone=time_zone,
        weeks=summaries,
        balance_tests=tuple(tests),
        streaks=Streaks(current_sessions, longest_sessions, current_weeks, longest_weeks),
        notes=(*_notes(summaries, tests), *extra_notes),
    )


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _zone_name(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    return tz.tzname(utcnow()) or str(tz)


@dataclass(frozen=True, slots=True)
class _ReportRow:
    """One stand-alone symptom report (made without a session)."""

    recorded_at: datetime
    rpe: float | None
    rpe_scale: str | None
    pain_0_10: int | None
    pain_location: str | None
    dizziness: bool
    near_fall: bool
    fall: bool
    chest_pain: bool
    fainting: bool


def _merged_entry(
    day: date,
    pain_0_10: int | None,
    pain_location: str | None,
    flags: tuple[bool, bool, bool, bool, bool],
    stop_reason: str | None,
    count: int = 1,
) -> SymptomEntry:
    """The symptom entry of a session (or ``count`` alike) from its merged reports.

    Parameters
    ----------
    day
        Local day of the session.
    pain_0_10, pain_location
        Worst pain and its location (see :func:`retrowalk.services.logfacts.derive_facts`).
    flags
        Dizziness, near-fall, fall, chest pain and fainting, each reported in any report.
    stop_reason
        Why the session was stopped: dizziness and a near-fall count as those events.
    count
        Sessions with exactly these values.
    """
    dizziness, near_fall, fall, chest_pain, fainting = flags
    return SymptomEntry(
        day=day,
        pain_0_10=pain_0_10,
        pain_location=pain_location,
        dizziness=dizziness or stop_reason == "dizziness",
        near_fall=near_fall or stop_reason == "near_fall",
        fall=fall,
        chest_pain=chest_pain,
        fainting=fainting,
        stopped_for_pain=stop_reason == "pain",
        count=count,
    )


def _lone_entry(day: date, report: _ReportRow) -> SymptomEntry:
    """The symptom entry of a report made without a session."""
    return _merged_entry(
        day,
        report.pain_0_10,
        report.pain_location or None,
        (report.dizziness, report.near_fall, report.fall, report.chest_pain, report.fainting),
        None,
    )


def _has_symptoms(entry: SymptomEntry) -> bool:
    return (
        entry.pain_0_10 is not None
        or bool(entry.pain_location)
        or entry.dizziness
        or entry.near_fall
        or entry.fall
        or entry.chest_pain
        or entry.fainting
        or entry.stopped_for_pain
    )


@cache
def _planned_queries() -> tuple[AnySelect, AnySelect, AnySelect]:
    """The queries of :func:`_planned_entries` (built once: every report runs them)."""
    plans = select(models.Plan.id, models.Plan.start_on).order_by(models.Plan.created_at)
    linked = (
        select(models.SessionLog.planned_session_id)
        .where(models.SessionLog.planned_session_id.is_not(None))
        .where(models.SessionLog.status.in_(COUNTED_LOG_STATUSES))
    )
    planned = select(
        models.PlannedSession.plan_id,
        models.PlannedSession.id,
        models.PlannedSession.status,
        models.PlannedSession.scheduled_on,
    ).order_by(models.PlannedSession.position)
    return plans, linked, planned


def _planned_entries(session: Session) -> list[PlannedEntry]:
    """Planned sessions of every plan; a plan's sessions stop where the next plan starts."""
    plans_query, linked_query, planned_query = _planned_queries()
    connection = session.connection()
    plans = connection.execute(plans_query).all()
    linked = set(connection.execute(linked_query).scalars().all())
    by_plan: dict[str, list[Any]] = {}
    for row in connection.execute(planned_query):
        by_plan.setdefault(row.plan_id, []).append(row)
    out: list[PlannedEntry] = []
    for index, plan in enumerate(plans):
        later = [p.start_on for p in plans[index + 1 :]]
        until = min(later) if later else None
        for row in by_plan.get(plan.id, []):
            if row.status in NOT_PLANNED_STATUSES:
                continue
            if until is not None and row.scheduled_on >= until:
                continue
            out.append(
                PlannedEntry(
                    scheduled_on=row.scheduled_on, done=row.status == "done" or row.id in linked
                )
            )
    return out


#: The report columns progress reads, in :class:`_ReportRow` order.
_REPORT_COLUMNS: Final = (
    models.SymptomReport.recorded_at,
    models.SymptomReport.rpe,
    models.SymptomReport.rpe_scale,
    models.SymptomReport.pain_0_10,
    models.SymptomReport.pain_location,
    models.SymptomReport.dizziness,
    models.SymptomReport.near_fall,
    models.SymptomReport.fall,
    models.SymptomReport.chest_pain,
    models.SymptomReport.fainting,
)


def _summed_range(low: float, central: float, high: float) -> Range:
    """The range of end-wise sums. Each log's range is ordered, so the sums are too, but a
    database may sum with compensation: a rounding step out of order is closed here."""
    central = max(central, low)
    return Range(low, central, max(high, central))


def _grouped_sessions(
    session: Session, tz: tzinfo
) -> tuple[list[WalkedSession], list[SymptomEntry]]:
    """Walked sessions and symptom entries of every log, one per group of alike logs."""
    walked: list[WalkedSession] = []
    symptoms: list[SymptomEntry] = []
    for group in grouped_logs(session):
        done, entry = _group_entries(group, tz)
        if entry is not None:
            symptoms.append(entry)
        if done is not None:
            walked.append(done)
    return walked, symptoms


#: Groups whose entries :func:`_group_entries` keeps. A new log changes one group, so a report
#: made after it finds all the others here.
_GROUP_CACHE_SIZE: Final = 16_384


@lru_cache(maxsize=_GROUP_CACHE_SIZE)
def _group_entries(group: LogGroup, tz: tzinfo) -> tuple[WalkedSession | None, SymptomEntry | None]:
    """The walked session (``None`` unless its logs count) and the symptom entry (``None``
    without symptoms) of one group. A pure function of the group's values and the zone, kept
    because each report reads every group again."""
    day = datetime.fromtimestamp(int(group.slot) * SLOT_S, UTC).astimezone(tz).date()
    count = int(group.logs)
    flags = int(group.events)
    entry = _merged_entry(
        day,
        group.pain_0_10,
        group.pain_location,
        (bool(flags & 1), bool(flags & 2), bool(flags & 4), bool(flags & 8), bool(flags & 16)),
        group.stop_reason,
        count,
    )
    symptom = entry if _has_symptoms(entry) else None
    if group.status not in COUNTED_LOG_STATUSES:
        return None, symptom
    effort = (
        EffortBand.UNKNOWN if group.rpe is None else effort_from_rpe(group.rpe, group.rpe_scale)
    )
    kcal = None
    if (
        group.has_range
        and group.kcal_low is not None
        and group.kcal_central is not None
        and group.kcal_high is not None
    ):
        kcal = _summed_range(group.kcal_low, group.kcal_central, group.kcal_high)
    walking_s = float(group.walked_s)
    done = WalkedSession(
        day=day,
        walking_s=walking_s,
        backward_s=min(walking_s, float(group.backward_s)),
        rpe_effort=effort,
        mets_central=group.mets_central,
        energy_kcal=kcal,
        count=count,
    )
    return done, symptom


@cache
def _alone_query() -> AnySelect:
    """Symptom reports made without a session."""
    return select(models.SymptomReport.session_log_id, *_REPORT_COLUMNS).where(
        models.SymptomReport.session_log_id.is_(None)
    )


def progress_report(
    session: Session, *, weeks: int = 8, today: date, tz: tzinfo = UTC
) -> ProgressReport:
    """Load logs, plans, symptoms and 3MBWT results and summarise the last ``weeks`` weeks.

    Logs are read in groups of alike logs (same 15-minute UTC slot, status, rating, symptoms
    and energy figures) with their minutes and kcal summed by the database, so the work in
    Python grows with the number of distinct groups, not of logs.

    Parameters
    ----------
    session
        An open database session (read only).
    weeks
        Calendar weeks to show, ending with the week of ``today`` (1-104).
    today
        The local day the report is made for.
    tz
        Time zone that turns stored UTC times into local days.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        If ``weeks`` is outside 1-104.
    """
    _check_weeks(weeks)
    walked, symptoms = _grouped_sessions(session, tz)
    alone = session.connection().execute(_alone_query()).all()
    for found in alone:
        row = _ReportRow(*found[1:])
        entry = _lone_entry(row.recorded_at.astimezone(tz).date(), row)
        if _has_symptoms(entry):
            symptoms.append(entry)
    profile = current_profile(session)
    tests = balance_tests(session, profile) if profile is not None else []
    extra: list[str] = []
    if profile is None:
        extra.append("No profile yet, so balance tests cannot be read against a population.")
    return build_report(
        walked,
        _planned_entries(session),
        symptoms,
        tests,
        today=today,
        weeks=weeks,
        generated_at=utcnow(),
        time_zone=_zone_name(tz),
        extra_notes=extra,
    )
