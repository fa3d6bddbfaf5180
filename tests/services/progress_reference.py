"""The straightforward per-log progress report, from ORM rows: what the grouped query must match.

One :class:`WalkedSession` and one :class:`SymptomEntry` per log, each built in Python from the
log's stored rows by the rules of ``docs/progress.md``, then :func:`build_report`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, tzinfo
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from retrowalk.energy import Range
from retrowalk.plans.rules import EffortBand
from retrowalk.progress import (
    ProgressReport,
    SymptomEntry,
    WalkedSession,
    build_report,
    effort_from_rpe,
)
from retrowalk.services import progress
from retrowalk.services.logfacts import energy_range, mets_central
from retrowalk.services.readiness import balance_tests, current_profile
from retrowalk.store import models
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import WALKED_STATUSES


def _document(value: object) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _mets(log: models.SessionLog) -> float | None:
    """The session's central METs, else the time-weighted mean of its walked segments'."""
    stored = mets_central({"mets": _document(log.energy).get("mets")})
    if stored is not None:
        return stored
    weighted = total_s = 0.0
    for segment in log.segments:
        if segment.duration_s <= 0:
            continue
        value = mets_central(segment.energy)
        if value is None:
            return None
        weighted += value * segment.duration_s
        total_s += segment.duration_s
    return weighted / total_s if total_s > 0 else None


def _kcal(log: models.SessionLog) -> Range | None:
    """The session's kcal range, else the sum of its segments' when every one has one."""
    stored = energy_range({"energy_kcal": _document(log.energy).get("energy_kcal")})
    if stored is not None or not log.segments:
        return stored
    total: Range | None = None
    for segment in log.segments:
        one = energy_range(segment.energy)
        if one is None:
            return None
        total = one if total is None else total + one
    return total


def _symptoms(day: date, reports: list[models.SymptomReport], stop: str | None) -> SymptomEntry:
    """All of a log's reports (in recorded order) merged into one entry."""
    pains = [r for r in reports if r.pain_0_10 is not None]
    worst = max(pains, key=lambda r: r.pain_0_10 or 0) if pains else None
    first_location = next((r.pain_location for r in reports if r.pain_location), None)
    return SymptomEntry(
        day=day,
        pain_0_10=None if worst is None else worst.pain_0_10,
        pain_location=worst.pain_location
        if worst is not None and worst.pain_location
        else first_location,
        dizziness=any(r.dizziness for r in reports) or stop == "dizziness",
        near_fall=any(r.near_fall for r in reports) or stop == "near_fall",
        fall=any(r.fall for r in reports),
        chest_pain=any(r.chest_pain for r in reports),
        fainting=any(r.fainting for r in reports),
        stopped_for_pain=stop == "pain",
    )


def _has_symptoms(entry: SymptomEntry) -> bool:
    return (
        entry.pain_0_10 is not None
        or bool(entry.pain_location)
        or entry.dizziness
        or entry.near_fall
        or entry.fall
        or entry.chest_pain
        or entry.fainting
        or entry.stopped_for_pain
    )


def per_log_sessions(
    session: Session, tz: tzinfo
) -> tuple[list[WalkedSession], list[SymptomEntry]]:
    """One walked session per counted log and one symptom entry per log or report with any."""
    logs = session.scalars(
        select(models.SessionLog)
        .options(selectinload(models.SessionLog.segments), selectinload(models.SessionLog.symptoms))
        .order_by(models.SessionLog.started_at)
    ).all()
    walked: list[WalkedSession] = []
    symptoms: list[SymptomEntry] = []
    for log in logs:
        day = log.started_at.astimezone(tz).date()
        reports = sorted(log.symptoms, key=lambda r: (r.recorded_at, r.id))
        entry = _symptoms(day, reports, log.stop_reason)
        if _has_symptoms(entry):
            symptoms.append(entry)
        if log.status not in WALKED_STATUSES:
            continue
        rated = [r for r in reports if r.rpe is not None]
        walking_s = sum(s.duration_s for s in log.segments)
        backward_s = sum(s.duration_s for s in log.segments if s.direction == "backward")
        walked.append(
            WalkedSession(
                day=day,
                walking_s=walking_s,
                backward_s=min(walking_s, backward_s),
                rpe_effort=effort_from_rpe(rated[-1].rpe, rated[-1].rpe_scale)
                if rated
                else EffortBand.UNKNOWN,
                mets_central=_mets(log),
                energy_kcal=_kcal(log),
            )
        )
    alone = session.scalars(
        select(models.SymptomReport).where(models.SymptomReport.session_log_id.is_(None))
    ).all()
    for report in alone:
        entry = _symptoms(report.recorded_at.astimezone(tz).date(), [report], None)
        if _has_symptoms(entry):
            symptoms.append(entry)
    return walked, symptoms


def per_log_report(session: Session, *, weeks: int, today: date, tz: tzinfo) -> ProgressReport:
    """The whole report, with the per-log sessions and symptoms."""
    walked, symptoms = per_log_sessions(session, tz)
    profile = current_profile(session)
    return build_report(
        walked,
        progress._planned_entries(session, today=today, tz=tz),
        symptoms,
        balance_tests(session, profile) if profile is not None else [],
        today=today,
        weeks=weeks,
        generated_at=utcnow(),
        time_zone=progress._zone_name(tz),
        extra_notes=()
        if profile is not None
        else ("No profile yet, so balance tests cannot be read against a population.",),
    )
