"""Builders shared by the session-service and session-CLI tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from retrowalk.profile import parse_profile
from retrowalk.services.logs import LogInput, RatingsInput, SegmentInput
from retrowalk.services.plans import StoredPlan, create_plan
from retrowalk.services.readiness import StoredProfile, save_profile
from tests.strategies import PERSONAS_DIR


def persona(name: str = "healthy_walker_68", **changes: Any) -> dict[str, Any]:
    raw = json.loads((PERSONAS_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return {k: v for k, v in raw.items() if not k.startswith("_")} | changes


def store_profile(session: Session, name: str = "healthy_walker_68") -> StoredProfile:
    return save_profile(session, parse_profile(persona(name)))


def store_plan(session: Session, start_on: date | None = None) -> StoredPlan:
    store_profile(session)
    stored, _ = create_plan(session, start_on=start_on or yesterday(), weeks=4)
    return stored


def yesterday() -> date:
    return datetime.now(UTC).date() - timedelta(days=1)


def hours_ago(hours: float) -> datetime:
    return datetime.now(UTC) - timedelta(hours=hours)


def backward(duration_s: float = 120.0, **changes: Any) -> SegmentInput:
    values: dict[str, Any] = {
        "direction": "backward",
        "duration_s": duration_s,
        "environment": "hallway",
        "support": "wall_or_rail",
    }
    return SegmentInput(**(values | changes))


def forward(duration_s: float = 60.0, **changes: Any) -> SegmentInput:
    return backward(duration_s, direction="forward", **changes)


def a_log(**changes: Any) -> LogInput:
    values: dict[str, Any] = {
        "started_at": hours_ago(2),
        "segments": (forward(120), backward(60), forward(60), backward(60), forward(120)),
        "ratings": RatingsInput(rpe=12, pain_0_10=0, form_steady=True),
    }
    return LogInput(**(values | changes))
