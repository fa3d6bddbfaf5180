"""The steadiness trend read from the sessions' stored motion analyses."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy.orm import Session

from retrowalk.motion.recording import make_recording
from retrowalk.motion.storage import encode
from retrowalk.progress.steadiness import STEP_REGULARITY_MDC95
from retrowalk.services.database import Database
from retrowalk.services.logs import add_log
from retrowalk.services.progress import steadiness_report
from retrowalk.store import models
from tests.services.helpers import a_log, store_profile

TODAY = date(2026, 12, 3)


def analysis(regularities: list[float], walking_s: float = 60) -> dict[str, Any]:
    """A stored analysis: a forward part, then one backward part per figure."""
    segments: list[dict[str, Any]] = [
        {"position": 0, "planned_direction": "forward", "step_regularity": 0.95, "walking_s": 120}
    ]
    for k, value in enumerate(regularities, start=1):
        segments.append(
            {
                "position": k,
                "planned_direction": "backward",
                "step_regularity": value,
                "walking_s": walking_s,
            }
        )
    return {"steps": 0, "segments": segments}


def add_recorded_log(
    session: Session, started_at: datetime, regularities: list[float], walking_s: float = 60
) -> str:
    """A walked log and a motion recording row whose analysis gives ``regularities``."""
    view = add_log(session, a_log(started_at=started_at))
    t = np.arange(100) / 50.0
    rec = make_recording(t, np.column_stack([t * 0, t * 0, 9.81 + np.sin(t)]))
    session.add(
        models.MotionRecording(
            session_log_id=view.id,
            started_at=started_at,
            duration_s=rec.duration_s,
            samples=rec.n_samples,
            sampling_rate_hz=rec.sampling_rate_hz,
            has_gyro=False,
            source="test",
            data=encode(rec),
            analysis=analysis(regularities, walking_s),
        )
    )
    session.flush()
    return view.id


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC)


def test_steadiness_by_week_from_recorded_sessions(db: Database) -> None:
    with db.transaction() as session:
        store_profile(session)
        add_recorded_log(session, at(TODAY - timedelta(weeks=3)), [0.60, 0.62])
        add_recorded_log(session, at(TODAY - timedelta(weeks=3, days=-1)), [0.64, 0.62])
        add_recorded_log(session, at(TODAY), [0.80, 0.82])
        # too little backward walking (2 x 25 s): left out
        add_recorded_log(session, at(TODAY - timedelta(days=1)), [0.1, 0.1], walking_s=25)
    with db.factory() as session:
        trend = steadiness_report(session, weeks=8, today=TODAY, tz=UTC)
    counted = [w for w in trend.weeks if w.step_regularity is not None]
    assert [w.sessions for w in counted] == [2, 1]
    assert counted[0].step_regularity == pytest.approx(0.62)
    assert counted[1].step_regularity == pytest.approx(0.81)
    assert trend.change is not None
    assert trend.change > STEP_REGULARITY_MDC95
    assert trend.verdict == "steadier"
    assert trend.mdc_source == "data_set"


def test_no_recordings_means_no_steadiness_yet(db: Database) -> None:
    with db.transaction() as session:
        store_profile(session)
        add_log(session, a_log(started_at=at(TODAY)))
    with db.factory() as session:
        trend = steadiness_report(session, weeks=4, today=TODAY, tz=UTC)
    assert trend.verdict == "not_enough_data"
    assert trend.sentence.startswith("No steadiness yet")
