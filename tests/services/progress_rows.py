"""Rows for progress tests, made with the ORM models directly (shapes as stored by the services)."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from retrowalk.profile import parse_profile
from retrowalk.services.readiness import StoredProfile, save_profile
from retrowalk.store import models
from tests.strategies import PERSONAS_DIR


def add_profile(session: Session, persona: str = "parkinsons_66") -> StoredProfile:
    raw = json.loads((PERSONAS_DIR / f"{persona}.json").read_text(encoding="utf-8"))
    return save_profile(session, parse_profile({k: v for k, v in raw.items() if k[0] != "_"}))


def add_plan(
    session: Session,
    profile_id: str,
    scheduled: list[tuple[date, str]],
    *,
    start_on: date,
    created_at: datetime | None = None,
    status: str = "active",
) -> list[models.PlannedSession]:
    """A plan whose sessions are scheduled on the given days with the given statuses."""
    plan = models.Plan(
        profile_id=profile_id,
        status=status,
        start_on=start_on,
        weeks=4,
        rules_version="test",
        state={},
        document={},
    )
    if created_at is not None:
        plan.created_at = created_at
    for position, (day, planned_status) in enumerate(scheduled):
        plan.sessions.append(
            models.PlannedSession(
                position=position,
                week=1,
                day=1,
                scheduled_on=day,
                title=f"session {position}",
                status=planned_status,
            )
        )
    session.add(plan)
    session.flush()
    return list(plan.sessions)


def kcal(central: float, spread: float = 0.2) -> dict[str, float]:
    return {"low": central * (1 - spread), "central": central, "high": central * (1 + spread)}


def add_log(
    session: Session,
    started_at: datetime,
    segments: list[tuple[str, float]],
    *,
    profile_id: str | None = None,
    status: str = "completed",
    rpe: float | None = None,
    rpe_scale: str | None = "borg6_20",
    energy_kcal: float | None = None,
    segment_mets: float | None = None,
    planned_session_id: str | None = None,
    stop_reason: str | None = None,
    **symptoms: Any,
) -> models.SessionLog:
    """A log in the shape ``retrowalk.services.logs`` stores: session and segment energy JSON."""
    total_s = sum(duration for _, duration in segments)
    log = models.SessionLog(
        profile_id=profile_id,
        started_at=started_at,
        status=status,
        stop_reason=stop_reason,
        planned_session_id=planned_session_id,
        energy=None
        if energy_kcal is None
        else {
            "energy_kcal": kcal(energy_kcal),
            "energy_net_kcal": kcal(energy_kcal * 0.7),
            "reason": None,
            "warnings": [],
            "mass_kg": 70.0,
            "backward_practice_sessions": 0,
        },
    )
    for position, (direction, duration_s) in enumerate(segments):
        log.segments.append(
            models.SessionSegment(
                position=position,
                direction=direction,
                duration_s=duration_s,
                environment="hallway",
                support="wall_or_rail",
                energy=None
                if segment_mets is None
                else {
                    "energy_kcal": None
                    if energy_kcal is None
                    else kcal(energy_kcal * duration_s / total_s),
                    "energy_net_kcal": None,
                    "mets": {
                        "low": segment_mets * 0.8,
                        "central": segment_mets,
                        "high": segment_mets * 1.2,
                    },
                    "speed_source": "given",
                    "reason": None,
                    "warnings": [],
                },
            )
        )
    if rpe is not None or symptoms:
        log.symptoms.append(
            models.SymptomReport(
                recorded_at=started_at,
                rpe=rpe,
                rpe_scale=rpe_scale if rpe is not None else None,
                **symptoms,
            )
        )
    session.add(log)
    session.flush()
    return log


def add_3mbwt(session: Session, profile_id: str, performed_at: datetime, score_s: float) -> None:
    session.add(
        models.AssessmentResult(
            profile_id=profile_id,
            kind="3mbwt",
            protocol="3mbwt-test-v1",
            values={"trials_s": [score_s, score_s], "score_s": score_s},
            performed_at=performed_at,
        )
    )
    session.flush()
