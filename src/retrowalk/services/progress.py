"""Progress report use case: load the rows the weeks shown need and summarise them.

The figures themselves are pure (:mod:`retrowalk.progress`); this module only reads. Each log's
facts (walked and backward seconds, kcal range, METs, latest rating, worst pain, events) are
stored on its row when it is written (:mod:`retrowalk.services.logfacts`), so a report reads one
row per log in the weeks it shows, plus one narrow query over the whole history for the streak
of weeks meeting the goal. See ``docs/progress.md``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any, Final, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from retrowalk.progress import (
    NOT_PLANNED_STATUSES,
    GoalMinutes,
    PlannedEntry,
    ProgressReport,
    SymptomEntry,
    WalkedSession,
    build_report,
    check_weeks,
    effort_from_rpe,
    moderate_or_more,
    week_start,
)
from retrowalk.progress.completion import SessionState
from retrowalk.progress.steadiness import SteadinessTrend, session_steadiness, steadiness_trend
from retrowalk.services.completion import statuses_of
from retrowalk.services.logfacts import (
    EVENT_BITS,
    FACTS_VERSION,
    LogFacts,
    derive_facts,
    needs_facts,
)
from retrowalk.services.readiness import balance_tests, current_profile
from retrowalk.store import models
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import WALKED_STATUSES

__all__ = ["progress_report", "steadiness_report"]

_LOG = models.SessionLog


def _zone_name(tz: tzinfo) -> str:
    key = getattr(tz, "key", None)
    if isinstance(key, str):
        return key
    return tz.tzname(utcnow()) or str(tz)


def _stale(session: Session, *conditions: Any) -> Sequence[models.SessionLog]:
    """Logs matching ``conditions`` whose stored facts are missing or from an older derivation
    (normally none: opening the database derives them); their facts are derived on reading."""
    return session.scalars(
        select(_LOG)
        .where(needs_facts(), *conditions)
        .options(selectinload(_LOG.segments), selectinload(_LOG.symptoms))
    ).all()


def _walked(day: date, facts: LogFacts, *, assumed: bool = False) -> WalkedSession:
    return WalkedSession(
        day=day,
        walking_s=facts.walked_s,
        backward_s=facts.backward_s,
        rpe_effort=effort_from_rpe(facts.rpe, facts.rpe_scale),
        mets_central=facts.mets_central,
        energy_kcal=facts.kcal,
        energy_assumed=assumed,
    )


#: ``speed_source`` of a stored energy estimate made from an assumed speed
#: (:mod:`retrowalk.services.logs.repository`).
_ASSUMED: Final = "assumed"


def _logs_shown(
    session: Session, since: datetime, tz: tzinfo
) -> tuple[list[WalkedSession], list[SymptomEntry]]:
    """Walked sessions and symptom entries of the logs started on or after ``since``."""
    rows = session.execute(
        select(
            _LOG.started_at,
            _LOG.status,
            _LOG.stop_reason,
            _LOG.duplicate_of,
            _LOG.energy["speed_source"].as_string().label("speed_source"),
            *(getattr(_LOG, name) for name in LogFacts.COLUMNS),
        ).where(_LOG.started_at >= since, _LOG.facts_version >= FACTS_VERSION)
    ).all()
    logs: list[tuple[Any, LogFacts, bool]] = [
        (row, LogFacts.of_row(row), row.speed_source == _ASSUMED) for row in rows
    ]
    logs += [
        (log, derive_facts(log), (log.energy or {}).get("speed_source") == _ASSUMED)
        for log in _stale(session, _LOG.started_at >= since)
    ]
    walked: list[WalkedSession] = []
    symptoms: list[SymptomEntry] = []
    for row, facts, assumed in logs:
        day = row.started_at.astimezone(tz).date()
        entry = SymptomEntry.of_log(
            day,
            pain_0_10=facts.pain_0_10,
            pain_location=facts.pain_location,
            events=frozenset(
                name for bit, name in enumerate(EVENT_BITS) if facts.events >> bit & 1
            ),
            stop_reason=row.stop_reason,
        )
        if entry.any:
            symptoms.append(entry)
        # A walk logged twice counts once: the repeat waits for the walker's choice.
        if row.status in WALKED_STATUSES and row.duplicate_of is None:
            walked.append(_walked(day, facts, assumed=assumed))
    return walked, symptoms


def _goal_history(session: Session, tz: tzinfo) -> Iterator[GoalMinutes]:
    """The day and minutes of every walked session counting toward the goal: one narrow query
    over the whole history, for the streak of weeks meeting the goal.

    The index on ``started_at`` also holds the columns read here, so the database answers from
    the index without reading each log's row (migration 0011). The rows are streamed, one at a
    time, into the streak's weekly sums: ten years of them never sit in memory together, which
    kept Python's full garbage collections (tens of ms each) out of most reports
    (``bench/progress_scale.py``).
    """
    counted = _LOG.status.in_(WALKED_STATUSES) & _LOG.duplicate_of.is_(None)
    # Plain rows from the connection (no ORM loading: the columns are all this reads).
    rows = session.connection().execute(
        select(
            _LOG.started_at,
            _LOG.facts_version,
            _LOG.walked_s,
            _LOG.rpe,
            _LOG.rpe_scale,
            _LOG.mets_central,
        ).where(counted)
    )
    # A walker uses a few ratings and METs: each distinct one is judged once.
    moderate: dict[tuple[Any, Any, Any], bool | None] = {}
    stale = 0
    for started, version, walked_s, rpe, scale, mets in rows:
        if (version or 0) < FACTS_VERSION:
            stale += 1
            continue
        key = (rpe, scale, mets)
        if key not in moderate:
            moderate[key] = moderate_or_more(effort_from_rpe(rpe, scale), mets)
        if moderate[key]:  # only sessions that count toward the goal matter to its streak
            yield GoalMinutes(started.astimezone(tz).date(), cast(float, walked_s), True)
    if stale:  # facts missing or older (normally none): derived now
        for log in _stale(session, counted):
            done = _walked(log.started_at.astimezone(tz).date(), derive_facts(log))
            yield GoalMinutes(done.day, done.walking_s, done.moderate_or_more)


def _lone_reports(session: Session, since: datetime, tz: tzinfo) -> list[SymptomEntry]:
    """Symptom reports made without a session, on or after ``since``."""
    report = models.SymptomReport
    rows = session.scalars(
        select(report).where(report.session_log_id.is_(None)).where(report.recorded_at >= since)
    ).all()
    entries = (
        SymptomEntry.of_log(
            row.recorded_at.astimezone(tz).date(),
            pain_0_10=row.pain_0_10,
            pain_location=row.pain_location,
            events=frozenset(name for name in EVENT_BITS if getattr(row, name)),
            stop_reason=None,
        )
        for row in rows
    )
    return [entry for entry in entries if entry.any]


def _planned_entries(session: Session, *, today: date, tz: tzinfo) -> list[PlannedEntry]:
    """Planned sessions of every plan; a plan's sessions stop where the next plan starts. A
    session is done when its backward work was mostly walked (:mod:`.completion`)."""
    plans = session.execute(
        select(models.Plan.id, models.Plan.start_on).order_by(models.Plan.created_at)
    ).all()
    by_plan: dict[str, list[models.PlannedSession]] = {}
    for row in session.scalars(
        select(models.PlannedSession).order_by(models.PlannedSession.position)
    ):
        by_plan.setdefault(row.plan_id, []).append(row)
    kept: list[models.PlannedSession] = []
    for index, plan in enumerate(plans):
        later = [p.start_on for p in plans[index + 1 :]]
        until = min(later) if later else None
        kept += [
            row
            for row in by_plan.get(plan.id, [])
            if row.status not in NOT_PLANNED_STATUSES
            and (until is None or row.scheduled_on < until)
        ]
    return [
        PlannedEntry(scheduled_on=s.scheduled_on, done=s.state is SessionState.DONE)
        for s in statuses_of(session, kept, today=today, tz=tz)
    ]


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
    check_weeks(weeks)
    first_day = week_start(today) - timedelta(weeks=weeks - 1)
    # The first instant of the first local day shown (a day before, to be safe around zone
    # changes; days outside the weeks are left out by the summaries).
    since = datetime.combine(first_day - timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    shown, symptoms = _logs_shown(session, since, tz)
    symptoms += _lone_reports(session, since, tz)
    profile = current_profile(session)
    tests = balance_tests(session, profile) if profile is not None else []
    extra: list[str] = []
    if profile is None:
        extra.append("No profile yet, so balance tests cannot be read against a population.")
    return build_report(
        shown,
        _planned_entries(session, today=today, tz=tz),
        symptoms,
        tests,
        today=today,
        weeks=weeks,
        generated_at=utcnow(),
        time_zone=_zone_name(tz),
        extra_notes=extra,
        goal_history=_goal_history(session, tz),
    )


def steadiness_report(
    session: Session, *, weeks: int = 8, today: date, tz: tzinfo = UTC
) -> SteadinessTrend:
    """The weekly steadiness of backward walking from the sessions' motion recordings, with
    the smallest real change (:mod:`retrowalk.progress.steadiness`). Every recorded walked
    session is read (one small JSON each) for the walker's own test-retest variability."""
    check_weeks(weeks)
    rows = session.execute(
        select(_LOG.started_at, models.MotionRecording.analysis)
        .join(models.MotionRecording, models.MotionRecording.session_log_id == _LOG.id)
        .where(_LOG.status.in_(WALKED_STATUSES), _LOG.duplicate_of.is_(None))
        .order_by(_LOG.started_at)
    ).all()
    history = [
        one
        for started, analysis in rows
        if (one := session_steadiness(started.astimezone(tz).date(), analysis or {})) is not None
    ]
    return steadiness_trend(history, today=today, weeks=weeks, history=history)
