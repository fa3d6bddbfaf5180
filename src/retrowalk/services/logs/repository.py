"""Reading and writing session logs: rows, their energy and the checks that need the database."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from retrowalk.energy import SessionEnergy, WalkedSegment, estimate_session
from retrowalk.energy.assumed import ASSUMED_SPEED_NOTE, assumed_speed_m_s
from retrowalk.energy.model import DEFAULT_MODEL
from retrowalk.energy.ranges import Range
from retrowalk.energy.session import MOTION_SPEED_NOTE
from retrowalk.errors import (
    InvalidInputError,
    NotFoundError,
    StateConflictError,
    UnknownReferenceError,
    quote,
)
from retrowalk.services.logfacts import store_facts
from retrowalk.services.logs.inputs import ID_PREFIX_MIN_CHARS, LogInput
from retrowalk.services.readiness import StoredProfile
from retrowalk.store import models
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import WALKED_STATUSES, Direction, Environment


def _session_mets(result: SessionEnergy) -> dict[str, float] | None:
    """Time-weighted mean gross METs of the session, when every segment has an estimate from a
    known speed (effort is not judged from an assumed speed, nor from the wide range of the
    speed estimated from the steps)."""
    parts = [(s.estimate, s.segment.duration_s) for s in result.segments]
    total_s = sum(duration for _estimate, duration in parts)
    if not parts or total_s <= 0 or any(estimate is None for estimate, _d in parts):
        return None
    if any(s.speed_source in ("assumed", "motion") for s in result.segments):
        return None
    return {
        end: sum(getattr(e.mets, end) * d for e, d in parts if e is not None) / total_s
        for end in ("low", "central", "high")
    }


def _energy_json(result: SessionEnergy, mass_kg: float, practice: int) -> dict[str, Any]:
    sources = {s.speed_source for s in result.segments if s.estimate is not None}
    assumed = "assumed" in sources
    motion = "motion" in sources
    notes = [ASSUMED_SPEED_NOTE] * assumed + [MOTION_SPEED_NOTE] * motion
    return {
        "speed_source": "assumed" if assumed else "motion" if motion else "given",
        "speed_note": " ".join(notes) or None,
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
    assumed = (
        one.speed_source == "assumed" and one.segment.assumed_speed_m_s is not None
    ) or one.speed_source == "motion"
    motion = one.segment.motion_speed_m_s if one.speed_source == "motion" else None
    return {
        "energy_kcal": None if estimate is None else estimate.energy_kcal.as_dict(),
        "energy_net_kcal": None if estimate is None else estimate.energy_net_kcal.as_dict(),
        # Effort is not judged from an assumed speed: its METs are kept apart.
        "mets": None if estimate is None or assumed else estimate.mets.as_dict(),
        "mets_assumed": estimate.mets.as_dict() if estimate is not None and assumed else None,
        "speed_source": one.speed_source,
        "assumed_speed_m_s": one.segment.assumed_speed_m_s.as_dict()
        if one.speed_source == "assumed" and one.segment.assumed_speed_m_s is not None
        else None,
        "motion_speed_m_s": None if motion is None else motion.as_dict(),
        "reason": one.reason,
        "warnings": [] if estimate is None else list(estimate.warnings),
    }


def _practice_sessions(session: Session, profile_id: str, before: datetime) -> int:
    """Backward sessions logged before ``before`` (the energy model's practice effect).

    Counted up to one more than the model's ``practice_sessions_full``: the model treats every
    count above that the same way (the effect is held), so the count, and the cost of the
    query, stop growing with the history. A stored value of 13 means "13 or more".
    """
    log, segment = models.SessionLog, models.SessionSegment
    backward = (
        select(segment.id)
        .where(segment.session_log_id == log.id)
        .where(segment.direction == Direction.BACKWARD.value)
    )
    earlier = (
        select(log.id)
        .where(log.profile_id == profile_id)
        .where(log.status.in_(WALKED_STATUSES))
        .where(log.started_at < before)
        .where(backward.exists())
        .order_by(log.started_at.desc())
        .limit(DEFAULT_MODEL.backward.practice_sessions_full + 1)
        .subquery()
    )
    return int(session.scalar(select(func.count()).select_from(earlier)) or 0)


def resolve_planned_session_id(session: Session, id_or_prefix: str) -> str:
    """The full id of a planned session given its id or a unique prefix (>= 6 characters).

    Raises
    ------
    retrowalk.errors.UnknownReferenceError
        ``field="planned_session_id"`` when no planned session matches.
    retrowalk.errors.InvalidInputError
        ``field="planned_session_id"`` for a prefix too short or matching more than one.
    """
    return _resolve(session, models.PlannedSession, id_or_prefix, "planned_session_id")


def _resolve(session: Session, model: Any, id_or_prefix: str, field: str) -> str:
    text = id_or_prefix.strip().lower() if isinstance(id_or_prefix, str) else ""
    if len(text) < ID_PREFIX_MIN_CHARS:
        raise InvalidInputError(
            field, id_or_prefix, f"an id or a unique prefix of at least {ID_PREFIX_MIN_CHARS}"
        )
    ids = session.scalars(select(model.id).where(model.id.startswith(text)).limit(2)).all()
    if not ids:
        raise UnknownReferenceError(field, id_or_prefix, "an existing id (matches nothing)")
    if len(ids) != 1:
        raise InvalidInputError(field, id_or_prefix, "an existing id (matches more than one)")
    return str(ids[0])


def check_duplicate(
    session: Session, profile_id: str | None, started_at: datetime, own_id: str | None
) -> None:
    """Refuse a second log of the same person at the same start time
    (:class:`~retrowalk.errors.StateConflictError`: the web API answers 409)."""
    log = models.SessionLog
    query = select(log.id).where(log.started_at == started_at)
    query = query.where(
        log.profile_id.is_(None) if profile_id is None else log.profile_id == profile_id
    )
    if own_id is not None:
        query = query.where(log.id != own_id)
    if session.scalars(query.limit(1)).first() is not None:
        raise StateConflictError(
            "started_at",
            started_at.isoformat(),
            "another start time: a session at that time is already logged",
        )


def walked_segment(segment: Any, motion_speed_m_s: Range | None = None) -> WalkedSegment:
    """A segment as the energy model costs it (a stored row or an input: same fields), with the
    assumed speed range of its place and direction, and the speed range from the walk's steps
    when a recording gave one."""
    return WalkedSegment(
        direction=Direction(segment.direction),
        duration_s=segment.duration_s,
        speed_m_s=segment.speed_m_s,
        grade_pct=segment.grade_pct,
        treadmill=Environment(segment.environment).is_treadmill,
        assumed_speed_m_s=assumed_speed_m_s(segment.environment, segment.direction),
        motion_speed_m_s=motion_speed_m_s,
    )


def write(
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
        walked = [walked_segment(s) for s in data.segments]
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
        session.add(row)
    session.flush()


def get_row(session: Session, id_or_prefix: str) -> models.SessionLog:
    """A log by id or unique id prefix (at least :data:`ID_PREFIX_MIN_CHARS` characters)."""
    text = id_or_prefix.strip().lower() if isinstance(id_or_prefix, str) else ""
    if len(text) < ID_PREFIX_MIN_CHARS:
        raise NotFoundError(
            f"no session log {quote(id_or_prefix)}: give its id or a unique prefix of at least "
            f"{ID_PREFIX_MIN_CHARS} characters ('retrowalk log list' shows them)"
        )
    rows = session.scalars(
        select(models.SessionLog).where(models.SessionLog.id.startswith(text)).limit(2)
    ).all()
    if len(rows) != 1:
        problem = "matches more than one log; give more characters" if rows else "matches nothing"
        raise NotFoundError(f"no session log {quote(id_or_prefix)}: it {problem}")
    return rows[0]
