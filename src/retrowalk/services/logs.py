"""Session logs: validate a walked session, cost it, store it and feed the plan.

The CLI (``retrowalk log ...``, the guided player) and the web app call only these functions.
Every function takes an open SQLAlchemy session (a unit of work from
:meth:`retrowalk.services.database.Database.transaction`) and stores nothing unless all the input
is valid: validation runs before the first write, and an error raises
:class:`~retrowalk.errors.InvalidInputError` naming the field (``rpe``, ``pain_0_10``,
``started_at``, ``segments[2].duration_s`` ...).

Units are SI inside (seconds, m/s, percent grade) and times are timezone-aware UTC.

Examples
--------
>>> from datetime import UTC, datetime
>>> data = LogInput(
...     started_at=datetime(2026, 3, 1, 9, 0, tzinfo=UTC),
...     segments=(SegmentInput("backward", 120.0, "hallway", "wall_or_rail"),),
...     ratings=RatingsInput(rpe=12, pain_0_10=0),
... )
>>> check_log_input(data, now=datetime(2026, 3, 2, tzinfo=UTC)).total_s
120.0
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum
from functools import cache
from typing import Any, Final, Literal, get_args

from sqlalchemy import String, bindparam, func, select
from sqlalchemy.orm import Session

from retrowalk.energy import SessionEnergy, WalkedSegment, estimate_session
from retrowalk.energy.model import DEFAULT_MODEL, GRADE_PCT_MAX, GRADE_PCT_MIN, SPEED_M_S_MAX
from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.limits import PAIN_MAX, PAIN_MIN
from retrowalk.plans import PlanChange, adapt
from retrowalk.plans.model import BORG_MAX, BORG_MIN, CR10_MAX, CR10_MIN
from retrowalk.segments import MAX_SEGMENT_DURATION_S
from retrowalk.services.logfacts import store_facts
from retrowalk.services.loggroups import log_generation, note_new_log
from retrowalk.services.plans import outcome_for_log, plan_of, record_outcome
from retrowalk.services.readiness import StoredProfile, current_profile
from retrowalk.sessions import StopReason
from retrowalk.sessions.player import NOTE_MAX_CHARS
from retrowalk.store import models
from retrowalk.store.rows import insert_rows
from retrowalk.store.types import AnySelect, UTCDateTime
from retrowalk.timeutil import ensure_utc, utcnow
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

__all__ = [
    "ID_PREFIX_MIN_CHARS",
    "NOTES_MAX_CHARS",
    "PAIN_LOCATION_MAX_CHARS",
    "UNSET",
    "LogInput",
    "LogSource",
    "LogStatus",
    "LogView",
    "PlanChangeView",
    "RatingsInput",
    "RpeScale",
    "SegmentInput",
    "SegmentView",
    "add_log",
    "check_log_input",
    "check_ratings",
    "delete_log",
    "edit_log",
    "get_log",
    "list_logs",
    "resolve_planned_session_id",
]

RpeScale = Literal["borg6_20", "cr10"]
LogSource = Literal["manual", "guided", "quick", "import"]
LogStatus = Literal["completed", "stopped"]

#: Shortest id prefix accepted where a full id is expected (8 hex digits are shown in lists).
ID_PREFIX_MIN_CHARS: Final = 6
#: Longest note accepted with a log or a ratings report (same bound as a stop note).
NOTES_MAX_CHARS: Final = NOTE_MAX_CHARS
#: Longest pain location accepted: the width of the stored column.
_PAIN_LOCATION_TYPE = models.SymptomReport.__table__.c.pain_location.type
assert isinstance(_PAIN_LOCATION_TYPE, String)
assert _PAIN_LOCATION_TYPE.length is not None
PAIN_LOCATION_MAX_CHARS: Final[int] = _PAIN_LOCATION_TYPE.length

#: Statuses of logs that are walked sessions (shown by :func:`list_logs`).
_WALKED = ("completed", "stopped")
_EPSILON_S = 1e-6


class _Unset(Enum):
    UNSET = "unset"


#: "Leave this field as it is" in :func:`edit_log`.
UNSET: Final = _Unset.UNSET


@dataclass(frozen=True, slots=True)
class SegmentInput:
    """One walked segment, as typed or as played.

    Parameters
    ----------
    direction
        ``"forward"`` or ``"backward"`` (a :class:`~retrowalk.vocabulary.Direction`).
    duration_s
        Time walked in s (above 0, at most 4 h).
    environment
        Where it was walked (:class:`~retrowalk.vocabulary.Environment` value).
    support
        What the walker held (:class:`~retrowalk.vocabulary.Support` value).
    speed_m_s
        Walking or belt speed in m/s; ``None`` when unknown (overground, self-paced): the segment
        then has no energy figure rather than a guessed one.
    grade_pct
        Grade in percent (0 = level, negative = downhill).
    completed
        Whether the segment was walked to its planned end (``False`` when skipped or stopped in).
    kind
        Role in the session (:class:`~retrowalk.vocabulary.SegmentKind` value), or ``None``.
    """

    direction: Direction | str
    duration_s: float
    environment: Environment | str
    support: Support | str
    speed_m_s: float | None = None
    grade_pct: float = 0.0
    completed: bool = True
    kind: SegmentKind | str | None = None

    @classmethod
    def of(cls, source: Any) -> SegmentInput:
        """A segment input read from any object with the same attribute names (an API body,
        a page form, a stored segment row)."""
        return cls(
            direction=source.direction,
            duration_s=source.duration_s,
            environment=source.environment,
            support=source.support,
            speed_m_s=source.speed_m_s,
            grade_pct=source.grade_pct,
            completed=source.completed,
            kind=source.kind,
        )


@dataclass(frozen=True, slots=True)
class RatingsInput:
    """How the session felt: exertion, pain and safety events.

    Parameters
    ----------
    rpe
        Rating of perceived exertion, or ``None`` if not given: a whole number from 6 to 20 on
        the Borg scale, or 0 to 10 on the CR10 scale (``rpe_scale``).
    rpe_scale
        ``"borg6_20"`` or ``"cr10"``.
    pain_0_10
        Worst pain during or after the session, a whole number from 0 to 10, or ``None``.
    pain_location
        Where it hurt (free text, e.g. ``"right knee"``).
    dizziness, near_fall, fall, chest_pain, fainting
        Symptoms and events during the session.
    form_steady
        Whether form felt steady (eyes forward, small even steps, no grabbing); ``None`` if not
        asked. Needed by the plan before any speed increase or move outdoors.
    notes
        Free text about the symptoms.
    """

    rpe: float | None = None
    rpe_scale: RpeScale | str = "borg6_20"
    pain_0_10: int | None = None
    pain_location: str | None = None
    dizziness: bool = False
    near_fall: bool = False
    fall: bool = False
    chest_pain: bool = False
    fainting: bool = False
    form_steady: bool | None = None
    notes: str = ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the same keys as the parameters."""
        return _fields(self)


@dataclass(frozen=True, slots=True)
class LogInput:
    """A session to log.

    Parameters
    ----------
    started_at
        When the session started: timezone-aware, not in the future.
    segments
        The segments walked, in order (at least one unless the session was stopped before any).
    ratings
        How it felt, or ``None`` when not reported.
    source
        ``"manual"`` (typed in), ``"guided"`` (a planned session played) or ``"quick"``.
    status
        ``"completed"`` or ``"stopped"`` (ended early).
    stop_reason
        Why it was stopped (:class:`~retrowalk.sessions.StopReason` value); only with
        ``status="stopped"``; ``None`` when unknown (e.g. interrupted).
    planned_session_id
        The planned session this log fulfils, or ``None``.
    notes
        Free text about the session.
    duration_s
        The session's length in s, if given: no segment may be longer, and the segments may not
        add up to more. ``None``: the sum of the segments.
    ended_at
        When it ended; ``None``: ``started_at`` plus ``duration_s`` (or the segments' sum).
    """

    started_at: datetime
    segments: tuple[SegmentInput, ...]
    ratings: RatingsInput | None = None
    source: LogSource | str = "manual"
    status: LogStatus | str = "completed"
    stop_reason: StopReason | str | None = None
    planned_session_id: str | None = None
    notes: str = ""
    duration_s: float | None = None
    ended_at: datetime | None = None

    @property
    def total_s(self) -> float:
        """Seconds walked: the sum of the segments."""
        return float(sum(s.duration_s for s in self.segments))


def _fields(view: Any) -> dict[str, Any]:
    """A flat view's fields by name. ``dataclasses.asdict`` would deep-copy every value (the
    energy documents too), which costs more than the rest of a log's response."""
    return {field.name: getattr(view, field.name) for field in dataclasses.fields(view)}


@dataclass(frozen=True, slots=True)
class PlanChangeView:
    """What a logged session changed in the plan, and why."""

    action: str
    reason: str
    rule_id: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return _fields(self)


@dataclass(frozen=True, slots=True)
class SegmentView:
    """A stored segment with its energy (``None`` when it could not be costed)."""

    position: int
    kind: str | None
    direction: str
    duration_s: float
    speed_m_s: float | None
    grade_pct: float
    environment: str
    support: str
    completed: bool
    energy: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return _fields(self)


@dataclass(frozen=True, slots=True)
class LogView:
    """A stored session log as the CLI and web app show it.

    Attributes
    ----------
    id, started_at, ended_at, source, status, stop_reason, planned_session_id, notes
        As stored (times aware UTC).
    segments
        The segments, each with its energy.
    energy
        Session energy: ``energy_kcal`` and ``energy_net_kcal`` as ``{low, central, high}`` or
        ``None``, ``reason`` when there is no total, ``warnings``.
    ratings
        The ratings reported, or ``None``.
    plan_change
        What the plan changed after this log, or ``None`` (no active plan, or not yet fed).
    plan_note
        A sentence about the plan when there is no change to show (e.g. after an edit).
    """

    id: str
    started_at: datetime
    ended_at: datetime | None
    source: str
    status: str
    stop_reason: str | None
    planned_session_id: str | None
    segments: tuple[SegmentView, ...]
    energy: dict[str, Any]
    ratings: RatingsInput | None
    notes: str
    plan_change: PlanChangeView | None
    plan_note: str | None = None

    @property
    def duration_s(self) -> float:
        """Seconds walked."""
        return float(sum(s.duration_s for s in self.segments))

    @property
    def backward_s(self) -> float:
        """Seconds walked backward."""
        return float(sum(s.duration_s for s in self.segments if s.direction == "backward"))

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of a log (``docs/sessions.md``, section "Logging")."""
        return {
            "id": self.id,
            "started_at": self.started_at.isoformat(),
            "ended_at": None if self.ended_at is None else self.ended_at.isoformat(),
            "source": self.source,
            "status": self.status,
            "stop_reason": self.stop_reason,
            "planned_session_id": self.planned_session_id,
            "duration_s": self.duration_s,
            "backward_s": self.backward_s,
            "segments": [s.to_dict() for s in self.segments],
            "energy": self.energy,
            "ratings": None if self.ratings is None else self.ratings.to_dict(),
            "notes": self.notes,
            "plan_change": None if self.plan_change is None else self.plan_change.to_dict(),
            "plan_note": self.plan_note,
        }


# -- validation (pure) ----------------------------------------------------------------------------


def _enum(enum: type[Enum], value: object, field: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        accepted = ", ".join(str(member.value) for member in enum)
        raise InvalidInputError(field, value, f"one of {accepted}") from None


def _real(value: object, field: str, accepted: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(field, value, accepted)
    return float(value)


def _text(value: object, field: str, max_chars: int) -> str:
    if not isinstance(value, str) or len(value) > max_chars:
        raise InvalidInputError(field, value, f"text of at most {max_chars} characters")
    return value


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(field, value, "true or false")
    return value


def check_ratings(ratings: RatingsInput) -> RatingsInput:
    """Validate ratings; return them normalised (enum values as plain strings).

    Raises
    ------
    retrowalk.errors.InvalidInputError
        Naming ``rpe_scale``, ``rpe`` (e.g. "a whole number from 6 to 20 on the Borg scale"),
        ``pain_0_10`` ("a whole number from 0 to 10"), ``pain_location``, ``notes`` or a flag.
    """
    if ratings.rpe_scale not in get_args(RpeScale):
        raise InvalidInputError(
            "rpe_scale", ratings.rpe_scale, "borg6_20 (Borg 6-20) or cr10 (Borg CR10)"
        )
    rpe: float | None = None
    if ratings.rpe is not None:
        if ratings.rpe_scale == "borg6_20":
            accepted = f"a whole number from {BORG_MIN} to {BORG_MAX} on the Borg scale"
            value = _real(ratings.rpe, "rpe", accepted)
            if not (value.is_integer() and BORG_MIN <= value <= BORG_MAX):
                raise InvalidInputError("rpe", ratings.rpe, accepted)
        else:
            accepted = f"a number from {CR10_MIN:g} to {CR10_MAX:g} on the CR10 scale"
            value = _real(ratings.rpe, "rpe", accepted)
            if not CR10_MIN <= value <= CR10_MAX:
                raise InvalidInputError("rpe", ratings.rpe, accepted)
        rpe = value
    pain: int | None = None
    if ratings.pain_0_10 is not None:
        accepted = f"a whole number from {PAIN_MIN} to {PAIN_MAX}"
        value = _real(ratings.pain_0_10, "pain_0_10", accepted)
        if not (value.is_integer() and PAIN_MIN <= value <= PAIN_MAX):
            raise InvalidInputError("pain_0_10", ratings.pain_0_10, accepted)
        pain = int(value)
    location = ratings.pain_location
    if location is not None:
        location = _text(location, "pain_location", PAIN_LOCATION_MAX_CHARS).strip() or None
    for name in ("dizziness", "near_fall", "fall", "chest_pain", "fainting"):
        _flag(getattr(ratings, name), name)
    if ratings.form_steady is not None:
        _flag(ratings.form_steady, "form_steady")
    return dataclasses.replace(
        ratings,
        rpe=rpe,
        pain_0_10=pain,
        pain_location=location,
        notes=_text(ratings.notes, "ratings.notes", NOTES_MAX_CHARS),
    )


def _check_segment(segment: SegmentInput, index: int) -> SegmentInput:
    field = f"segments[{index}]"
    direction = _enum(Direction, segment.direction, f"{field}.direction")
    accepted = f"a duration above 0 and at most {MAX_SEGMENT_DURATION_S:g} s"
    duration = _real(segment.duration_s, f"{field}.duration_s", accepted)
    if not 0 < duration <= MAX_SEGMENT_DURATION_S:
        raise InvalidInputError(f"{field}.duration_s", segment.duration_s, accepted)
    environment = _enum(Environment, segment.environment, f"{field}.environment")
    support = _enum(Support, segment.support, f"{field}.support")
    speed = segment.speed_m_s
    if speed is not None:
        accepted = f"a speed above 0 and at most {SPEED_M_S_MAX:g} m/s, or none"
        speed = _real(speed, f"{field}.speed_m_s", accepted)
        if not 0 < speed <= SPEED_M_S_MAX:
            raise InvalidInputError(f"{field}.speed_m_s", segment.speed_m_s, accepted)
    accepted = f"a grade from {GRADE_PCT_MIN:g} to {GRADE_PCT_MAX:g} %"
    grade = _real(segment.grade_pct, f"{field}.grade_pct", accepted)
    if not GRADE_PCT_MIN <= grade <= GRADE_PCT_MAX:
        raise InvalidInputError(f"{field}.grade_pct", segment.grade_pct, accepted)
    kind = None if segment.kind is None else _enum(SegmentKind, segment.kind, f"{field}.kind")
    return SegmentInput(
        direction=direction.value,
        duration_s=duration,
        environment=environment.value,
        support=support.value,
        speed_m_s=speed,
        grade_pct=grade,
        completed=_flag(segment.completed, f"{field}.completed"),
        kind=None if kind is None else kind.value,
    )


def check_log_input(data: LogInput, *, now: datetime | None = None) -> LogInput:
    """Validate a log without touching the database; return it normalised.

    Times become UTC; enum values become plain strings; ratings are checked with
    :func:`check_ratings`.

    Parameters
    ----------
    data
        The log to check.
    now
        The current time (default :func:`retrowalk.timeutil.utcnow`), for "not in the future".

    Raises
    ------
    retrowalk.errors.InvalidInputError
        Naming the first invalid field: ``started_at`` ("not in the future"), ``segments``,
        ``segments[i].duration_s`` (e.g. longer than the session), ``duration_s``, ``status``,
        ``stop_reason``, ``source``, ``notes``, ``rpe``, ``pain_0_10`` ...
    """
    current = utcnow() if now is None else ensure_utc(now, "now")
    if not isinstance(data.started_at, datetime):
        raise InvalidInputError("started_at", data.started_at, "a timezone-aware date and time")
    started = ensure_utc(data.started_at, "started_at")
    if started > current:
        raise InvalidInputError("started_at", started.isoformat(), "a time not in the future")
    if data.source not in get_args(LogSource):
        raise InvalidInputError("source", data.source, "manual, guided, quick or import")
    if data.status not in get_args(LogStatus):
        raise InvalidInputError("status", data.status, "completed or stopped")
    stop_reason = None
    if data.stop_reason is not None:
        stop_reason = _enum(StopReason, data.stop_reason, "stop_reason").value
        if data.status != "stopped":
            raise InvalidInputError(
                "stop_reason", data.stop_reason, "a stop reason only for a stopped session"
            )
    if not data.segments and data.status != "stopped":
        raise InvalidInputError("segments", [], "at least one walked segment")
    segments = tuple(_check_segment(s, i) for i, s in enumerate(data.segments))
    total_s = sum(s.duration_s for s in segments)
    duration_s = data.duration_s
    if duration_s is not None:
        accepted = "a session length above 0 s"
        duration_s = _real(duration_s, "duration_s", accepted)
        if duration_s <= 0:
            raise InvalidInputError("duration_s", data.duration_s, accepted)
        for i, segment in enumerate(segments):
            if segment.duration_s > duration_s + _EPSILON_S:
                raise InvalidInputError(
                    f"segments[{i}].duration_s",
                    segment.duration_s,
                    f"at most the session's length ({duration_s:g} s)",
                )
        if total_s > duration_s + _EPSILON_S:
            raise InvalidInputError(
                "segments",
                f"{total_s:g} s in all",
                f"segments adding up to at most the session's length ({duration_s:g} s)",
            )
    ended = data.ended_at
    if ended is not None:
        ended = ensure_utc(ended, "ended_at")
        if ended < started:
            raise InvalidInputError("ended_at", ended.isoformat(), "a time after started_at")
    if data.planned_session_id is not None and not isinstance(data.planned_session_id, str):
        raise InvalidInputError("planned_session_id", data.planned_session_id, "an id")
    return dataclasses.replace(
        data,
        started_at=started,
        segments=segments,
        ratings=None if data.ratings is None else check_ratings(data.ratings),
        stop_reason=stop_reason,
        notes=_text(data.notes, "notes", NOTES_MAX_CHARS),
        duration_s=duration_s,
        ended_at=ended,
    )


# -- storage ------------------------------------------------------------------------------------


def _session_mets(result: SessionEnergy) -> dict[str, float] | None:
    """Time-weighted mean gross METs of the session, when every segment has an estimate."""
    parts = [(s.estimate, s.segment.duration_s) for s in result.segments]
    total_s = sum(duration for _estimate, duration in parts)
    if not parts or total_s <= 0 or any(estimate is None for estimate, _d in parts):
        return None
    return {
        end: sum(getattr(e.mets, end) * d for e, d in parts if e is not None) / total_s
        for end in ("low", "central", "high")
    }


def _energy_json(result: SessionEnergy, mass_kg: float, practice: int) -> dict[str, Any]:
    return {
        "energy_kcal": None if result.energy_kcal is None else result.energy_kcal.as_dict(),
        "mets": _session_mets(result),
        "energy_net_kcal": (
            None if result.energy_net_kcal is None else result.energy_net_kcal.as_dict()
        ),
        "reason": result.reason,
        "warnings": list(result.warnings),
        "mass_kg": mass_kg,
        "backward_practice_sessions": practice,
    }


def _segment_energy_json(result: SessionEnergy, index: int) -> dict[str, Any]:
    one = result.segments[index]
    estimate = one.estimate
    return {
        "energy_kcal": None if estimate is None else estimate.energy_kcal.as_dict(),
        "energy_net_kcal": None if estimate is None else estimate.energy_net_kcal.as_dict(),
        "mets": None if estimate is None else estimate.mets.as_dict(),
        "speed_source": one.speed_source,
        "reason": one.reason,
        "warnings": [] if estimate is None else list(estimate.warnings),
    }


def _practice_sessions(session: Session, profile_id: str, before: datetime) -> int:
    """Backward sessions logged before ``before`` (the energy model's practice effect).

    Counted up to one more than the model's ``practice_sessions_full``: the model treats every
    count above that the same way (the effect is held), so the count, and the cost of the
    query, stop growing with the history. A stored value of 13 means "13 or more".
    """
    found = session.connection().execute(
        _practice_query(), {"profile_id": profile_id, "before": before}
    )
    return int(found.scalar() or 0)


# Queries run on every log are built once, with bound parameters, and run on the session's
# connection: building a statement and passing it through the ORM cost several times more
# than SQLite's own work (bench/api_load.py).


@cache
def _practice_query() -> AnySelect:
    at_most = DEFAULT_MODEL.backward.practice_sessions_full + 1
    backward = (
        select(models.SessionSegment.id)
        .where(models.SessionSegment.session_log_id == models.SessionLog.id)
        .where(models.SessionSegment.direction == Direction.BACKWARD.value)
    )
    earlier = (
        select(models.SessionLog.id)
        .where(models.SessionLog.profile_id == bindparam("profile_id"))
        .where(models.SessionLog.status.in_(_WALKED))
        .where(models.SessionLog.started_at < bindparam("before", type_=UTCDateTime))
        .where(backward.exists())
        .order_by(models.SessionLog.started_at.desc())
        .limit(at_most)
        .subquery()
    )
    return select(func.count()).select_from(earlier)


def resolve_planned_session_id(session: Session, id_or_prefix: str) -> str:
    """The full id of a planned session given its id or a unique prefix (>= 6 characters).

    Raises
    ------
    retrowalk.errors.InvalidInputError
        ``field="planned_session_id"`` when no planned session (or more than one) matches.
    """
    return _resolve(session, models.PlannedSession, id_or_prefix, "planned_session_id")


def _resolve(session: Session, model: Any, id_or_prefix: str, field: str) -> str:
    text = id_or_prefix.strip().lower() if isinstance(id_or_prefix, str) else ""
    if len(text) < ID_PREFIX_MIN_CHARS:
        raise InvalidInputError(
            field, id_or_prefix, f"an id or a unique prefix of at least {ID_PREFIX_MIN_CHARS}"
        )
    ids = session.scalars(select(model.id).where(model.id.startswith(text)).limit(2)).all()
    if len(ids) != 1:
        problem = "matches more than one" if ids else "matches nothing"
        raise InvalidInputError(field, id_or_prefix, f"an existing id ({problem})")
    return str(ids[0])


@cache
def _duplicate_query(with_profile: bool, with_own_id: bool) -> AnySelect:
    log = models.SessionLog
    query = select(log.id).where(log.started_at == bindparam("started_at", type_=UTCDateTime))
    if with_profile:
        query = query.where(log.profile_id == bindparam("profile_id"))
    else:
        query = query.where(log.profile_id.is_(None))
    if with_own_id:
        query = query.where(log.id != bindparam("own_id"))
    return query.limit(1)


def _check_duplicate(
    session: Session, profile_id: str | None, started_at: datetime, own_id: str | None
) -> None:
    query = _duplicate_query(profile_id is not None, own_id is not None)
    params = {"started_at": started_at, "profile_id": profile_id, "own_id": own_id}
    if session.connection().execute(query, params).first() is not None:
        raise InvalidInputError(
            "started_at",
            started_at.isoformat(),
            "another start time: a session at that time is already logged",
        )


def _write(
    session: Session,
    row: models.SessionLog,
    data: LogInput,
    profile: StoredProfile | None,
    *,
    new: bool = False,
) -> None:
    """Fill ``row`` from validated ``data``: segments, energy and the symptom report.

    ``profile`` is the stored profile (``None`` before onboarding); it is used only when the log
    belongs to a profile. ``new``: ``row`` was never stored, so it has no children to replace.
    """
    length_s = data.duration_s if data.duration_s is not None else data.total_s
    row.source = str(data.source)
    row.status = str(data.status)
    row.started_at = data.started_at
    row.ended_at = data.ended_at or data.started_at + timedelta(seconds=length_s)
    row.stop_reason = None if data.stop_reason is None else str(data.stop_reason)
    row.planned_session_id = data.planned_session_id
    row.notes = data.notes
    row.updated_at = utcnow()
    row.checkpoint = None
    row.checkpoint_at = None

    if row.profile_id is None:
        profile = None
    result: SessionEnergy | None = None
    practice = 0
    if profile is not None and data.segments:
        practice = _practice_sessions(session, profile.id, data.started_at)
        walked = [
            WalkedSegment(
                direction=Direction(s.direction),
                duration_s=s.duration_s,
                speed_m_s=s.speed_m_s,
                grade_pct=s.grade_pct,
                treadmill=Environment(s.environment).is_treadmill,
            )
            for s in data.segments
        ]
        result = estimate_session(
            walked, profile.profile.mass_kg, backward_practice_sessions=practice
        )
    row.energy = None
    if profile is not None:
        if result is None:
            row.energy = {
                "energy_kcal": {"low": 0.0, "central": 0.0, "high": 0.0},
                "energy_net_kcal": {"low": 0.0, "central": 0.0, "high": 0.0},
                "reason": None,
                "warnings": [],
                "mass_kg": profile.profile.mass_kg,
                "backward_practice_sessions": 0,
            }
        else:
            row.energy = _energy_json(result, profile.profile.mass_kg, practice)

    if not new:
        row.segments.clear()
        row.symptoms.clear()
        session.flush()
    for index, segment in enumerate(data.segments):
        row.segments.append(
            models.SessionSegment(
                position=index,
                kind=None if segment.kind is None else str(segment.kind),
                direction=str(segment.direction),
                duration_s=segment.duration_s,
                speed_m_s=segment.speed_m_s,
                grade_pct=segment.grade_pct,
                environment=str(segment.environment),
                support=str(segment.support),
                completed=segment.completed,
                energy=None if result is None else _segment_energy_json(result, index),
            )
        )
    if data.ratings is not None:
        r = data.ratings
        row.symptoms.append(
            models.SymptomReport(
                recorded_at=utcnow(),
                rpe=r.rpe,
                rpe_scale=str(r.rpe_scale) if r.rpe is not None else None,
                pain_0_10=r.pain_0_10,
                pain_location=r.pain_location,
                dizziness=r.dizziness,
                near_fall=r.near_fall,
                fall=r.fall,
                chest_pain=r.chest_pain,
                fainting=r.fainting,
                form_steady=r.form_steady,
                notes=r.notes,
            )
        )
    store_facts(row)
    if new:
        _insert_new(session, row)
    else:
        session.flush()


def _insert_new(session: Session, row: models.SessionLog) -> None:
    """Insert a new log with its segments and report (see :mod:`retrowalk.store.rows`);
    ``row`` stays out of the session."""
    connection = session.connection()
    insert_rows(connection, [row])
    insert_rows(connection, row.segments, session_log_id=row.id)
    insert_rows(connection, row.symptoms, session_log_id=row.id)


def _validated(session: Session, data: LogInput) -> LogInput:
    checked = check_log_input(data)
    if checked.planned_session_id is not None:
        planned = session.get(models.PlannedSession, checked.planned_session_id)
        if planned is None:
            raise InvalidInputError(
                "planned_session_id", checked.planned_session_id, "the id of a planned session"
            )
    return checked


def add_log(session: Session, data: LogInput, *, in_progress_id: str | None = None) -> LogView:
    """Validate, cost and store a walked session, then let the plan adapt to it.

    Parameters
    ----------
    session
        An open unit of work.
    data
        The session (see :class:`LogInput`).
    in_progress_id
        The id of an in-progress guided log to turn into this log (used by
        :mod:`retrowalk.services.guided`); ``None`` stores a new log.

    Returns
    -------
    LogView
        The stored log, with energy per segment and in all (a range, or the reason there is
        none: no stored profile, or a segment without a speed) and the plan change (action and
        reason) made after it, if there is an active plan.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        For any invalid field (nothing is stored), or ``started_at`` when a session at that time
        is already logged.
    retrowalk.errors.NotFoundError
        When ``in_progress_id`` is not an in-progress log.
    """
    checked = _validated(session, data)
    profile = current_profile(session)
    if in_progress_id is not None:
        row = session.get(models.SessionLog, in_progress_id)
        if row is None or row.status != "in_progress":
            raise NotFoundError(f"no session in progress with id {in_progress_id}")
        profile_id = row.profile_id
    else:
        profile_id = None if profile is None else profile.id
        # Empty collections: the new row has no children to load or replace.
        row = models.SessionLog(
            id=models.new_id(),  # known before the flush: the plan change refers to it
            profile_id=profile_id,
            started_at=checked.started_at,
            segments=[],
            symptoms=[],
        )
    _check_duplicate(session, profile_id, checked.started_at, in_progress_id)
    # A new log updates progress's kept groups (a finished guided log changes its own group).
    before = log_generation(session.connection()) if in_progress_id is None else None
    # Nothing read below depends on this log's own rows before they are written, so they are
    # flushed once at the end rather than before every query.
    with session.no_autoflush:
        _write(session, row, checked, profile, new=in_progress_id is None)
        change = record_outcome(session, row)
    session.flush()
    note_new_log(session, before, row.id)
    return _view(session, row, change)


def _merge_input(row: models.SessionLog) -> LogInput:
    """The stored log as a :class:`LogInput` (for edits)."""
    report = row.symptoms[-1] if row.symptoms else None
    ratings = None
    if report is not None:
        ratings = _ratings_of(report)
    return LogInput(
        started_at=row.started_at,
        segments=tuple(SegmentInput.of(s) for s in row.segments),
        ratings=ratings,
        source=row.source,
        status=row.status,
        stop_reason=row.stop_reason,
        planned_session_id=row.planned_session_id,
        notes=row.notes,
        ended_at=row.ended_at,
    )


def edit_log(
    session: Session,
    log_id: str,
    *,
    ratings: RatingsInput | _Unset | None = UNSET,
    notes: str | _Unset = UNSET,
    segments: Sequence[SegmentInput] | _Unset = UNSET,
    started_at: datetime | _Unset = UNSET,
    duration_s: float | _Unset | None = UNSET,
    status: LogStatus | str | _Unset = UNSET,
    stop_reason: StopReason | str | _Unset | None = UNSET,
) -> LogView:
    """Change a stored log; fields left :data:`UNSET` stay as they are.

    The whole log is validated again as in :func:`add_log` and its energy recomputed. The plan
    was adapted when the session was logged and is not adapted twice, except for safety: when
    the edited log now calls for a regression or a stop (e.g. pain added afterwards), that change
    is made and stored with its reason.

    Raises
    ------
    retrowalk.errors.NotFoundError
        When no walked log has this id or prefix.
    retrowalk.errors.InvalidInputError
        As :func:`add_log`; nothing is changed.
    """
    row = _get_row(session, log_id)
    if row.status not in _WALKED:
        raise NotFoundError(f"log {row.id[:8]} is a session in progress: finish it first")
    data = _merge_input(row)
    changes: dict[str, Any] = {}
    for name, value in (
        ("ratings", ratings),
        ("notes", notes),
        ("started_at", started_at),
        ("duration_s", duration_s),
        ("status", status),
        ("stop_reason", stop_reason),
    ):
        if value is not UNSET:
            changes[name] = value
    if not isinstance(segments, _Unset):
        changes["segments"] = tuple(segments)
    if {"segments", "started_at", "duration_s"} & changes.keys():
        changes["ended_at"] = None
    if changes.get("status") == "completed" and "stop_reason" not in changes:
        changes["stop_reason"] = None
    checked = _validated(session, dataclasses.replace(data, **changes))
    _check_duplicate(session, row.profile_id, checked.started_at, row.id)
    _write(session, row, checked, current_profile(session))
    change = None
    note: str | None = (
        "The plan was adapted when this session was logged; the edit does not change it again."
    )
    plan = session.scalars(
        select(models.Plan)
        .where(models.Plan.status == "active")
        .order_by(models.Plan.created_at.desc())
    ).first()
    if plan is not None and row.profile_id is not None and row.status in _WALKED:
        state = plan_of(plan).state
        if adapt(state, outcome_for_log(row), ()).action in ("regress", "stop"):
            change = record_outcome(session, row)
            note = None
    view = _view(session, row)
    return dataclasses.replace(view, plan_note=note) if change is None else view


def delete_log(session: Session, log_id: str) -> None:
    """Delete a log (any status) with its segments and ratings.

    Plan changes it caused stay in the plan's history (their link to the log is cleared).

    Raises
    ------
    retrowalk.errors.NotFoundError
        When no log has this id or prefix.
    """
    row = _get_row(session, log_id)
    session.delete(row)
    session.flush()


def _get_row(session: Session, id_or_prefix: str) -> models.SessionLog:
    text = id_or_prefix.strip().lower() if isinstance(id_or_prefix, str) else ""
    if len(text) < ID_PREFIX_MIN_CHARS:
        raise NotFoundError(
            f"no session log {id_or_prefix!r}: give its id or a unique prefix of at least "
            f"{ID_PREFIX_MIN_CHARS} characters ('retrowalk log list' shows them)"
        )
    rows = session.scalars(
        select(models.SessionLog).where(models.SessionLog.id.startswith(text)).limit(2)
    ).all()
    if len(rows) != 1:
        problem = "matches more than one log; give more characters" if rows else "matches nothing"
        raise NotFoundError(f"no session log {id_or_prefix!r}: it {problem}")
    return rows[0]


def get_log(session: Session, id_or_prefix: str) -> LogView:
    """One log by id or unique id prefix (at least :data:`ID_PREFIX_MIN_CHARS` characters).

    Raises
    ------
    retrowalk.errors.NotFoundError
        When the prefix is too short, matches nothing or matches more than one log.
    """
    return _view(session, _get_row(session, id_or_prefix))


def list_logs(
    session: Session, *, limit: int | None = None, include_unfinished: bool = False
) -> list[LogView]:
    """Walked sessions, newest first.

    Parameters
    ----------
    limit
        At most this many (``None``: all).
    include_unfinished
        Also list sessions in progress and abandoned ones.
    """
    query = select(models.SessionLog).order_by(models.SessionLog.started_at.desc())
    if not include_unfinished:
        query = query.where(models.SessionLog.status.in_(_WALKED))
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInputError("limit", limit, "a whole number of at least 1")
        query = query.limit(limit)
    return [_view(session, row) for row in session.scalars(query)]


# -- views --------------------------------------------------------------------------------------


def _ratings_of(report: models.SymptomReport) -> RatingsInput:
    return RatingsInput(
        rpe=report.rpe,
        rpe_scale=report.rpe_scale or "borg6_20",
        pain_0_10=report.pain_0_10,
        pain_location=report.pain_location,
        dizziness=report.dizziness,
        near_fall=report.near_fall,
        fall=report.fall,
        chest_pain=report.chest_pain,
        fainting=report.fainting,
        form_steady=report.form_steady,
        notes=report.notes,
    )


_NO_PROFILE = (
    "no energy figure: no profile (body mass) was stored when this session was logged; "
    "run 'retrowalk plan new --profile FILE' first"
)


class _Latest(Enum):
    READ = "read"


def _view(
    session: Session,
    row: models.SessionLog,
    change: PlanChange | models.PlanChange | _Latest | None = _Latest.READ,
) -> LogView:
    """The log as shown, with the latest plan change it caused: ``change`` when the caller has
    just made it (``None``: none), otherwise read from the database."""
    if isinstance(change, _Latest):
        change = session.scalars(
            select(models.PlanChange)
            .where(models.PlanChange.session_log_id == row.id)
            .order_by(models.PlanChange.created_at.desc())
        ).first()
    energy = row.energy or {
        "energy_kcal": None,
        "energy_net_kcal": None,
        "reason": _NO_PROFILE if row.status in _WALKED else None,
        "warnings": [],
    }
    return LogView(
        id=row.id,
        started_at=row.started_at,
        ended_at=row.ended_at,
        source=row.source,
        status=row.status,
        stop_reason=row.stop_reason,
        planned_session_id=row.planned_session_id,
        segments=tuple(
            SegmentView(
                position=s.position,
                kind=s.kind,
                direction=s.direction,
                duration_s=s.duration_s,
                speed_m_s=s.speed_m_s,
                grade_pct=s.grade_pct,
                environment=s.environment,
                support=s.support,
                completed=s.completed,
                energy=s.energy,
            )
            for s in row.segments
        ),
        energy=energy,
        ratings=_ratings_of(row.symptoms[-1]) if row.symptoms else None,
        notes=row.notes,
        plan_change=None
        if change is None
        else PlanChangeView(
            action=change.action,
            reason=change.reason,
            rule_id=change.rule_id,
            source=change.source,
        ),
    )
