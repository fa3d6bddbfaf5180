"""Playing a timeline: a pure state machine driven by an injected monotonic clock.

:class:`SessionRun` never sleeps, speaks or stores anything. A player (CLI or web) calls
:meth:`SessionRun.poll` often (at most every 100 ms keeps every cue within 100 ms of its schedule)
or sleeps :meth:`SessionRun.seconds_to_next_cue`, speaks what ``poll`` returns, and checkpoints
:meth:`SessionRun.snapshot` so that :meth:`SessionRun.restore` can carry on after a crash.

Two clocks of session time are kept, both without pauses:

- ``elapsed_s``: time actually spent in the run (countdown included);
- ``position_s``: the place on the timeline, ``elapsed_s`` plus the time jumped over by skips.

Transitions::

    not_started --start--> running --pause--> paused --resume--> running
    running --(poll reaches the end)--> finished
    not_started | running | paused --stop(reason)--> stopped
    running | paused --skip--> (same status, position at the next segment start)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from retrowalk.errors import InvalidInputError, RetroWalkError, StateConflictError
from retrowalk.sessions.timeline import CueEvent, Timeline

__all__ = [
    "NOTE_MAX_CHARS",
    "Clock",
    "RunSnapshot",
    "RunStatus",
    "SessionRun",
    "SessionStateError",
    "StopReason",
    "completed_segments",
]

#: A monotonic clock in seconds (``time.monotonic`` in a real player, a fake one in tests).
Clock = Callable[[], float]

#: Longest free-text note accepted with a stop.
NOTE_MAX_CHARS = 500

_SNAPSHOT_SCHEMA = "retrowalk.run_snapshot"
_SNAPSHOT_VERSION = 1


class StopReason(StrEnum):
    """Why the walker stopped early (the logged reasons of the product brief)."""

    PAIN = "pain"
    DIZZINESS = "dizziness"
    NEAR_FALL = "near_fall"
    TIRED = "tired"
    OTHER = "other"

    @property
    def label(self) -> str:
        """Plain words for the reason (what choice lists show)."""
        return _STOP_REASON_LABELS[self]


_STOP_REASON_LABELS = {
    StopReason.PAIN: "Pain",
    StopReason.DIZZINESS: "Dizziness",
    StopReason.NEAR_FALL: "Near-fall or lost balance",
    StopReason.TIRED: "Tired",
    StopReason.OTHER: "Other reason",
}


class RunStatus(StrEnum):
    """Where a run is in its life."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    FINISHED = "finished"


class SessionStateError(RetroWalkError):
    """An action that the run's current status does not allow (e.g. resume while running).

    Parameters
    ----------
    action
        The method called.
    status
        The status the run was in.
    """

    def __init__(self, action: str, status: RunStatus) -> None:
        self.action = action
        self.status = status
        super().__init__(f"cannot {action} a session that is {status.value.replace('_', ' ')}")


@dataclass(frozen=True, slots=True)
class RunSnapshot:
    """The state of a run at one moment: enough to show progress, log it and restore the run.

    Parameters
    ----------
    timeline_id
        :meth:`Timeline.fingerprint` of the timeline being played.
    status
        Status at the snapshot.
    elapsed_s
        Session time spent so far in s (countdown included, pauses excluded).
    position_s
        Place on the timeline in s: ``elapsed_s`` plus the time skipped.
    paused_s
        Total time spent paused, in s.
    next_event_index
        Index in ``timeline.events`` of the first cue not yet delivered (or dropped by a skip).
    current_segment_index
        Segment at ``position_s``; ``None`` during the countdown and at the end.
    segment_left_s
        Time left in the current segment (s), or ``None`` without one.
    session_left_s
        Time left on the timeline (s).
    next_segment_index
        The segment after the current one (segment 0 during the countdown), or ``None``.
    segment_done_s
        Seconds done of each segment, aligned with ``timeline.segments``: its full duration once
        passed, the part done if skipped or stopped in, 0 if not reached.
    skipped_segments
        Indices of skipped segments, ascending.
    stop_reason
        Why the run was stopped, if it was.
    stop_note
        The walker's note with the stop, if any.
    """

    timeline_id: str
    status: RunStatus
    elapsed_s: float
    position_s: float
    paused_s: float
    next_event_index: int
    current_segment_index: int | None
    segment_left_s: float | None
    session_left_s: float
    next_segment_index: int | None
    segment_done_s: tuple[float, ...]
    skipped_segments: tuple[int, ...]
    stop_reason: StopReason | None = None
    stop_note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The snapshot as a JSON-ready dict."""
        return {
            "schema": _SNAPSHOT_SCHEMA,
            "version": _SNAPSHOT_VERSION,
            "timeline_id": self.timeline_id,
            "status": self.status.value,
            "elapsed_s": self.elapsed_s,
            "position_s": self.position_s,
            "paused_s": self.paused_s,
            "next_event_index": self.next_event_index,
            "current_segment_index": self.current_segment_index,
            "segment_left_s": self.segment_left_s,
            "session_left_s": self.session_left_s,
            "next_segment_index": self.next_segment_index,
            "segment_done_s": list(self.segment_done_s),
            "skipped_segments": list(self.skipped_segments),
            "stop_reason": None if self.stop_reason is None else self.stop_reason.value,
            "stop_note": self.stop_note,
        }

    def check_fits(self, timeline: Timeline) -> None:
        """Refuse a snapshot that does not belong to ``timeline``: another timeline's id, or
        segment and cue indices beyond it (the web API answers 409).

        Raises
        ------
        retrowalk.errors.StateConflictError
            ``field="snapshot"`` (or one of its fields) naming what does not fit.
        """
        accepted = "a snapshot of this session's timeline"
        if self.timeline_id != timeline.fingerprint():
            raise StateConflictError("snapshot.timeline_id", self.timeline_id, accepted)
        count = len(timeline.segments)
        if len(self.segment_done_s) != count:
            raise StateConflictError(
                "snapshot.segment_done_s", len(self.segment_done_s), f"{count} values, one a part"
            )
        indices = [
            i for i in (self.current_segment_index, self.next_segment_index) if i is not None
        ]
        for index in (*indices, *self.skipped_segments):
            if not 0 <= index < count:
                raise StateConflictError("snapshot", index, f"part indices 0 to {count - 1}")
        if not 0 <= self.next_event_index <= len(timeline.events):
            raise StateConflictError(
                "snapshot.next_event_index", self.next_event_index, f"0 to {len(timeline.events)}"
            )

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RunSnapshot:
        """Read a snapshot written by :meth:`to_dict`.

        Raises
        ------
        retrowalk.errors.InvalidInputError
            ``field="snapshot"`` if ``data`` is not a version-1 run snapshot.
        """
        accepted = f"a {_SNAPSHOT_SCHEMA} version {_SNAPSHOT_VERSION} object"
        try:
            if data["schema"] != _SNAPSHOT_SCHEMA or data["version"] != _SNAPSHOT_VERSION:
                raise InvalidInputError("snapshot", (data["schema"], data["version"]), accepted)
            reason = data["stop_reason"]
            note = data["stop_note"]
            if note is not None and not isinstance(note, str):
                raise InvalidInputError("snapshot.stop_note", note, "a string or null")
            return cls(
                timeline_id=str(data["timeline_id"]),
                status=RunStatus(data["status"]),
                elapsed_s=_finite(data["elapsed_s"]),
                position_s=_finite(data["position_s"]),
                paused_s=_finite(data["paused_s"]),
                next_event_index=_integer(data["next_event_index"]),
                current_segment_index=_optional_integer(data["current_segment_index"]),
                segment_left_s=(
                    None if data["segment_left_s"] is None else _finite(data["segment_left_s"])
                ),
                session_left_s=_finite(data["session_left_s"]),
                next_segment_index=_optional_integer(data["next_segment_index"]),
                segment_done_s=tuple(_finite(v) for v in data["segment_done_s"]),
                skipped_segments=tuple(_integer(v) for v in data["skipped_segments"]),
                stop_reason=None if reason is None else StopReason(reason),
                stop_note=note,
            )
        except InvalidInputError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InvalidInputError("snapshot", f"{type(exc).__name__}: {exc}", accepted) from exc


def _finite(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise TypeError(f"not a finite number: {value!r}")
    return float(value)


def _integer(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not an integer: {value!r}")
    return value


def _optional_integer(value: Any) -> int | None:
    return None if value is None else _integer(value)


def completed_segments(snapshot: RunSnapshot) -> tuple[float, ...]:
    """Seconds done of each segment, to log "the part that was done".

    Parameters
    ----------
    snapshot
        A snapshot of the run (usually the last one, after stop or finish).

    Returns
    -------
    tuple of float
        Aligned with ``timeline.segments``: the planned duration for segments walked to the end,
        the part done for a skipped segment or the one the run stopped in, 0 for those not
        reached. Skipped segments are listed in ``snapshot.skipped_segments``.
    """
    return snapshot.segment_done_s


class SessionRun:
    """One run of a timeline, driven by an injected monotonic clock.

    Parameters
    ----------
    timeline
        The schedule to play.
    clock
        Monotonic seconds (``time.monotonic`` in a real player). Called once per method call; if
        it ever goes backwards the session time holds still instead of going back.

    Notes
    -----
    Cue delivery: :meth:`poll` returns, in timeline order and each exactly once, every cue whose
    ``at_s`` the session has reached. Pausing freezes the session time, so every later cue moves
    by the length of the pause. :meth:`skip` drops the cues not yet delivered up to the next
    segment's start (that start cue is delivered by the next poll).
    """

    def __init__(self, timeline: Timeline, clock: Clock) -> None:
        self._timeline = timeline
        self._timeline_id = timeline.fingerprint()
        self._clock = clock
        self._status = RunStatus.NOT_STARTED
        self._elapsed_base_s = 0.0
        self._active_since: float | None = None
        self._paused_s = 0.0
        self._paused_since: float | None = None
        self._skipped_s = 0.0
        self._cursor = 0
        self._skip_done: dict[int, float] = {}
        self._stop_reason: StopReason | None = None
        self._stop_note: str | None = None
        self._last_now = -math.inf

    # -- restore -------------------------------------------------------------------------------

    @classmethod
    def restore(cls, timeline: Timeline, snapshot: RunSnapshot, clock: Clock) -> SessionRun:
        """Rebuild a run from a snapshot (after a crash or a reload).

        A run that was running comes back **paused**: it never starts talking on its own; the
        player asks the walker and calls :meth:`resume`. Cues delivered after the snapshot was
        taken are delivered again.

        Parameters
        ----------
        timeline
            The same timeline the snapshot was taken from.
        snapshot
            The snapshot.
        clock
            The clock of the new process (its origin may differ from the old one).

        Raises
        ------
        retrowalk.errors.InvalidInputError
            ``field="snapshot"`` if the snapshot does not belong to ``timeline`` or is
            inconsistent.
        """
        run = cls(timeline, clock)
        n_segments = len(timeline.segments)
        problems = [
            (snapshot.timeline_id != run._timeline_id, "a snapshot of this timeline"),
            (len(snapshot.segment_done_s) != n_segments, f"{n_segments} segment_done_s values"),
            (
                not 0 <= snapshot.next_event_index <= len(timeline.events),
                "next_event_index within the timeline's events",
            ),
            (
                not 0 <= snapshot.elapsed_s <= snapshot.position_s <= timeline.total_s,
                "0 <= elapsed_s <= position_s <= total_s",
            ),
            (snapshot.paused_s < 0, "paused_s >= 0"),
            (
                any(not 0 <= i < n_segments for i in snapshot.skipped_segments),
                "skipped_segments within the timeline's segments",
            ),
            (
                snapshot.status is RunStatus.STOPPED and snapshot.stop_reason is None,
                "a stop reason for a stopped run",
            ),
        ]
        for failed, accepted in problems:
            if failed:
                raise InvalidInputError("snapshot", snapshot.timeline_id, accepted)
        run._elapsed_base_s = snapshot.elapsed_s
        run._skipped_s = snapshot.position_s - snapshot.elapsed_s
        run._paused_s = snapshot.paused_s
        run._cursor = snapshot.next_event_index
        run._skip_done = {i: snapshot.segment_done_s[i] for i in snapshot.skipped_segments}
        run._stop_reason = snapshot.stop_reason
        run._stop_note = snapshot.stop_note
        run._status = snapshot.status
        if snapshot.status in (RunStatus.RUNNING, RunStatus.PAUSED):
            run._status = RunStatus.PAUSED
            run._paused_since = run._now()
        return run

    # -- time ----------------------------------------------------------------------------------

    def _now(self) -> float:
        """Read the clock once, never going back from a value already seen."""
        value = self._clock()
        if not math.isfinite(value):
            raise InvalidInputError("clock", value, "finite monotonic seconds")
        self._last_now = max(self._last_now, value)
        return self._last_now

    def _elapsed(self, now: float) -> float:
        elapsed = self._elapsed_base_s
        if self._status is RunStatus.RUNNING and self._active_since is not None:
            elapsed += max(0.0, now - self._active_since)
        return min(elapsed, self._timeline.total_s - self._skipped_s)

    def _position(self, now: float) -> float:
        return min(self._elapsed(now) + self._skipped_s, self._timeline.total_s)

    def _require(self, action: str, *allowed: RunStatus) -> None:
        if self._status not in allowed:
            raise SessionStateError(action, self._status)

    # -- actions -------------------------------------------------------------------------------

    @property
    def state(self) -> RunStatus:
        """The current status."""
        return self._status

    @property
    def timeline(self) -> Timeline:
        """The timeline being played."""
        return self._timeline

    def start(self) -> None:
        """Start the run: session time 0 is now (the countdown begins).

        Raises
        ------
        SessionStateError
            Unless the run has not started yet.
        """
        self._require("start", RunStatus.NOT_STARTED)
        self._active_since = self._now()
        self._status = RunStatus.RUNNING

    def pause(self) -> None:
        """Freeze the session time. Cues already due stay deliverable by :meth:`poll`.

        Raises
        ------
        SessionStateError
            Unless running.
        """
        self._require("pause", RunStatus.RUNNING)
        now = self._now()
        self._elapsed_base_s = self._elapsed(now)
        self._active_since = None
        self._paused_since = now
        self._status = RunStatus.PAUSED

    def resume(self) -> None:
        """Let the session time run again; later cues are shifted by the pause.

        Raises
        ------
        SessionStateError
            Unless paused.
        """
        self._require("resume", RunStatus.PAUSED)
        now = self._now()
        if self._paused_since is not None:
            self._paused_s += max(0.0, now - self._paused_since)
        self._paused_since = None
        self._active_since = now
        self._status = RunStatus.RUNNING

    def skip(self) -> None:
        """Skip the rest of the current segment (or of the countdown) and go to the next start.

        The part done is kept in :attr:`RunSnapshot.segment_done_s` and the segment listed in
        :attr:`RunSnapshot.skipped_segments`. Undelivered cues before the next segment's start are
        dropped; the next start cue (or the end cue after the last segment) is due at once.
        Skipping works while paused too (the run stays paused).

        Raises
        ------
        SessionStateError
            Unless running or paused, or if the timeline is already at its end.
        """
        self._require("skip", RunStatus.RUNNING, RunStatus.PAUSED)
        now = self._now()
        position = self._position(now)
        timeline = self._timeline
        index = timeline.segment_at(position)
        if index is None:
            if position >= timeline.total_s:
                raise SessionStateError("skip", RunStatus.FINISHED)
            target = timeline.segments[0].start_s
        else:
            segment = timeline.segments[index]
            target = segment.end_s
            self._skip_done[index] = position - segment.start_s
        # Freeze elapsed time at this instant so the jump is exact, then move the position.
        self._elapsed_base_s = self._elapsed(now)
        if self._status is RunStatus.RUNNING:
            self._active_since = now
        self._skipped_s += target - position
        events = timeline.events
        while self._cursor < len(events) and (
            events[self._cursor].at_s < target
            or (events[self._cursor].at_s == target and events[self._cursor].kind == "segment_end")
        ):
            self._cursor += 1

    def stop(self, reason: StopReason, note: str | None = None) -> None:
        """Stop the run early, with the reason (and an optional note) to log.

        Parameters
        ----------
        reason
            Why: pain, dizziness, near_fall, tired or other. What to say next is
            :func:`retrowalk.sessions.cues.stop_text`.
        note
            Free text, at most ``NOTE_MAX_CHARS`` characters.

        Raises
        ------
        retrowalk.errors.InvalidInputError
            For an unknown reason or a note that is too long.
        SessionStateError
            If the run is already stopped or finished.
        """
        try:
            checked = StopReason(reason)
        except ValueError:
            raise InvalidInputError(
                "reason", reason, ", ".join(r.value for r in StopReason)
            ) from None
        if note is not None and (not isinstance(note, str) or len(note) > NOTE_MAX_CHARS):
            raise InvalidInputError("note", note, f"text of at most {NOTE_MAX_CHARS} characters")
        self._require("stop", RunStatus.NOT_STARTED, RunStatus.RUNNING, RunStatus.PAUSED)
        now = self._now()
        self._elapsed_base_s = self._elapsed(now)
        if self._status is RunStatus.PAUSED and self._paused_since is not None:
            self._paused_s += max(0.0, now - self._paused_since)
        self._active_since = None
        self._paused_since = None
        self._stop_reason = checked
        self._stop_note = note
        self._status = RunStatus.STOPPED

    def poll(self) -> list[CueEvent]:
        """The cues that became due since the last poll, in order, each exactly once.

        Returns an empty list before start and after stop. When the end cue has been delivered
        the run is finished.
        """
        if self._status not in (RunStatus.RUNNING, RunStatus.PAUSED):
            return []
        now = self._now()
        position = self._position(now)
        events = self._timeline.events
        due: list[CueEvent] = []
        while self._cursor < len(events) and events[self._cursor].at_s <= position:
            due.append(events[self._cursor])
            self._cursor += 1
        if self._cursor == len(events) and position >= self._timeline.total_s:
            self._elapsed_base_s = self._elapsed(now)
            self._active_since = None
            if self._paused_since is not None:
                self._paused_s += max(0.0, now - self._paused_since)
                self._paused_since = None
            self._status = RunStatus.FINISHED
        return due

    def seconds_to_next_cue(self) -> float | None:
        """Clock seconds until the next cue is due (0 if due now); ``None`` unless running.

        A player may sleep this long (capped at its own poll period) before polling again.
        """
        if self._status is not RunStatus.RUNNING or self._cursor >= len(self._timeline.events):
            return None
        position = self._position(self._now())
        return max(0.0, self._timeline.events[self._cursor].at_s - position)

    def position_s(self) -> float:
        """Session seconds reached now (as :attr:`RunSnapshot.position_s`, without the rest)."""
        return self._position(self._now())

    def snapshot(self) -> RunSnapshot:
        """The state now, JSON-serialisable with :meth:`RunSnapshot.to_dict`."""
        now = self._now()
        timeline = self._timeline
        elapsed = self._elapsed(now)
        position = min(elapsed + self._skipped_s, timeline.total_s)
        paused = self._paused_s
        if self._status is RunStatus.PAUSED and self._paused_since is not None:
            paused += max(0.0, now - self._paused_since)
        index = timeline.segment_at(position)
        if index is None:
            segment_left = None
            next_index = 0 if position < timeline.segments[0].start_s else None
        else:
            segment_left = timeline.segments[index].end_s - position
            next_index = index + 1 if index + 1 < len(timeline.segments) else None
        done = tuple(
            self._skip_done[seg.index]
            if seg.index in self._skip_done
            else min(max(position - seg.start_s, 0.0), seg.duration_s)
            for seg in timeline.segments
        )
        return RunSnapshot(
            timeline_id=self._timeline_id,
            status=self._status,
            elapsed_s=elapsed,
            position_s=position,
            paused_s=paused,
            next_event_index=self._cursor,
            current_segment_index=index,
            segment_left_s=segment_left,
            session_left_s=timeline.total_s - position,
            next_segment_index=next_index,
            segment_done_s=done,
            skipped_segments=tuple(sorted(self._skip_done)),
            stop_reason=self._stop_reason,
            stop_note=self._stop_note,
        )
