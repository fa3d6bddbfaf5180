"""What a session log is made of, as typed, played or sent, and its validation (pure).

Every error raises :class:`~retrowalk.errors.InvalidInputError` naming the field (``rpe``,
``pain_0_10``, ``started_at``, ``segments[2].duration_s`` ...). Units are SI (seconds, m/s,
percent grade) and times are timezone-aware UTC.

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
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any, Final, Literal, get_args

from sqlalchemy import String

from retrowalk.energy.model import GRADE_PCT_MAX, GRADE_PCT_MIN, SPEED_M_S_MAX
from retrowalk.errors import InvalidInputError
from retrowalk.limits import DATE_MAX, DATE_MIN, PAIN_MAX, PAIN_MIN
from retrowalk.plans.model import BORG_MAX, BORG_MIN, CR10_MAX, CR10_MIN
from retrowalk.segments import MAX_SEGMENT_DURATION_S
from retrowalk.sessions import StopReason
from retrowalk.sessions.player import NOTE_MAX_CHARS
from retrowalk.sessions.quick import parse_quick
from retrowalk.store import models
from retrowalk.timeutil import ensure_utc, local_zone, utcnow
from retrowalk.units import parse_grade_pct, parse_speed_m_s
from retrowalk.vocabulary import (
    WALKED_STATUSES,
    Direction,
    Environment,
    LogStatus,
    RpeScale,
    SegmentKind,
    Support,
    Symptom,
)

LogSource = Literal["manual", "guided", "quick", "import"]

#: Shortest id prefix accepted where a full id is expected (8 hex digits are shown in lists).
ID_PREFIX_MIN_CHARS: Final = 6
#: Longest note accepted with a log or a ratings report (same bound as a stop note).
NOTES_MAX_CHARS: Final = NOTE_MAX_CHARS
#: Longest pain location accepted: the width of the stored column.
_PAIN_LOCATION_TYPE = models.SymptomReport.__table__.c.pain_location.type
assert isinstance(_PAIN_LOCATION_TYPE, String)
assert _PAIN_LOCATION_TYPE.length is not None
PAIN_LOCATION_MAX_CHARS: Final[int] = _PAIN_LOCATION_TYPE.length

_EPSILON_S = 1e-6


class Unset(Enum):
    UNSET = "unset"


#: "Leave this field as it is" in :func:`edit_log`.
UNSET: Final = Unset.UNSET


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
    rpe_scale: RpeScale | str = RpeScale.BORG_6_20
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
        return dataclasses.asdict(self)


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
    status: LogStatus | str = LogStatus.COMPLETED
    stop_reason: StopReason | str | None = None
    planned_session_id: str | None = None
    notes: str = ""
    duration_s: float | None = None
    ended_at: datetime | None = None

    @property
    def total_s(self) -> float:
        """Seconds walked: the sum of the segments."""
        return float(sum(s.duration_s for s in self.segments))


# -- validation --------------------------------------------------------------------------------


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


def check_notes(value: object, field: str = "notes") -> str:
    """Notes of a log or a ratings report: text of at most :data:`NOTES_MAX_CHARS`."""
    return _text(value, field, NOTES_MAX_CHARS)


def _flag(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInputError(field, value, "true or false")
    return value


def check_moment(value: object, field: str, *, naive_is_local: bool = False) -> datetime:
    """The one rule for a logged time: a date and time from :data:`~retrowalk.limits.DATE_MIN`
    to :data:`~retrowalk.limits.DATE_MAX`, returned as aware UTC.

    Every entry path (CLI, page form, API, import) goes through it, before any time zone
    arithmetic (year 1 or 9999 overflows in it).

    Parameters
    ----------
    value
        The time given.
    field
        Its name in errors (``started_at``, ``--start``).
    naive_is_local
        Read a time without an offset as the walker's local time (the CLI and the page form);
        otherwise such a time is refused.
    """
    accepted = f"a date and time from {DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}"
    if not isinstance(value, datetime):
        raise InvalidInputError(field, value, accepted)
    if not DATE_MIN <= value.date() <= DATE_MAX:
        raise InvalidInputError(field, value.isoformat(), accepted)
    if value.tzinfo is None and naive_is_local:
        value = value.replace(tzinfo=local_zone())
    return ensure_utc(value, field)


def check_ratings(ratings: RatingsInput) -> RatingsInput:
    """Validate ratings; return them normalised (enum values as plain strings).

    Raises
    ------
    retrowalk.errors.InvalidInputError
        Naming ``rpe_scale``, ``rpe`` (e.g. "a whole number from 6 to 20 on the Borg scale"),
        ``pain_0_10`` ("a whole number from 0 to 10"), ``pain_location``, ``notes`` or a flag.
    """
    if ratings.rpe_scale not in set(RpeScale):
        raise InvalidInputError(
            "rpe_scale", ratings.rpe_scale, "borg6_20 (Borg 6-20) or cr10 (Borg CR10)"
        )
    rpe: float | None = None
    if ratings.rpe is not None:
        if ratings.rpe_scale == RpeScale.BORG_6_20:
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
    for symptom in Symptom:
        _flag(getattr(ratings, symptom), symptom)
    if ratings.form_steady is not None:
        _flag(ratings.form_steady, "form_steady")
    return dataclasses.replace(
        ratings,
        rpe=rpe,
        pain_0_10=pain,
        pain_location=location,
        notes=check_notes(ratings.notes, "ratings.notes"),
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
    started = check_moment(data.started_at, "started_at")
    if started > current:
        raise InvalidInputError("started_at", started.isoformat(), "a time not in the future")
    if data.source not in get_args(LogSource):
        raise InvalidInputError("source", data.source, ", ".join(get_args(LogSource)))
    if data.status not in WALKED_STATUSES:
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
        ended = check_moment(ended, "ended_at")
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
        notes=check_notes(data.notes),
        duration_s=duration_s,
        ended_at=ended,
    )


@dataclass(frozen=True, slots=True)
class SpecFields:
    """The names :func:`segments_from_spec` gives its inputs in errors (CLI options, form
    fields)."""

    spec: str = "quick"
    environment: str = "environment"
    support: str = "support"
    speed: str = "speed"
    grade: str = "grade"


def segments_from_spec(
    spec: str,
    *,
    environment: str,
    support: str | None = None,
    speed: str | None = None,
    grade: str | None = None,
    fields: SpecFields = SpecFields(),
) -> tuple[SegmentInput, ...]:
    """Walked segments from a quick spec (``"5x(1m back, 1m fwd)"``) and where and how they
    were walked, as the CLI's ``--segment``/``--quick`` options and the log form give them.

    ``speed`` is typed with its unit (``"1mph"``): a treadmill session needs one (its belt
    speed); overground it is the walking speed, if known. ``support`` ``None``: the usual one
    for the place.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        Naming the input by ``fields``.
    """
    try:
        place = Environment(environment)
    except ValueError:
        accepted = "one of " + ", ".join(e.value for e in Environment)
        raise InvalidInputError(fields.environment, environment, accepted) from None
    try:
        held = None if support is None else Support(support)
    except ValueError:
        accepted = "one of " + ", ".join(s.value for s in Support)
        raise InvalidInputError(fields.support, support, accepted) from None
    speed_m_s = None if speed is None else parse_speed_m_s(speed, fields.speed)
    grade_pct = 0.0 if grade is None else parse_grade_pct(grade, fields.grade)
    if place.is_treadmill and speed_m_s is None:
        raise InvalidInputError(
            fields.speed, None, "the belt speed of a treadmill session, e.g. 1mph"
        )
    try:
        planned = parse_quick(
            spec,
            environment=place,
            support=held,
            speed_target_m_s=speed_m_s,
            speed_limit_m_s=speed_m_s if place.is_treadmill else None,
        )
    except InvalidInputError as exc:
        if exc.field != "quick":
            raise
        raise InvalidInputError(fields.spec, exc.value, exc.accepted) from None
    return tuple(
        SegmentInput(
            direction=s.direction.value,
            duration_s=s.duration_s,
            environment=s.environment.value,
            support=s.support.value,
            speed_m_s=speed_m_s,
            grade_pct=grade_pct,
            kind=s.kind.value,
        )
        for s in planned
    )
