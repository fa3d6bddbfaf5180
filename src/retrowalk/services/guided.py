"""Guided sessions with checkpoints: start, checkpoint, finish, and pick up after a crash.

A guided session is a :class:`~retrowalk.store.models.SessionLog` with status ``in_progress``
while it is played. Its ``checkpoint`` column holds ``{"timeline": Timeline.to_dict(),
"snapshot": RunSnapshot.to_dict()}`` and ``checkpoint_at`` the time of the last checkpoint, so
a player in another process (after a crash, a kill or Ctrl-C) can restore the run with
:meth:`~retrowalk.sessions.SessionRun.restore` or log the part that was done.

A player (CLI or web) calls, each in its own short transaction:

1. :func:`start_guided` - builds the timeline and stores the in-progress log;
2. :func:`checkpoint` - every few seconds, with ``run.snapshot()``;
3. :func:`finish_guided` - after the end or a stop, with the walker's ratings: the log becomes
   ``completed`` or ``stopped`` with the segments actually walked, energy and the plan's change
   (through :func:`retrowalk.services.logs.add_log`).

After an interruption, :func:`find_unfinished` returns the session and the player either
continues it (:func:`restore_run`) or calls :func:`log_partial` / :func:`abandon_guided`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrowalk.errors import (
    InvalidInputError,
    NotFoundError,
    RetroWalkError,
    StateConflictError,
)
from retrowalk.segments import PlannedSegment
from retrowalk.services.logfacts import store_facts
from retrowalk.services.logs import (
    LogInput,
    LogView,
    RatingsInput,
    SegmentInput,
    add_log,
    resolve_planned_session_id,
)
from retrowalk.services.plans import current_plan, planned_segments, today
from retrowalk.services.readiness import current_profile
from retrowalk.sessions import (
    RunSnapshot,
    RunStatus,
    SessionRun,
    Timeline,
    build_timeline,
    completed_segments,
    parse_quick,
)
from retrowalk.sessions.player import Clock
from retrowalk.store import models
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import Environment, Support

__all__ = [
    "GuidedSession",
    "PlanStoppedError",
    "SessionInProgressError",
    "abandon_guided",
    "abandon_or_log_partial",
    "checkpoint",
    "find_unfinished",
    "finish_guided",
    "log_partial",
    "restore_run",
    "start_guided",
]

#: A session done to at least this fraction of a segment's planned time counts that segment as
#: walked to its end (absorbs the player's sub-second timing).
_COMPLETE_TOLERANCE_S = 0.5


class SessionInProgressError(RetroWalkError):
    """Another guided session is still in progress (it must be resumed or logged first)."""

    def __init__(self, log_id: str, started_at: datetime) -> None:
        self.log_id = log_id
        self.started_at = started_at
        super().__init__(
            f"a session started {started_at:%Y-%m-%d %H:%M} UTC is still in progress: run "
            "'retrowalk session resume' to continue it or log the part done"
        )


class PlanStoppedError(RetroWalkError):
    """The plan is stopped: no session is played until a professional has been seen."""

    def __init__(self) -> None:
        super().__init__(
            "your plan is stopped after a safety rule fired: please see a health professional "
            "before walking backward again (no session was started)"
        )


@dataclass(frozen=True)
class GuidedSession:
    """A guided session stored in progress.

    Attributes
    ----------
    log_id
        Id of the in-progress :class:`~retrowalk.store.models.SessionLog`.
    timeline
        The schedule being played.
    snapshot
        The last checkpointed state of the run.
    started_at
        When the session was started (aware UTC).
    checkpoint_at
        When the last checkpoint was stored (aware UTC).
    source
        ``"guided"`` (a planned session) or ``"quick"``.
    planned_session_id
        The planned session played, or ``None``.
    title
        A short title for the player.
    """

    log_id: str
    timeline: Timeline
    snapshot: RunSnapshot
    started_at: datetime
    checkpoint_at: datetime | None
    source: Literal["guided", "quick"]
    planned_session_id: str | None
    title: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready view (the web player gets the timeline and the snapshot)."""
        return {
            "log_id": self.log_id,
            "started_at": self.started_at.isoformat(),
            "checkpoint_at": None if self.checkpoint_at is None else self.checkpoint_at.isoformat(),
            "source": self.source,
            "planned_session_id": self.planned_session_id,
            "title": self.title,
            "timeline": self.timeline.to_dict(),
            "snapshot": self.snapshot.to_dict(),
        }


def _unfinished_row(session: Session) -> models.SessionLog | None:
    return session.scalars(
        select(models.SessionLog)
        .where(models.SessionLog.status == "in_progress")
        .order_by(models.SessionLog.started_at.desc())
    ).first()


def _fresh_snapshot(timeline: Timeline) -> RunSnapshot:
    return SessionRun(timeline, lambda: 0.0).snapshot()


def start_guided(
    session: Session,
    *,
    planned_session_id: str | None = None,
    quick_spec: str | None = None,
    units: str = "mph",
    environment: Environment = Environment.HALLWAY,
    support: Support | None = None,
    on: date | None = None,
    speed_target_m_s: float | None = None,
    speed_limit_m_s: float | None = None,
) -> GuidedSession:
    """Build a session's timeline and store it as a session in progress.

    Parameters
    ----------
    planned_session_id
        Id (or unique prefix of at least 6 characters) of a session of the current plan.
    quick_spec
        A quick spec such as ``"5x(1m back, 1m fwd)"`` (see ``docs/sessions.md``).
    units
        ``"mph"`` or ``"km/h"`` for spoken belt speeds.
    environment, support
        Where a quick session is walked and with what support (:func:`parse_quick` defaults).
    on
        The user's calendar day (default: today in UTC). With neither ``planned_session_id`` nor
        ``quick_spec``, the session planned on this day is played.
    speed_target_m_s, speed_limit_m_s
        Belt speed and limit of a quick session on a treadmill (see
        :func:`retrowalk.services.treadmill.quick_treadmill_speeds`).

    Raises
    ------
    PlanStoppedError
        When the current plan is stopped (for planned and quick sessions alike).
    SessionInProgressError
        When another session is still in progress.
    retrowalk.errors.UnknownReferenceError
        For an unknown planned session.
    retrowalk.errors.StateConflictError
        For a session of an older plan, or neither option with nothing planned today.
    retrowalk.errors.InvalidInputError
        For a bad quick spec or both options at once.
    """
    plan = current_plan(session)
    if plan is not None and plan.status == "stopped":
        raise PlanStoppedError
    unfinished = _unfinished_row(session)
    if unfinished is not None:
        raise SessionInProgressError(unfinished.id, unfinished.started_at)
    if planned_session_id is not None and quick_spec is not None:
        raise InvalidInputError(
            "quick_spec", quick_spec, "either a planned session or a quick spec, not both"
        )
    source: Literal["guided", "quick"]
    if quick_spec is not None:
        segments = parse_quick(
            quick_spec,
            environment=environment,
            support=support,
            speed_target_m_s=speed_target_m_s,
            speed_limit_m_s=speed_limit_m_s,
        )
        source, planned_id, title = "quick", None, f"Quick session: {quick_spec.strip()}"
    else:
        if planned_session_id is None:
            if plan is None:
                raise StateConflictError(
                    "planned_session_id", None, "a planned session or a quick spec (no plan yet)"
                )
            view = today(session, on or utcnow().date())
            if not view.is_today or view.session_id is None:
                raise StateConflictError(
                    "planned_session_id",
                    None,
                    "a planned session id or a quick spec (nothing is planned today)",
                )
            planned_session_id = view.session_id
        planned_id = resolve_planned_session_id(session, planned_session_id)
        row = session.get(models.PlannedSession, planned_id)
        assert row is not None  # resolved above
        if plan is None or row.plan_id != plan.id:
            raise StateConflictError(
                "planned_session_id", planned_session_id, "a session of your current plan"
            )
        segments = planned_segments(row)
        source, title = "guided", row.title
    timeline = build_timeline(segments, units=units)
    snapshot = _fresh_snapshot(timeline)
    profile = current_profile(session)
    now = utcnow()
    log = models.SessionLog(
        profile_id=None if profile is None else profile.id,
        planned_session_id=planned_id,
        source=source,
        status="in_progress",
        started_at=now,
        notes=title,
        checkpoint={"timeline": timeline.to_dict(), "snapshot": snapshot.to_dict()},
        checkpoint_at=now,
        created_at=now,
        updated_at=now,
        segments=[],
        symptoms=[],
    )
    store_facts(log)
    session.add(log)
    session.flush()
    return _guided(log)


def _guided(row: models.SessionLog) -> GuidedSession:
    data = row.checkpoint
    if not data or "timeline" not in data or "snapshot" not in data:
        raise InvalidInputError("checkpoint", row.id, "a stored timeline and snapshot")
    timeline = Timeline.from_dict(data["timeline"])
    source: Literal["guided", "quick"] = "guided" if row.source == "guided" else "quick"
    return GuidedSession(
        log_id=row.id,
        timeline=timeline,
        snapshot=RunSnapshot.from_dict(data["snapshot"]),
        started_at=row.started_at,
        checkpoint_at=row.checkpoint_at,
        source=source,
        planned_session_id=row.planned_session_id,
        title=row.notes,
    )


def _in_progress(session: Session, log_id: str) -> models.SessionLog:
    row = session.get(models.SessionLog, log_id)
    if row is None or row.status != "in_progress":
        raise NotFoundError(f"no session in progress with id {log_id}")
    return row


def checkpoint(session: Session, log_id: str, snapshot: RunSnapshot) -> datetime:
    """Store the run's state now; return the checkpoint time (aware UTC).

    Raises
    ------
    retrowalk.errors.NotFoundError
        When the log is not in progress (finished or abandoned elsewhere).
    retrowalk.errors.StateConflictError
        When the snapshot does not fit the session's timeline (:meth:`RunSnapshot.check_fits`).
    """
    row = _in_progress(session, log_id)
    stored = row.checkpoint or {}
    timeline_data = stored.get("timeline")
    if timeline_data is None:
        raise InvalidInputError("checkpoint", log_id, "a stored timeline")
    snapshot.check_fits(Timeline.from_dict(timeline_data))
    now = utcnow()
    # A new dict: the JSON column does not track in-place changes.
    row.checkpoint = {"timeline": timeline_data, "snapshot": snapshot.to_dict()}
    row.checkpoint_at = now
    row.updated_at = now
    session.flush()
    return now


def _walked_segments(
    timeline: Timeline,
    snapshot: RunSnapshot,
    belt_speeds_m_s: Sequence[float | None] | None = None,
) -> tuple[SegmentInput, ...]:
    done = completed_segments(snapshot)
    skipped = set(snapshot.skipped_segments)
    out: list[SegmentInput] = []
    for segment, done_s in zip(timeline.segments, done, strict=True):
        if done_s <= 0:
            continue
        planned = segment.planned
        out.append(
            SegmentInput(
                direction=planned.direction.value,
                duration_s=done_s,
                environment=planned.environment.value,
                support=planned.support.value,
                speed_m_s=_speed(planned, segment.index, belt_speeds_m_s),
                grade_pct=planned.grade_pct,
                completed=segment.index not in skipped
                and done_s >= planned.duration_s - _COMPLETE_TOLERANCE_S,
                kind=planned.kind.value,
            )
        )
    return tuple(out)


def _speed(
    planned: PlannedSegment, index: int, belt_speeds_m_s: Sequence[float | None] | None
) -> float | None:
    """The belt speed measured in a segment (treadmill sessions), else the planned one."""
    if belt_speeds_m_s is not None and index < len(belt_speeds_m_s):
        measured = belt_speeds_m_s[index]
        if measured is not None and measured > 0:
            return measured
    return planned.speed_target_m_s


def _log_from_snapshot(
    session: Session,
    row: models.SessionLog,
    snapshot: RunSnapshot,
    ratings: RatingsInput | None,
    notes: str,
    ended_at: datetime,
    belt_speeds_m_s: Sequence[float | None] | None = None,
) -> LogView:
    guided = _guided(row)
    finished = snapshot.status is RunStatus.FINISHED
    note_parts = [guided.title, snapshot.stop_note or "", notes]
    data = LogInput(
        started_at=row.started_at,
        segments=_walked_segments(guided.timeline, snapshot, belt_speeds_m_s),
        ratings=ratings,
        source=guided.source,
        status="completed" if finished else "stopped",
        stop_reason=None if finished else snapshot.stop_reason,
        planned_session_id=row.planned_session_id,
        notes="\n".join(part for part in note_parts if part),
        ended_at=max(ended_at, row.started_at),
    )
    return add_log(session, data, in_progress_id=row.id)


def finish_guided(
    session: Session,
    log_id: str,
    snapshot: RunSnapshot,
    ratings: RatingsInput | None,
    *,
    notes: str = "",
    belt_speeds_m_s: Sequence[float | None] | None = None,
) -> LogView:
    """Turn the in-progress session into a logged one with the segments actually walked.

    Parameters
    ----------
    log_id
        The in-progress log (:attr:`GuidedSession.log_id`).
    snapshot
        The run's final snapshot: ``finished`` gives a ``completed`` log, anything else a
        ``stopped`` one (with the snapshot's stop reason, if any).
    ratings
        The walker's ratings, or ``None`` if not given.
    notes
        Free text added to the log's notes.
    belt_speeds_m_s
        Mean belt speed the treadmill reported in each segment of the timeline (``None`` where
        unknown); logged instead of the planned speed, so the energy uses the real one.

    Returns
    -------
    LogView
        As :func:`retrowalk.services.logs.add_log`: energy with its range and the plan change.

    Raises
    ------
    retrowalk.errors.NotFoundError
        When the log is not in progress.
    retrowalk.errors.StateConflictError
        When the snapshot does not fit the session's timeline; nothing is changed.
    retrowalk.errors.InvalidInputError
        For invalid ratings; nothing is changed.
    """
    row = _in_progress(session, log_id)
    snapshot.check_fits(_guided(row).timeline)
    return _log_from_snapshot(session, row, snapshot, ratings, notes, utcnow(), belt_speeds_m_s)


def find_unfinished(session: Session) -> GuidedSession | None:
    """The newest session still in progress (after a crash, a kill or Ctrl-C), or ``None``."""
    row = _unfinished_row(session)
    return None if row is None else _guided(row)


def restore_run(guided: GuidedSession, clock: Clock) -> SessionRun:
    """A run rebuilt from the last checkpoint: paused if it was under way (the walker resumes
    it), not started if it never started, finished or stopped as it ended."""
    if guided.snapshot.status is RunStatus.NOT_STARTED:
        return SessionRun(guided.timeline, clock)
    return SessionRun.restore(guided.timeline, guided.snapshot, clock)


def log_partial(
    session: Session, log_id: str, ratings: RatingsInput | None = None, *, notes: str = ""
) -> LogView:
    """Log the part done up to the last checkpoint (a ``stopped`` log unless it had finished).

    The log ends at the last checkpoint's time.
    """
    row = _in_progress(session, log_id)
    guided = _guided(row)
    ended_at = guided.checkpoint_at or row.started_at
    return _log_from_snapshot(session, row, guided.snapshot, ratings, notes, ended_at)


def abandon_guided(session: Session, log_id: str) -> None:
    """Mark the session abandoned: kept for the record, not counted, its checkpoint cleared."""
    row = _in_progress(session, log_id)
    row.status = "abandoned"
    row.checkpoint = None
    row.updated_at = utcnow()
    session.flush()


def abandon_or_log_partial(
    session: Session,
    log_id: str,
    *,
    log_part_done: bool,
    ratings: RatingsInput | None = None,
    notes: str = "",
) -> LogView | None:
    """:func:`log_partial` if ``log_part_done``, else :func:`abandon_guided` (then ``None``)."""
    if log_part_done:
        return log_partial(session, log_id, ratings, notes=notes)
    abandon_guided(session, log_id)
    return None
