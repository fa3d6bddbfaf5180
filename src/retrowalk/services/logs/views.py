"""A stored session log as the CLI and the web app show it."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrowalk.plans import PlanChange
from retrowalk.services.logs.inputs import RatingsInput
from retrowalk.store import models
from retrowalk.vocabulary import WALKED_STATUSES, RpeScale, Symptom


@dataclass(frozen=True, slots=True)
class PlanChangeView:
    """What a logged session changed in the plan, and why."""

    action: str
    reason: str
    rule_id: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return dataclasses.asdict(self)


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
        return dataclasses.asdict(self)


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

    @property
    def symptoms(self) -> tuple[Symptom, ...]:
        """Every red flag recorded for this session, in vocabulary order (see
        :func:`reported_symptoms`)."""
        return reported_symptoms(self.ratings, self.stop_reason)

    @property
    def pain_location(self) -> str | None:
        """Where it hurt, as the walker wrote it (``None``: not said)."""
        return None if self.ratings is None else self.ratings.pain_location

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
            "symptoms": [{"id": s.value, "label": s.label} for s in self.symptoms],
            "symptoms_text": symptoms_text(self.ratings, self.stop_reason),
        }


def reported_symptoms(
    ratings: RatingsInput | None, stop_reason: str | None = None
) -> tuple[Symptom, ...]:
    """Every red flag of a session: those ticked in its ratings and the one it was stopped for
    (a session stopped for dizziness reports dizziness), in :class:`Symptom` order."""
    return tuple(
        symptom
        for symptom in Symptom
        if (ratings is not None and getattr(ratings, symptom.value)) or stop_reason == symptom
    )


def symptoms_text(ratings: RatingsInput | None, stop_reason: str | None = None) -> str:
    """Plain words for a session's red flags and pain, e.g. "Dizziness, A fall; pain 5/10 (right
    knee)", or "none reported"."""
    parts = [", ".join(s.label for s in reported_symptoms(ratings, stop_reason))]
    if ratings is not None and ratings.pain_0_10 is not None:
        where = f" ({ratings.pain_location})" if ratings.pain_location else ""
        parts.append(f"pain {ratings.pain_0_10}/10{where}")
    elif ratings is not None and ratings.pain_location:
        parts.append(f"pain ({ratings.pain_location})")
    text = "; ".join(p for p in parts if p)
    return text or "none reported"


def ratings_of(report: models.SymptomReport) -> RatingsInput:
    return RatingsInput(
        rpe=report.rpe,
        rpe_scale=report.rpe_scale or RpeScale.BORG_6_20,
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


def log_view(
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
        "reason": _NO_PROFILE if row.status in WALKED_STATUSES else None,
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
        ratings=ratings_of(row.symptoms[-1]) if row.symptoms else None,
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
