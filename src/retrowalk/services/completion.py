"""Which planned sessions were done, partly done or missed, and every walked day (issue 13).

A log belongs to a planned session when it names it (``planned_session_id``) or, when it names
none, when it was walked on the session's local day. Whether the session counts as done is the
rule of :mod:`retrowalk.progress.completion` (its backward work mostly walked), the same for the
plan calendar, ``retrowalk today`` and progress adherence. Results are plain data, SI inside; a
web page or the CLI formats them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from retrowalk.progress.completion import SessionState, session_state
from retrowalk.services.logfacts import EVENT_BITS, FACTS_VERSION, derive_facts
from retrowalk.services.plans import current_plan_row
from retrowalk.store import models
from retrowalk.vocabulary import WALKED_STATUSES, Direction, Symptom

__all__ = ["PlannedSessionStatus", "WalkedDay", "planned_session_statuses", "walked_days"]

_LOG = models.SessionLog
_SYMPTOM_IDS = frozenset(symptom.value for symptom in Symptom)


@dataclass(frozen=True, slots=True)
class PlannedSessionStatus:
    """One planned session and what became of it.

    Attributes
    ----------
    session_id, scheduled_on, title
        The planned session.
    state
        Done, partly done, missed or planned (:class:`SessionState`; ``state.label`` in words).
    planned_backward_s, walked_backward_s
        Backward time planned and walked, s.
    log_ids
        The logs counted for it, oldest first.
    """

    session_id: str
    scheduled_on: date
    title: str
    state: SessionState
    planned_backward_s: float
    walked_backward_s: float
    log_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "session_id": self.session_id,
            "scheduled_on": self.scheduled_on.isoformat(),
            "title": self.title,
            "state": self.state.value,
            "state_label": self.state.label,
            "planned_backward_s": self.planned_backward_s,
            "walked_backward_s": self.walked_backward_s,
            "log_ids": list(self.log_ids),
        }


@dataclass(frozen=True, slots=True)
class WalkedDay:
    """A local day with at least one walked session (for a history calendar).

    Attributes
    ----------
    day
        The local day.
    sessions
        Sessions walked that day.
    walking_s, backward_s
        Time walked in all and backward, s.
    symptoms
        Every red flag reported that day, in :class:`Symptom` order.
    log_ids
        The day's logs, oldest first.
    """

    day: date
    sessions: int
    walking_s: float
    backward_s: float
    symptoms: tuple[Symptom, ...]
    log_ids: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {
            "day": self.day.isoformat(),
            "sessions": self.sessions,
            "walking_s": self.walking_s,
            "backward_s": self.backward_s,
            "symptoms": [{"id": s.value, "label": s.label} for s in self.symptoms],
            "log_ids": list(self.log_ids),
        }


@dataclass(frozen=True, slots=True)
class _Walked:
    id: str
    day: date
    planned_session_id: str | None
    walking_s: float
    backward_s: float
    symptoms: frozenset[Symptom]


def _walked_logs(
    session: Session,
    tz: tzinfo,
    since: date | None = None,
    until: date | None = None,
    *,
    naming: Collection[str] = (),
) -> list[_Walked]:
    """Walked logs (oldest first) with their local day and seconds walked: those of the local
    days ``since`` to ``until`` (``None``: no limit), and those naming a planned session in
    ``naming`` whenever they were walked."""
    query = (
        select(
            _LOG.id,
            _LOG.started_at,
            _LOG.planned_session_id,
            _LOG.stop_reason,
            _LOG.facts_version,
            _LOG.walked_s,
            _LOG.backward_s,
            _LOG.events,
        )
        .where(_LOG.status.in_(WALKED_STATUSES))
        .where(_LOG.duplicate_of.is_(None))  # a walk logged twice counts once
        .order_by(_LOG.started_at)
    )
    window = []  # a day's margin each side: local days straddle UTC days
    if since is not None:
        window.append(_LOG.started_at >= datetime.combine(since - timedelta(days=1), time.min, UTC))
    if until is not None:
        window.append(_LOG.started_at < datetime.combine(until + timedelta(days=2), time.min, UTC))
    if window and naming:
        query = query.where(or_(and_(*window), _LOG.planned_session_id.in_(list(naming))))
    elif window:
        query = query.where(*window)
    out = []
    for row in session.execute(query):
        day = row.started_at.astimezone(tz).date()
        outside = (since is not None and day < since) or (until is not None and day > until)
        if outside and row.planned_session_id not in naming:
            continue
        # The facts stored on the log's row (derived now for a row stored before them).
        walked_s, backward_s, events = row.walked_s, row.backward_s, row.events
        if (row.facts_version or 0) < FACTS_VERSION:
            log = session.get(_LOG, row.id)
            assert log is not None
            facts = derive_facts(log)
            walked_s, backward_s, events = facts.walked_s, facts.backward_s, facts.events
        flags = {symptom for bit, symptom in enumerate(EVENT_BITS) if events >> bit & 1}
        if row.stop_reason in _SYMPTOM_IDS:
            flags.add(Symptom(row.stop_reason))
        out.append(
            _Walked(
                id=row.id,
                day=day,
                planned_session_id=row.planned_session_id,
                walking_s=walked_s,
                backward_s=backward_s,
                symptoms=frozenset(flags),
            )
        )
    return out


def walked_days(
    session: Session, *, tz: tzinfo, since: date | None = None, until: date | None = None
) -> list[WalkedDay]:
    """Every local day with a walked session, oldest first (a history calendar's marks).

    Parameters
    ----------
    tz
        The walker's time zone (days are local days).
    since, until
        First and last local day to include (``None``: no limit).
    """
    by_day: dict[date, list[_Walked]] = defaultdict(list)
    for log in _walked_logs(session, tz, since, until):
        by_day[log.day].append(log)
    return [
        WalkedDay(
            day=day,
            sessions=len(logs),
            walking_s=sum(log.walking_s for log in logs),
            backward_s=sum(log.backward_s for log in logs),
            symptoms=tuple(s for s in Symptom if any(s in log.symptoms for log in logs)),
            log_ids=tuple(log.id for log in logs),
        )
        for day, logs in sorted(by_day.items())
    ]


def _planned_backward_s(session: Session, ids: Iterable[str]) -> dict[str, float]:
    segment = models.PlannedSegmentRow
    rows = session.execute(
        select(segment.planned_session_id, func.sum(segment.duration_s))
        .where(segment.planned_session_id.in_(list(ids)))
        .where(segment.direction == Direction.BACKWARD.value)
        .group_by(segment.planned_session_id)
    ).all()
    return {str(planned_id): float(total or 0.0) for planned_id, total in rows}


def statuses_of(
    session: Session,
    planned: Sequence[models.PlannedSession],
    *,
    today: date,
    tz: tzinfo,
) -> list[PlannedSessionStatus]:
    """The state of each planned session row (same order)."""
    if not planned:
        return []
    first = min(p.scheduled_on for p in planned)
    last = max(p.scheduled_on for p in planned)
    ids = {p.id for p in planned}
    # The days planned, and a session walked later naming its planned session.
    logs = _walked_logs(session, tz, first, last, naming=ids)
    # A session marked skipped is not matched to the day's other walking.
    by_day = {p.scheduled_on: p.id for p in planned if p.status != "skipped"}
    counted: dict[str, list[_Walked]] = defaultdict(list)
    for log in logs:
        if log.planned_session_id in ids:
            counted[log.planned_session_id].append(log)
        elif log.planned_session_id is None and first <= log.day <= last and log.day in by_day:
            counted[by_day[log.day]].append(log)
    backward = _planned_backward_s(session, ids)
    out = []
    for p in planned:
        mine = counted.get(p.id, [])
        walked_s = sum(log.backward_s for log in mine)
        state = session_state(
            planned_backward_s=backward.get(p.id, 0.0),
            walked_backward_s=walked_s,
            walked=bool(mine),
            scheduled_on=p.scheduled_on,
            today=today,
        )
        if not mine and p.status == "done":  # marked done with no log to judge (e.g. imported)
            state = SessionState.DONE
        out.append(
            PlannedSessionStatus(
                session_id=p.id,
                scheduled_on=p.scheduled_on,
                title=p.title,
                state=state,
                planned_backward_s=backward.get(p.id, 0.0),
                walked_backward_s=walked_s,
                log_ids=tuple(log.id for log in mine),
            )
        )
    return out


def planned_session_statuses(
    session: Session, *, today: date, tz: tzinfo, plan_id: str | None = None
) -> list[PlannedSessionStatus]:
    """Every session of a plan (default: the current one) as done, partly done, missed or
    planned, in plan order; empty without a plan."""
    if plan_id is None:
        row = current_plan_row(session)
        if row is None:
            return []
        plan_id = row.id
    rows = session.scalars(
        select(models.PlannedSession)
        .where(models.PlannedSession.plan_id == plan_id)
        .where(models.PlannedSession.status.in_(("planned", "done")))
        .order_by(models.PlannedSession.position)
    ).all()
    return statuses_of(session, rows, today=today, tz=tz)
