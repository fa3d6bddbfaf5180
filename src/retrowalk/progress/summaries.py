"""Pure progress summaries: weeks, effort, adherence, energy, symptoms and streaks.

:func:`build_report` turns walked sessions, planned sessions, symptom entries and balance tests
into a :class:`~retrowalk.progress.model.ProgressReport`. Decisions (see ``docs/progress.md``):

- **Weeks** are calendar weeks starting on Monday, in the time zone the caller used to turn
  times into days. A session belongs to the week of the local day it started; a planned session
  to the week of its ``scheduled_on`` date.
- **Moderate or more**: a session's walking minutes count toward the goal when its logged RPE is
  in the moderate band or above (:data:`~retrowalk.plans.rules.EFFORT_BANDS`). The person's own
  rating decides when there is one; only without a rating do the energy model's central METs
  decide (>= :data:`~retrowalk.progress.model.MODERATE_METS_MIN`). Without both, the minutes
  are reported as unknown effort and never counted.
- **Energy**: end-wise sums of the per-session low, central and high kcal: a conservative band,
  not a statistical interval. Sessions without an estimate are counted, never added as 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from retrowalk.assessments.results import BalanceTest
from retrowalk.energy import Range
from retrowalk.errors import InvalidInputError
from retrowalk.progress.model import (
    GOAL_MINUTES,
    MODERATE_METS_MIN,
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
    minutes,
    week_start,
)

_T = TypeVar("_T")


def check_weeks(weeks: int) -> None:
    """Raise :class:`~retrowalk.errors.InvalidInputError` unless ``weeks`` is in range."""
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
        sessions_walked=len(walked),
        days_walked=len({s.day for s in walked}),
        sessions_planned=len(due),
        sessions_done=sum(p.done for p in due),
        sessions_upcoming=len(plan_items) - len(due),
        energy_kcal=energy,
        sessions_without_energy=sum(1 for s in walked if s.energy_kcal is None),
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
    check_weeks(weeks)
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


def goal_week_streaks(
    sessions: Iterable[WalkedSession | GoalMinutes], *, today: date
) -> tuple[int, int]:
    """(current, longest) runs of calendar weeks meeting the goal, over the whole history.

    The week in progress extends the current run once it meets the goal; until then the run
    ends with the last complete week.
    """
    this_week = week_start(today)
    counted_s: dict[date, float] = {}  # moderate-or-more seconds by week
    for s in sessions:
        if s.day <= today and s.moderate_or_more:
            week = week_start(s.day)
            counted_s[week] = counted_s.get(week, 0.0) + s.walking_s
    if not counted_s:
        return 0, 0
    goal_s = GOAL_MINUTES * 60.0 - 1e-6  # as WeekSummary.goal_met
    flags: list[bool] = []
    cursor = min(counted_s)
    while cursor <= this_week:
        flags.append(counted_s.get(cursor, 0.0) >= goal_s)
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
            f"{minutes(unknown):g} minutes had no effort rating and no energy estimate; they are "
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
    goal_history: Iterable[WalkedSession | GoalMinutes] | None = None,
) -> ProgressReport:
    """Summarise the data into a :class:`ProgressReport` (pure).

    ``sessions`` must hold every walked session of the weeks shown; the streak of weeks meeting
    the goal runs over ``goal_history`` (every walked session ever; default ``sessions``).
    """
    summaries = summarise_weeks(sessions, planned, symptoms, today=today, weeks=weeks)
    current_sessions, longest_sessions = planned_session_streaks(planned, today=today)
    history = sessions if goal_history is None else goal_history
    current_weeks, longest_weeks = goal_week_streaks(history, today=today)
    return ProgressReport(
        generated_at=generated_at,
        as_of=today,
        time_zone=time_zone,
        weeks=summaries,
        balance_tests=tuple(tests),
        streaks=Streaks(current_sessions, longest_sessions, current_weeks, longest_weeks),
        notes=(*_notes(summaries, tests), *extra_notes),
    )
