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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from enum import StrEnum
from typing import Any, Final

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from retrowalk import __version__
from retrowalk.energy import Range
from retrowalk.errors import InvalidInputError
from retrowalk.plans import SessionOutcome
from retrowalk.plans.rules import WEEKLY_GOAL_MINUTES, EffortBand
from retrowalk.services.plans import COUNTED_LOG_STATUSES
from retrowalk.services.readiness import BalanceTest, balance_tests, current_profile
from retrowalk.store import models
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
    """One walked session (status completed or stopped), as progress needs it.

    Attributes
    ----------
    day
        Local calendar day the session started.
    walking_s, backward_s
        Seconds walked in all and backward.
    rpe_effort
        Effort band from the logged RPE (``unknown`` when none).
    mets_central
        Central gross METs from the stored energy estimate, or ``None``.
    energy_kcal
        Stored gross energy estimate, kcal, or ``None`` (never 0 in its place).
    """

    day: date
    walking_s: float
    backward_s: float
    rpe_effort: EffortBand = EffortBand.UNKNOWN
    mets_central: float | None = None
    energy_kcal: Range | None = None

    def __post_init__(self) -> None:
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
    """Symptoms of one session (all its reports merged) or one report made on its own.

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
            entries=len(entries),
            max_pain=max(pains) if pains else None,
            pain_locations=tuple(locations),
            dizziness=sum(e.dizziness for e in entries),
            near_falls=sum(e.near_fall for e in entries),
            falls=sum(e.fall for e in entries),
            chest_pain=sum(e.chest_pain for e in entries),
            fainting=sum(e.fainting for e in entries),
            stopped_for_pain=sum(e.stopped_for_pain for e in entries),
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
    after ``today`` are counted as upcoming, not as planned.
    """
    if start.weekday() != 0:
        raise InvalidInputError("start", start.isoformat(), "a Monday")
    end = min(start + timedelta(days=7), today + timedelta(days=1))
    walked = [s for s in sessions if start <= s.day < end]
    week_end = start + timedelta(days=7)
    plan_items = [p for p in planned if start <= p.scheduled_on < week_end]
    due = [p for p in plan_items if p.scheduled_on <= today]
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
        sessions_walked=len(walked),
        days_walked=len({s.day for s in walked}),
        sessions_planned=len(due),
        sessions_done=sum(p.done for p in due),
        sessions_upcoming=len(plan_items) - len(due),
        energy_kcal=energy,
        sessions_without_energy=len(walked) - len(costed),
        symptoms=SymptomSummary.of([e for e in symptoms if start <= e.day < end]),
    )


def summarise_weeks(
    sessions: Sequence[WalkedSession],
    planned: Sequence[PlannedEntry],
    symptoms: Sequence[SymptomEntry],
    *,
    today: date,
    weeks: int,
) -> tuple[WeekSummary, ...]:
    """The ``weeks`` calendar weeks ending with the week of ``today``, oldest first."""
    _check_weeks(weeks)
    last = week_start(today)
    starts = [last - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    return tuple(summarise_week(s, sessions, planned, symptoms, today=today) for s in starts)


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
    counted = [s for s in sessions if s.day <= today]
    if not counted:
        return 0, 0
    first = week_start(min(s.day for s in counted))
    starts: list[date] = []
    cursor = first
    while cursor <= this_week:
        starts.append(cursor)
        cursor += timedelta(weeks=1)
    flags = [summarise_week(s, counted, (), (), today=today).goal_met for s in starts]
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
# Reading the stored energy JSON (defensively: a missing value is never 0)
# ---------------------------------------------------------------------------------------------

#: Keys under which a per-session gross kcal range may be stored, most specific first.
_KCAL_KEYS: Final = ("energy_kcal", "kcal", "gross_kcal")
_METS_KEYS: Final = ("mets", "mets_central")


def _range_from(value: object) -> Range | None:
    if not isinstance(value, Mapping):
        return None
    ends: list[float] = []
    for key in ("low", "central", "high"):
        end = value.get(key)
        if not isinstance(end, int | float) or isinstance(end, bool):
            return None
        ends.append(float(end))
    try:
        result = Range(*ends)
    except ValueError:
        return None
    return result if result.low >= 0 else None


def energy_range(document: Mapping[str, Any] | None) -> Range | None:
    """The gross kcal range in a stored energy JSON, or ``None`` when there is none."""
    if not isinstance(document, Mapping):
        return None
    for key in _KCAL_KEYS:
        if key in document:
            return _range_from(document[key])
    return _range_from(document)


def mets_central(document: Mapping[str, Any] | None) -> float | None:
    """The central gross METs in a stored energy JSON, or ``None``."""
    if not isinstance(document, Mapping):
        return None
    for key in _METS_KEYS:
        value = document.get(key)
        if isinstance(value, Mapping):
            value = value.get("central")
        if isinstance(value, int | float) and not isinstance(value, bool):
            number = float(value)
            return number if math.isfinite(number) and number > 0 else None
    return None


@dataclass(frozen=True, slots=True)
class _ReportRow:
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


@dataclass(frozen=True, slots=True)
class _LogRow:
    """One log as progress needs it: times, minutes, stored energy figures and its reports."""

    started_at: datetime
    status: str
    stop_reason: str | None
    walking_s: float
    backward_s: float
    energy_kcal: Range | None
    mets: float | None
    segment_energy: tuple[tuple[float, Mapping[str, Any] | None], ...] | None
    symptoms: list[_ReportRow]


def _session_mets(log: _LogRow) -> float | None:
    """Central METs of the session, or the time-weighted mean of every segment's METs."""
    if log.mets is not None:
        return log.mets
    weighted = 0.0
    total_s = 0.0
    for duration_s, energy in log.segment_energy or ():
        if duration_s <= 0:
            continue
        value = mets_central(energy)
        if value is None:
            return None
        weighted += value * duration_s
        total_s += duration_s
    return weighted / total_s if total_s > 0 else None


def _session_energy(log: _LogRow) -> Range | None:
    """The stored session kcal, or the end-wise sum over segments when every one has it."""
    if log.energy_kcal is not None or not log.segment_energy:
        return log.energy_kcal
    total: Range | None = None
    for _duration_s, energy in log.segment_energy:
        one = energy_range(energy)
        if one is None:
            return None
        total = one if total is None else total + one
    return total


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------


def _zone_name(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    return tz.tzname(utcnow()) or str(tz)


def _latest_rating(reports: Sequence[_ReportRow]) -> EffortBand:
    rated = sorted((r for r in reports if r.rpe is not None), key=lambda r: r.recorded_at)
    if not rated:
        return EffortBand.UNKNOWN
    return effort_from_rpe(rated[-1].rpe, rated[-1].rpe_scale)


def _symptom_entry(
    day: date, reports: Sequence[_ReportRow], stop_reason: str | None
) -> SymptomEntry:
    pains = [(r.pain_0_10, r.pain_location) for r in reports if r.pain_0_10 is not None]
    worst = max(pains, key=lambda p: p[0] or 0) if pains else None
    location = next((r.pain_location for r in reports if r.pain_location), None)
    return SymptomEntry(
        day=day,
        pain_0_10=None if worst is None else worst[0],
        pain_location=(worst[1] if worst is not None and worst[1] else location),
        dizziness=any(r.dizziness for r in reports) or stop_reason == "dizziness",
        near_fall=any(r.near_fall for r in reports) or stop_reason == "near_fall",
        fall=any(r.fall for r in reports),
        chest_pain=any(r.chest_pain for r in reports),
        fainting=any(r.fainting for r in reports),
        stopped_for_pain=stop_reason == "pain",
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


def _planned_entries(session: Session) -> list[PlannedEntry]:
    """Planned sessions of every plan; a plan's sessions stop where the next plan starts."""
    plans = session.execute(
        select(models.Plan.id, models.Plan.start_on).order_by(models.Plan.created_at)
    ).all()
    linked = set(
        session.scalars(
            select(models.SessionLog.planned_session_id)
            .where(models.SessionLog.planned_session_id.is_not(None))
            .where(models.SessionLog.status.in_(COUNTED_LOG_STATUSES))
        ).all()
    )
    by_plan: dict[str, list[Any]] = {}
    for row in session.execute(
        select(
            models.PlannedSession.plan_id,
            models.PlannedSession.id,
            models.PlannedSession.status,
            models.PlannedSession.scheduled_on,
        ).order_by(models.PlannedSession.position)
    ):
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


def _float_range(low: float | None, central: float | None, high: float | None) -> Range | None:
    if low is None or central is None or high is None:
        return None
    return _range_from({"low": low, "central": central, "high": high})


def _positive(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) and value > 0 else None


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


def _load_logs(session: Session) -> list[_LogRow]:
    """Every log as a plain row. Minutes are summed and the session's stored kcal and METs are
    read as numbers by the database, so no JSON is decoded in Python; only logs written without
    session-level figures have their segments' energy read."""
    segment = models.SessionSegment
    minutes = {
        row.session_log_id: (float(row.walking_s or 0.0), float(row.backward_s or 0.0))
        for row in session.execute(
            select(
                segment.session_log_id,
                func.sum(segment.duration_s).label("walking_s"),
                func.sum(
                    case((segment.direction == "backward", segment.duration_s), else_=0.0)
                ).label("backward_s"),
            ).group_by(segment.session_log_id)
        )
    }
    reports: dict[str, list[_ReportRow]] = {}
    for row in session.execute(
        select(models.SymptomReport.session_log_id, *_REPORT_COLUMNS).where(
            models.SymptomReport.session_log_id.is_not(None)
        )
    ):
        reports.setdefault(row.session_log_id, []).append(_ReportRow(*row[1:]))
    log = models.SessionLog
    energy = log.energy
    rows = session.execute(
        select(
            log.id,
            log.started_at,
            log.status,
            log.stop_reason,
            energy[("energy_kcal", "low")].as_float().label("kcal_low"),
            energy[("energy_kcal", "central")].as_float().label("kcal_central"),
            energy[("energy_kcal", "high")].as_float().label("kcal_high"),
            energy[("mets", "central")].as_float().label("mets"),
        ).order_by(log.started_at)
    ).all()
    kcal = {row.id: _float_range(row.kcal_low, row.kcal_central, row.kcal_high) for row in rows}
    mets = {row.id: _positive(row.mets) for row in rows}
    missing = [row.id for row in rows if kcal[row.id] is None or mets[row.id] is None]
    fallback: dict[str, list[tuple[float, Mapping[str, Any] | None]]] = {}
    for start in range(0, len(missing), 500):
        for row in session.execute(
            select(segment.session_log_id, segment.duration_s, segment.energy)
            .where(segment.session_log_id.in_(missing[start : start + 500]))
            .order_by(segment.session_log_id, segment.position)
        ):
            fallback.setdefault(row.session_log_id, []).append((row.duration_s, row.energy))
    out = []
    for row in rows:
        walking_s, backward_s = minutes.get(row.id, (0.0, 0.0))
        parts = fallback.get(row.id)
        out.append(
            _LogRow(
                row.started_at,
                row.status,
                row.stop_reason,
                walking_s,
                backward_s,
                kcal[row.id],
                mets[row.id],
                None if parts is None else tuple(parts),
                reports.get(row.id, []),
            )
        )
    return out


def progress_report(
    session: Session, *, weeks: int = 8, today: date, tz: tzinfo = UTC
) -> ProgressReport:
    """Load logs, plans, symptoms and 3MBWT results and summarise the last ``weeks`` weeks.

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
    logs = _load_logs(session)
    walked: list[WalkedSession] = []
    symptoms: list[SymptomEntry] = []
    for log in logs:
        day = log.started_at.astimezone(tz).date()
        entry = _symptom_entry(day, log.symptoms, log.stop_reason)
        if _has_symptoms(entry):
            symptoms.append(entry)
        if log.status not in COUNTED_LOG_STATUSES:
            continue
        walked.append(
            WalkedSession(
                day=day,
                walking_s=log.walking_s,
                backward_s=min(log.walking_s, log.backward_s),
                rpe_effort=_latest_rating(log.symptoms),
                mets_central=_session_mets(log),
                energy_kcal=_session_energy(log),
            )
        )
    alone = session.execute(
        select(models.SymptomReport.session_log_id, *_REPORT_COLUMNS).where(
            models.SymptomReport.session_log_id.is_(None)
        )
    ).all()
    for found in alone:
        row = _ReportRow(*found[1:])
        entry = _symptom_entry(row.recorded_at.astimezone(tz).date(), [row], None)
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
