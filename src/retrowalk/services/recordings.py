"""Motion recordings of session logs: attach (aligned by time), analyse per segment, delete.

A recording is stored compressed in the database beside its log (``motion_recordings``, format
in :mod:`retrowalk.motion.storage`), is exported and imported with it and is deleted with it.
Attaching one analyses it per segment of the log: steps, cadence, steadiness, the speed from
cadence and step length (:mod:`retrowalk.motion.speed`), and for each planned backward segment
whether the walking was backward, calibrated on the session's own forward segments
(:mod:`retrowalk.motion.direction`). The log's energy is then estimated again with the derived
speeds where a segment had none. Any refusal leaves the log untouched.
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from retrowalk.energy import estimate_session
from retrowalk.energy.ranges import Range
from retrowalk.errors import ImportFileError, NotFoundError
from retrowalk.motion import analyze
from retrowalk.motion.direction import (
    DirectionResult,
    calibrate_intervals,
    classify,
    direction_signals,
)
from retrowalk.motion.readers import read
from retrowalk.motion.recording import Recording
from retrowalk.motion.speed import CADENCE_SPM_RANGE, speed_from_cadence
from retrowalk.motion.storage import decode, encode
from retrowalk.services.logfacts import store_facts
from retrowalk.services.logs.repository import (
    _energy_json,
    _practice_sessions,
    _segment_energy_json,
    get_row,
    walked_segment,
)
from retrowalk.services.readiness import current_profile
from retrowalk.store import models

#: Shortest recording accepted (s): shorter than the shortest walking bout worth analysing
#: (4 steps at the slowest cadence, 60 steps/min) plus the direction window. Policy value.
RECORDING_MIN_S = 10.0
#: Below this SD of the acceleration magnitude (m/s²) the phone lay still for the whole
#: recording (on a table: sensor noise is about 0.01-0.05 m/s²; walking is 1-3 m/s²). Policy.
STILL_SD_M_S2 = 0.1
#: A recording may start or end this long outside the log's start and end (s): phone clocks
#: and the time between tapping "record" and "start". Policy value.
ALIGN_SLACK_S = 300.0
#: At least this share of the recording must fall inside the log's span (± slack). Policy.
MIN_OVERLAP_FRACTION = 0.5
#: Timestamps above this are wall-clock Unix time (s), i.e. after 2001-09-09.
UNIX_TIME_MIN_S = 1e9


@dataclasses.dataclass(frozen=True)
class RecordingView:
    """A stored recording: where it sits in time, its size and its analysis."""

    log_id: str
    started_at: datetime
    duration_s: float
    samples: int
    sampling_rate_hz: float
    has_gyro: bool
    source: str
    size_bytes: int
    analysis: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"started_at": self.started_at.isoformat()}


def _view(row: models.MotionRecording) -> RecordingView:
    return RecordingView(
        log_id=row.session_log_id,
        started_at=row.started_at,
        duration_s=row.duration_s,
        samples=row.samples,
        sampling_rate_hz=row.sampling_rate_hz,
        has_gyro=row.has_gyro,
        source=row.source,
        size_bytes=len(row.data),
        analysis=row.analysis or {},
    )


def _row(session: Session, log_id: str) -> models.MotionRecording | None:
    return session.scalars(
        select(models.MotionRecording).where(models.MotionRecording.session_log_id == log_id)
    ).first()


def get_recording(session: Session, log_id: str) -> RecordingView | None:
    """The recording of a log (id or prefix), or ``None``."""
    row = _row(session, get_row(session, log_id).id)
    return None if row is None else _view(row)


def load_recording(session: Session, log_id: str) -> Recording | None:
    """The samples of a log's recording, or ``None``."""
    row = _row(session, get_row(session, log_id).id)
    return None if row is None else decode(row.data, f"recording of log {row.session_log_id}")


def delete_recording(session: Session, log_id: str) -> bool:
    """Delete a log's recording (the log stays; its energy goes back to assumed speeds)."""
    log = get_row(session, log_id)
    row = _row(session, log.id)
    if row is None:
        return False
    session.delete(row)
    _reestimate_energy(session, log, {})
    session.flush()
    return True


# --------------------------------------------------------------------------- checks


def check_motion(recording: Recording) -> None:
    """Refuse a recording that is too short or shows no motion at all."""
    where = recording.source or "recording"
    if recording.duration_s < RECORDING_MIN_S:
        raise ImportFileError(
            where,
            f"the recording lasts {recording.duration_s:.1f} s; at least "
            f"{RECORDING_MIN_S:g} s are needed (a walking bout is longer)",
        )
    magnitude = np.linalg.norm(recording.acc_m_s2, axis=1)
    sd = float(np.std(magnitude))
    if sd == 0.0:
        raise ImportFileError(where, "no motion: every sample is the same")
    if sd < STILL_SD_M_S2:
        raise ImportFileError(
            where,
            f"no motion: the acceleration hardly varies (SD {sd:.3f} m/s², walking gives "
            f"over {STILL_SD_M_S2:g}); was the phone left on a table?",
        )


def check_samples(time_s: np.ndarray, where: str) -> None:
    """Refuse timestamps out of order or repeated (uploads: the browser sends them in order)."""
    bad = np.flatnonzero(np.diff(time_s) <= 0)
    if bad.size:
        raise ImportFileError(
            where,
            f"timestamps out of order at sample {int(bad[0]) + 1} "
            f"({time_s[bad[0]]:.3f} s then {time_s[bad[0] + 1]:.3f} s); they must increase",
        )


def _check_alignment(log: models.SessionLog, started_at: datetime, duration_s: float) -> None:
    log_start = log.started_at
    log_end = log.ended_at or log_start + timedelta(seconds=sum(s.duration_s for s in log.segments))
    rec_end = started_at + timedelta(seconds=duration_s)
    slack = timedelta(seconds=ALIGN_SLACK_S)
    lo = max(started_at, log_start - slack)
    hi = min(rec_end, log_end + slack)
    overlap = max(0.0, (hi - lo).total_seconds())
    if duration_s <= 0 or overlap < MIN_OVERLAP_FRACTION * duration_s:
        fmt = "%Y-%m-%d %H:%M:%S"
        raise ImportFileError(
            "recording",
            f"it covers {started_at.strftime(fmt)}-{rec_end.strftime('%H:%M:%S')} UTC but log "
            f"{log.id[:8]} ran {log_start.strftime(fmt)}-{log_end.strftime('%H:%M:%S')} UTC: "
            "a file from another session or time?",
        )


# --------------------------------------------------------------------------- attach


def read_file(path: Path, fmt: str = "auto") -> tuple[Recording, float]:
    """A recording file and the file's own time of its first sample (s)."""
    origin: list[float] = []
    rec = read(path, fmt, on_origin=origin.append)
    return rec, origin[0] if origin else 0.0


def attach_file(
    session: Session,
    log_id: str,
    path: Path,
    *,
    fmt: str = "auto",
    started_at: datetime | None = None,
) -> tuple[RecordingView, str]:
    """Attach a sensor-logger file to a log; returns the view and how it was aligned.

    Files with wall-clock (Unix) timestamps are placed by them; others start at ``started_at``
    or, if not given, when the log started.
    """
    log = get_row(session, log_id)
    rec, origin_s = read_file(path, fmt)
    if started_at is not None:
        start, how = started_at, "at the start time given"
    elif origin_s >= UNIX_TIME_MIN_S:
        start, how = datetime.fromtimestamp(origin_s, UTC), "by the file's own timestamps"
    else:
        start, how = log.started_at, "at the session's start (the file has no clock time)"
    view = attach_recording(session, log.id, rec, start, source=f"file:{path.name}"[:100])
    return view, how


def attach_bytes(
    session: Session, log_id: str, data: bytes, started_at: datetime, *, source: str
) -> RecordingView:
    """Attach an already encoded recording (an upload); corrupt or truncated data is refused."""
    rec = decode(data, "upload")
    return attach_recording(session, log_id, rec, started_at, source=source)


def attach_recording(
    session: Session, log_id: str, recording: Recording, started_at: datetime, *, source: str
) -> RecordingView:
    """Check, store and analyse ``recording`` (its first sample at ``started_at``) for a log.

    A recording already attached is replaced. Raises :class:`ImportFileError` (the log is kept
    as it was) for a recording too short, without motion, out of order or from another time.
    """
    if started_at.tzinfo is None:
        raise ImportFileError("recording", "start time has no timezone")
    log = get_row(session, log_id)
    check_samples(recording.time_s, recording.source or "recording")
    check_motion(recording)
    _check_alignment(log, started_at, recording.duration_s)
    data = encode(recording)
    offset_s = (log.started_at - started_at).total_seconds()
    analysis = analyse_segments(recording, log, offset_s)
    row = _row(session, log.id)
    if row is None:
        row = models.MotionRecording(session_log_id=log.id)
        session.add(row)
    row.started_at = started_at.astimezone(UTC)
    row.duration_s = recording.duration_s
    row.samples = recording.n_samples
    row.sampling_rate_hz = recording.sampling_rate_hz
    row.has_gyro = recording.gyr_rad_s is not None
    row.source = source[:100]
    row.data = data
    row.analysis = analysis
    speeds = {
        s["position"]: Range(**s["speed_m_s"])
        for s in analysis["segments"]
        if s["speed_m_s"] is not None
    }
    _reestimate_energy(session, log, speeds)
    session.flush()
    return _view(row)


# --------------------------------------------------------------------------- analysis


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _slice(rec: Recording, start_s: float, end_s: float) -> Recording | None:
    keep = (rec.time_s >= start_s) & (rec.time_s < end_s)
    if np.count_nonzero(keep) < 32:
        return None
    return Recording(
        time_s=rec.time_s[keep],
        acc_m_s2=rec.acc_m_s2[keep],
        gyr_rad_s=None if rec.gyr_rad_s is None else rec.gyr_rad_s[keep],
        sampling_rate_hz=rec.sampling_rate_hz,
        source=rec.source,
    )


def analyse_segments(
    recording: Recording, log: models.SessionLog, offset_s: float
) -> dict[str, Any]:
    """Per-segment analysis; ``offset_s`` is the log's start in the recording's time (s)."""
    parts: list[dict[str, Any]] = []
    spans: list[tuple[float, float] | None] = []
    t = offset_s
    for seg in sorted(log.segments, key=lambda s: s.position):
        start, end = t, t + seg.duration_s
        t = end
        piece = _slice(recording, start, end)
        summary = analyze(piece) if piece is not None else None
        bouts = summary.bouts if summary is not None else ()
        steps = sum(b.steps for b in bouts)
        cadence = summary.cadence_spm if summary is not None else None
        spans.append((bouts[0].start_s, bouts[-1].end_s) if bouts else None)

        def mean(name: str, bs: Any = bouts) -> float | None:
            vals = [getattr(b.steadiness, name) for b in bs]
            w = [b.steps for b in bs if getattr(b.steadiness, name) is not None]
            vals = [v for v in vals if v is not None]
            return float(np.average(vals, weights=w)) if vals else None

        parts.append(
            {
                "position": seg.position,
                "planned_direction": seg.direction,
                "recorded": piece is not None,
                "start_s": round(start - offset_s, 2),
                "end_s": round(end - offset_s, 2),
                "steps": steps,
                "walking_s": round(sum(b.duration_s for b in bouts), 2),
                "cadence_spm": _round(cadence, 2),
                "step_regularity": _round(mean("step_regularity"), 3),
                "stride_regularity": _round(mean("stride_regularity"), 3),
                "step_time_cv_pct": _round(mean("step_time_cv_pct"), 2),
                "harmonic_ratio_vertical": _round(mean("harmonic_ratio_vertical"), 3),
            }
        )
    sig = direction_signals(recording)
    forward = [
        span
        for part, span in zip(parts, spans, strict=True)
        if part["planned_direction"] == "forward" and span is not None
    ]
    cal = calibrate_intervals(sig, forward)
    for part, span in zip(parts, spans, strict=True):
        result: DirectionResult | None = None
        if part["planned_direction"] == "backward":
            if not forward:
                result = DirectionResult("unknown", 0.0, None, 0, "no forward walking to calibrate")
            elif span is None:
                result = DirectionResult("unknown", 0.0, None, 0, "no walking found")
            else:
                result = classify(sig, cal, *span)
        part["direction"] = None if result is None else result.direction
        part["direction_confidence"] = None if result is None else round(result.confidence, 3)
        part["direction_reason"] = None if result is None else (result.reason or None)
        cadence = part["cadence_spm"]
        speed = None
        if cadence is not None and CADENCE_SPM_RANGE[0] <= cadence <= CADENCE_SPM_RANGE[1]:
            est = speed_from_cadence(cadence, part["planned_direction"])
            speed = {
                "low": round(est.low_m_s, 3),
                "central": round(est.central_m_s, 3),
                "high": round(est.high_m_s, 3),
            }
        part["speed_m_s"] = speed
    backward = [p for p in parts if p["planned_direction"] == "backward"]
    steps_total = sum(p["steps"] for p in parts)
    cadences = [(p["cadence_spm"], p["steps"]) for p in parts if p["cadence_spm"] is not None]
    return {
        "steps": steps_total,
        "cadence_spm": (
            round(sum(c * n for c, n in cadences) / steps_total, 2) if steps_total else None
        ),
        "backward_intervals": len(backward),
        "backward_confirmed": sum(p["direction"] == "backward" for p in backward),
        "backward_contradicted": sum(p["direction"] == "forward" for p in backward),
        "calibration": {
            "windows": cal.windows,
            "usable": cal.usable,
            "mean_score": round(cal.mean_score, 4),
        },
        "segments": parts,
    }


def direction_sentence(analysis: dict[str, Any]) -> str:
    """ "backward confirmed for 4 of 5 intervals", or an honest "could not tell"."""
    n = analysis.get("backward_intervals", 0)
    if not n:
        return "no backward intervals were planned"
    confirmed = analysis.get("backward_confirmed", 0)
    contradicted = analysis.get("backward_contradicted", 0)
    if not analysis.get("calibration", {}).get("usable"):
        return "could not tell the direction (the forward parts did not give a usable pattern)"
    if confirmed == 0 and contradicted == 0:
        return f"could not tell the direction of the {n} backward intervals"
    text = f"backward confirmed for {confirmed} of {n} intervals"
    if contradicted:
        text += f"; {contradicted} looked like forward walking"
    return text


def _reestimate_energy(
    session: Session, log: models.SessionLog, speeds_m_s: dict[int, Range]
) -> None:
    """Estimate the log's energy again, with the speed range from the steps where a segment has
    no speed of its own (costed over that range, so the energy range widens with it), and the
    assumed speed range where the recording gave none."""
    profile = current_profile(session)
    if profile is None or log.profile_id is None or not log.segments:
        return
    walked = [
        walked_segment(s, speeds_m_s.get(s.position))
        for s in sorted(log.segments, key=lambda s: s.position)
    ]
    practice = _practice_sessions(session, profile.id, log.started_at)
    result = estimate_session(walked, profile.profile.mass_kg, backward_practice_sessions=practice)
    log.energy = _energy_json(result, profile.profile.mass_kg, practice)
    for index, seg in enumerate(sorted(log.segments, key=lambda s: s.position)):
        seg.energy = _segment_energy_json(result, index)
    store_facts(log)


def not_found(log_id: str) -> NotFoundError:
    return NotFoundError(f"log {log_id!r} has no motion recording")
