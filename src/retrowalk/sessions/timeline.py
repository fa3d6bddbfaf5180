"""The session timeline: a frozen, JSON-serialisable schedule of every cue of a guided session.

Time axis
---------
Every time in a timeline is **session time in seconds since the run starts** (the moment the
walker presses start, :meth:`retrowalk.sessions.player.SessionRun.start`), not counting pauses.
The countdown occupies ``[0, countdown_s)``; segment 0 starts at ``countdown_s``; each segment
starts where the previous one ends; the session ends at ``total_s``. The pre-session safety
checklist (``Timeline.safety_checks``) is confirmed *before* start and has no time.

Cue placement rules (constants below, reasons in ``docs/evidence.md``)
---------------------------------------------------------------------
- At 0: the spoken safety reminder, then "Starting in N seconds" (if the countdown is longer than
  the 3-2-1 ticks), then "3", "2", "1" at ``countdown_s - 3``, ``- 2``, ``- 1``.
- Every segment: one start cue at its start (kind ``cool_down`` for the first segment of a
  cool-down, else ``segment_start``) and one ``segment_end`` cue at its end. At a boundary the
  end of one segment comes before the start of the next.
- ``thirty_seconds_left``: 30 s before the end, only in segments longer than
  ``THIRTY_SECONDS_MIN_SEGMENT_S``.
- ``halfway``: only in segments of at least ``HALFWAY_MIN_SEGMENT_S``, and dropped when it would
  come less than ``CUE_MIN_GAP_S`` before the "thirty seconds left" cue.
- ``technique``: during backward segments (or any segment whose plan lists cues), first
  ``TECHNIQUE_FIRST_S`` after the start and then every ``technique_interval_s``; a reminder that
  would come within ``CUE_MIN_GAP_S`` of any other cue is dropped, not moved.
- ``end`` at ``total_s``, after the last ``segment_end``.

Events with the same time are ordered by kind: safety, countdown, segment_end, segment start
(or cool-down), halfway, thirty seconds left, technique, end.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, get_args

from retrowalk.errors import InvalidInputError
from retrowalk.segments import PlannedSegment
from retrowalk.sessions import cues
from retrowalk.sessions.cues import Units, check_units
from retrowalk.vocabulary import Direction, Environment, SegmentKind, SpeedUnit, Support

__all__ = [
    "BELLS_FOR_SOUND",
    "COUNTDOWN_MAX_S",
    "COUNTDOWN_S",
    "COUNTDOWN_TICKS",
    "CUE_KINDS",
    "CUE_MIN_GAP_S",
    "HALFWAY_MIN_SEGMENT_S",
    "SCHEMA_VERSION",
    "SOUNDS",
    "SOUND_FOR_KIND",
    "TECHNIQUE_FIRST_S",
    "TECHNIQUE_INTERVAL_MAX_S",
    "TECHNIQUE_INTERVAL_MIN_S",
    "TECHNIQUE_INTERVAL_S",
    "THIRTY_SECONDS_LEFT_S",
    "THIRTY_SECONDS_MIN_SEGMENT_S",
    "CueEvent",
    "CueKind",
    "Sound",
    "Timeline",
    "TimelineSegment",
    "build_timeline",
]

#: Kinds of cue, in their order of precedence at equal times.
CueKind = Literal[
    "safety",
    "countdown",
    "segment_end",
    "segment_start",
    "cool_down",
    "halfway",
    "thirty_seconds_left",
    "technique",
    "end",
]
CUE_KINDS: tuple[CueKind, ...] = get_args(CueKind)

#: Named sound patterns for players without speech (terminal bell, browser beep).
Sound = Literal["attention", "tick", "start", "half", "warn", "soft", "stop", "end"]
SOUNDS: tuple[Sound, ...] = get_args(Sound)

#: The sound of each cue kind.
SOUND_FOR_KIND: Mapping[CueKind, Sound] = {
    "safety": "attention",
    "countdown": "tick",
    "segment_end": "stop",
    "segment_start": "start",
    "cool_down": "start",
    "halfway": "half",
    "thirty_seconds_left": "warn",
    "technique": "soft",
    "end": "end",
}

#: Terminal bells per sound for the text-only fallback. A technique reminder rings none: a bell
#: cannot say "eyes forward", and a stray bell mid-interval would be mistaken for a switch.
BELLS_FOR_SOUND: Mapping[Sound, int] = {
    "attention": 2,
    "tick": 1,
    "start": 2,
    "half": 1,
    "warn": 3,
    "soft": 0,
    "stop": 1,
    "end": 3,
}

_PRIORITY = {kind: rank for rank, kind in enumerate(CUE_KINDS)}
_PRIORITY["cool_down"] = _PRIORITY["segment_start"]

#: Default countdown from start to the first segment, in s: room for the ~3 s safety reminder,
#: "Starting in 10 seconds" and a 3-2-1 count. Design choice.
COUNTDOWN_S = 10
#: Longest countdown accepted, in s.
COUNTDOWN_MAX_S = 60
#: The countdown ends with this many one-second ticks ("3", "2", "1").
COUNTDOWN_TICKS = 3
#: Segments shorter than this get no halfway cue (s).
HALFWAY_MIN_SEGMENT_S = 60.0
#: The "thirty seconds left" cue comes this long before a segment ends (s).
THIRTY_SECONDS_LEFT_S = 30.0
#: Only segments *longer* than this get a "thirty seconds left" cue (s); in a 60 s segment it would
#: fall on the halfway cue.
THIRTY_SECONDS_MIN_SEGMENT_S = 60.0
#: Least time between an optional cue (halfway, technique) and any other cue (s): the longest
#: segment-start sentence takes about 5-6 s at espeak-ng's default 175 words per minute.
CUE_MIN_GAP_S = 8.0
#: First technique reminder, after the segment start (s): once the walker has turned and settled.
TECHNIQUE_FIRST_S = 15.0
#: Default interval between technique reminders in a segment (s). Design choice.
TECHNIQUE_INTERVAL_S = 60.0
#: Bounds for ``technique_interval_s``: closer than two gaps would always collide.
TECHNIQUE_INTERVAL_MIN_S = 2 * CUE_MIN_GAP_S
TECHNIQUE_INTERVAL_MAX_S = 600.0
#: Version of the JSON shape written by :meth:`Timeline.to_dict`.
SCHEMA_VERSION = 1

_SCHEMA = "retrowalk.timeline"


def _bad(what: str, value: object, accepted: str) -> InvalidInputError:
    return InvalidInputError(f"timeline.{what}", value, accepted)


def _number(data: Mapping[str, Any], key: str, *, optional: bool = False) -> Any:
    value = data[key]
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad(key, value, "a finite number")
    return float(value)


def _text(data: Mapping[str, Any], key: str) -> str:
    value = data[key]
    if not isinstance(value, str):
        raise _bad(key, value, "a string")
    return value


@dataclass(frozen=True, slots=True)
class CueEvent:
    """One cue: what to say (and ring) when.

    Parameters
    ----------
    at_s
        Session time of the cue in s since start, pauses excluded (see the module docstring).
    kind
        What the cue is for (one of :data:`CUE_KINDS`).
    text
        The sentence to show and speak.
    segment_index
        Index of the segment the cue belongs to; ``None`` for safety, countdown and end cues.
    sound
        Named sound pattern (one of :data:`SOUNDS`) for players without speech.
    """

    at_s: float
    kind: CueKind
    text: str
    segment_index: int | None
    sound: Sound

    def to_dict(self) -> dict[str, Any]:
        """The cue as a JSON-ready dict."""
        return {
            "at_s": self.at_s,
            "kind": self.kind,
            "text": self.text,
            "segment_index": self.segment_index,
            "sound": self.sound,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CueEvent:
        """Read a cue written by :meth:`to_dict`."""
        kind = data["kind"]
        sound = data["sound"]
        index = data["segment_index"]
        if kind not in CUE_KINDS:
            raise _bad("kind", kind, ", ".join(CUE_KINDS))
        if sound not in SOUNDS:
            raise _bad("sound", sound, ", ".join(SOUNDS))
        if index is not None and (isinstance(index, bool) or not isinstance(index, int)):
            raise _bad("segment_index", index, "an integer or null")
        return cls(_number(data, "at_s"), kind, _text(data, "text"), index, sound)


@dataclass(frozen=True, slots=True)
class TimelineSegment:
    """A planned segment placed on the session time axis.

    Parameters
    ----------
    index
        Position in the session, from 0.
    start_s
        Session time at which it starts (s).
    end_s
        Session time at which it ends (s); ``start_s + planned.duration_s``.
    planned
        The planned segment itself.
    """

    index: int
    start_s: float
    end_s: float
    planned: PlannedSegment

    @property
    def duration_s(self) -> float:
        """Planned duration in s."""
        return self.planned.duration_s

    @property
    def direction(self) -> Direction:
        """Walking direction."""
        return self.planned.direction

    @property
    def kind(self) -> SegmentKind:
        """Role of the segment in the session."""
        return self.planned.kind

    def to_dict(self) -> dict[str, Any]:
        """The segment as a flat JSON-ready dict (the planned fields next to the times)."""
        p = self.planned
        return {
            "index": self.index,
            "start_s": self.start_s,
            "end_s": self.end_s,
            "kind": p.kind.value,
            "direction": p.direction.value,
            "duration_s": p.duration_s,
            "environment": p.environment.value,
            "support": p.support.value,
            "speed_target_m_s": p.speed_target_m_s,
            "speed_limit_m_s": p.speed_limit_m_s,
            "grade_pct": p.grade_pct,
            "cues": list(p.cues),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TimelineSegment:
        """Read a segment written by :meth:`to_dict`."""
        index = data["index"]
        if isinstance(index, bool) or not isinstance(index, int):
            raise _bad("segments.index", index, "an integer")
        raw_cues = data["cues"]
        if not isinstance(raw_cues, list) or not all(isinstance(c, str) for c in raw_cues):
            raise _bad("segments.cues", raw_cues, "a list of strings")
        planned = PlannedSegment(
            kind=SegmentKind(data["kind"]),
            direction=Direction(data["direction"]),
            duration_s=_number(data, "duration_s"),
            environment=Environment(data["environment"]),
            support=Support(data["support"]),
            speed_target_m_s=_number(data, "speed_target_m_s", optional=True),
            speed_limit_m_s=_number(data, "speed_limit_m_s", optional=True),
            grade_pct=_number(data, "grade_pct"),
            cues=tuple(raw_cues),
        )
        return cls(index, _number(data, "start_s"), _number(data, "end_s"), planned)


@dataclass(frozen=True, slots=True)
class Timeline:
    """The full cue schedule of one guided session. Build it with :func:`build_timeline`.

    Parameters
    ----------
    events
        Every cue, sorted by ``at_s`` (ties ordered by kind, see the module docstring).
    segments
        The segments on the session time axis, contiguous, in order.
    total_s
        Session length in s, countdown included: the end of the last segment.
    safety_checks
        Pre-session checklist, confirmed before start (texts of
        :func:`retrowalk.sessions.cues.safety_checks_for`).
    countdown_s
        Countdown length in s; segment 0 starts at this session time.
    units
        Speed unit used in the texts (``"mph"`` or ``"km/h"``).
    technique_interval_s
        Interval between technique reminders in s, or ``None`` if they were switched off.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        ``field="timeline.<part>"`` if the parts are inconsistent (only possible when built by hand
        or read from edited JSON).
    """

    events: tuple[CueEvent, ...]
    segments: tuple[TimelineSegment, ...]
    total_s: float
    safety_checks: tuple[str, ...]
    countdown_s: int = COUNTDOWN_S
    units: Units = SpeedUnit.MPH
    technique_interval_s: float | None = TECHNIQUE_INTERVAL_S

    def __post_init__(self) -> None:
        if not self.segments:
            raise _bad("segments", (), "at least one segment")
        expected_start = float(self.countdown_s)
        for i, seg in enumerate(self.segments):
            if seg.index != i or seg.start_s != expected_start:
                raise _bad("segments", seg.index, f"segment {i} starting at {expected_start} s")
            if seg.end_s != seg.start_s + seg.duration_s:
                raise _bad("segments", seg.end_s, "end_s = start_s + duration_s")
            expected_start = seg.end_s
        if self.total_s != expected_start:
            raise _bad("total_s", self.total_s, f"the end of the last segment, {expected_start}")
        previous = 0.0
        for event in self.events:
            if not previous <= event.at_s <= self.total_s:
                raise _bad("events", event.at_s, f"sorted times from 0 to {self.total_s} s")
            if event.segment_index is not None and not (
                0 <= event.segment_index < len(self.segments)
            ):
                raise _bad("events", event.segment_index, "a segment index or null")
            previous = event.at_s
        check_units(self.units)

    def segment_at(self, position_s: float) -> int | None:
        """Index of the segment running at session time ``position_s``.

        ``None`` during the countdown and from ``total_s`` on.
        """
        if position_s < self.segments[0].start_s or position_s >= self.total_s:
            return None
        starts = [seg.start_s for seg in self.segments]
        return bisect.bisect_right(starts, position_s) - 1

    def to_dict(self) -> dict[str, Any]:
        """The timeline as a JSON-ready dict (shape in ``docs/sessions.md``)."""
        return {
            "schema": _SCHEMA,
            "version": SCHEMA_VERSION,
            "total_s": self.total_s,
            "countdown_s": self.countdown_s,
            "units": self.units,
            "technique_interval_s": self.technique_interval_s,
            "safety_checks": list(self.safety_checks),
            "segments": [seg.to_dict() for seg in self.segments],
            "events": [event.to_dict() for event in self.events],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Timeline:
        """Read a timeline written by :meth:`to_dict` (for example after ``json.loads``).

        Raises
        ------
        retrowalk.errors.InvalidInputError
            ``field="timeline..."`` if ``data`` is not a version-1 timeline.
        """
        accepted = f"a {_SCHEMA} version {SCHEMA_VERSION} object"
        if not isinstance(data, Mapping):
            raise InvalidInputError("timeline", data, accepted)
        try:
            if data["schema"] != _SCHEMA or data["version"] != SCHEMA_VERSION:
                raise InvalidInputError("timeline", (data["schema"], data["version"]), accepted)
            countdown = data["countdown_s"]
            if isinstance(countdown, bool) or not isinstance(countdown, int):
                raise _bad("countdown_s", countdown, "a whole number of seconds")
            checks = data["safety_checks"]
            if not isinstance(checks, list) or not all(isinstance(c, str) for c in checks):
                raise _bad("safety_checks", checks, "a list of strings")
            return cls(
                events=tuple(CueEvent.from_dict(e) for e in data["events"]),
                segments=tuple(TimelineSegment.from_dict(s) for s in data["segments"]),
                total_s=_number(data, "total_s"),
                safety_checks=tuple(checks),
                countdown_s=countdown,
                units=check_units(data["units"]),
                technique_interval_s=_number(data, "technique_interval_s", optional=True),
            )
        except InvalidInputError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInputError("timeline", f"{type(exc).__name__}: {exc}", accepted) from exc

    def fingerprint(self) -> str:
        """A short stable hash of the JSON form, to check a snapshot belongs to this timeline."""
        canonical = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def _event(at_s: float, kind: CueKind, text: str, index: int | None = None) -> CueEvent:
    return CueEvent(at_s, kind, text, index, SOUND_FOR_KIND[kind])


def _far_from(times: Sequence[float], at_s: float, gap_s: float) -> bool:
    """Whether no time in sorted ``times`` lies within ``gap_s`` of ``at_s``."""
    i = bisect.bisect_left(times, at_s)
    before_ok = i == 0 or at_s - times[i - 1] >= gap_s
    after_ok = i == len(times) or times[i] - at_s >= gap_s
    return before_ok and after_ok


def build_timeline(
    segments: Sequence[PlannedSegment],
    *,
    countdown_s: int = COUNTDOWN_S,
    units: str = "mph",
    technique_interval_s: float | None = TECHNIQUE_INTERVAL_S,
) -> Timeline:
    """Build the cue schedule of a session.

    Parameters
    ----------
    segments
        The planned segments, in order (from a plan's session or :func:`parse_quick`).
    countdown_s
        Seconds from start to the first segment, a whole number from 0 to ``COUNTDOWN_MAX_S``.
    units
        The user's speed unit for spoken belt speeds: ``"mph"`` or ``"km/h"``.
    technique_interval_s
        Seconds between technique reminders within a segment, from ``TECHNIQUE_INTERVAL_MIN_S``
        to ``TECHNIQUE_INTERVAL_MAX_S``; ``None`` for no reminders.

    Returns
    -------
    Timeline
        The frozen schedule; placement rules in the module docstring.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        For no segments, or an option out of range.
    """
    planned = tuple(segments)
    if not planned:
        raise InvalidInputError("segments", (), "at least one segment")
    spoken_units = check_units(units)
    if (
        isinstance(countdown_s, bool)
        or not isinstance(countdown_s, int)
        or not 0 <= countdown_s <= COUNTDOWN_MAX_S
    ):
        raise InvalidInputError(
            "countdown_s", countdown_s, f"a whole number of seconds from 0 to {COUNTDOWN_MAX_S}"
        )
    if technique_interval_s is not None and not (
        TECHNIQUE_INTERVAL_MIN_S <= technique_interval_s <= TECHNIQUE_INTERVAL_MAX_S
    ):
        raise InvalidInputError(
            "technique_interval_s",
            technique_interval_s,
            f"{TECHNIQUE_INTERVAL_MIN_S:g} to {TECHNIQUE_INTERVAL_MAX_S:g} s, or none",
        )

    placed: list[TimelineSegment] = []
    clock_s = float(countdown_s)
    for index, segment in enumerate(planned):
        end_s = clock_s + segment.duration_s
        placed.append(TimelineSegment(index, clock_s, end_s, segment))
        clock_s = end_s
    total_s = clock_s

    events = [_event(0.0, "safety", cues.SAFETY_REMINDER.text)]
    if countdown_s > COUNTDOWN_TICKS:
        events.append(_event(0.0, "countdown", cues.countdown_announcement_text(countdown_s)))
    for left in range(min(COUNTDOWN_TICKS, countdown_s), 0, -1):
        events.append(
            _event(float(countdown_s - left), "countdown", cues.countdown_tick_text(left))
        )

    kind_counts = Counter(segment.kind for segment in planned)
    kind_seen: Counter[SegmentKind] = Counter()
    for seg in placed:
        i, segment = seg.index, seg.planned
        previous = planned[i - 1] if i > 0 else None
        following = planned[i + 1] if i + 1 < len(planned) else None
        start_text = cues.segment_start_text(segment, previous, spoken_units)
        first_cool_down = segment.kind is SegmentKind.COOL_DOWN and not cues.continues(
            segment, previous
        )
        start_kind: CueKind = "cool_down" if first_cool_down else "segment_start"
        events.append(_event(seg.start_s, start_kind, start_text, i))
        thirty_at: float | None = None
        if seg.duration_s > THIRTY_SECONDS_MIN_SEGMENT_S:
            thirty_at = seg.end_s - THIRTY_SECONDS_LEFT_S
        if seg.duration_s >= HALFWAY_MIN_SEGMENT_S:
            half_at = seg.start_s + seg.duration_s / 2
            if thirty_at is None or thirty_at - half_at >= CUE_MIN_GAP_S:
                events.append(_event(half_at, "halfway", cues.halfway_text(seg.duration_s / 2), i))
        if thirty_at is not None:
            text = cues.thirty_seconds_left_text(segment, following)
            events.append(_event(thirty_at, "thirty_seconds_left", text, i))
        kind_seen[segment.kind] += 1
        end_text = cues.segment_end_text(
            segment, kind_seen[segment.kind], kind_counts[segment.kind]
        )
        events.append(_event(seg.end_s, "segment_end", end_text, i))
    events.append(_event(total_s, "end", cues.end_text()))

    if technique_interval_s is not None:
        events += _technique_events(placed, events, technique_interval_s)
    events.sort(key=lambda e: (e.at_s, _PRIORITY[e.kind]))
    return Timeline(
        events=tuple(events),
        segments=tuple(placed),
        total_s=total_s,
        safety_checks=tuple(item.text for item in cues.safety_checks_for(planned)),
        countdown_s=countdown_s,
        units=spoken_units,
        technique_interval_s=technique_interval_s,
    )


def _technique_events(
    placed: Sequence[TimelineSegment], fixed: Sequence[CueEvent], interval_s: float
) -> list[CueEvent]:
    """Technique reminders: the plan's cues in order, else the default rotation when backward."""
    fixed_times = sorted(event.at_s for event in fixed)
    default_texts = tuple(item.text for item in cues.TECHNIQUE_CUES)
    rotation = 0
    out: list[CueEvent] = []
    for seg in placed:
        own = seg.planned.cues
        if not own and seg.direction is not Direction.BACKWARD:
            continue
        said = 0
        slot = 0
        while (at_s := seg.start_s + TECHNIQUE_FIRST_S + slot * interval_s) < seg.end_s:
            slot += 1
            if not _far_from(fixed_times, at_s, CUE_MIN_GAP_S):
                continue
            if own:
                text = own[said % len(own)]
            else:
                text = default_texts[rotation % len(default_texts)]
                rotation += 1
            said += 1
            out.append(_event(at_s, "technique", text, seg.index))
    return out
