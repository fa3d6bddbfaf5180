"""Recoverable deletion (``retrowalk.services.logs.trash``): "Undo" brings a deleted log back
exactly (segments, reports, recording, plan changes) and the plan with it (issue 13)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.services.database import Database
from retrowalk.services.logs import RatingsInput, add_log
from retrowalk.services.logs.trash import (
    UNDO_KEEP_DAYS,
    delete_recoverably,
    get_deletion,
    restore_log,
)
from retrowalk.services.plans import current_plan
from retrowalk.services.recordings import attach_recording
from retrowalk.store import models
from retrowalk.timeutil import utcnow
from tests.services.helpers import a_log, hours_ago, store_plan
from tests.services.test_recordings import PLAN, session_recording


def _stored(session: Any, log_id: str) -> dict[str, Any]:
    """Everything stored for a log, as plain values."""
    log = session.get(models.SessionLog, log_id)
    assert log is not None
    columns = models.SessionLog.__table__.columns
    recording = session.scalars(
        select(models.MotionRecording).where(models.MotionRecording.session_log_id == log_id)
    ).one_or_none()
    return {
        "log": {c.name: getattr(log, c.key) for c in columns},
        "segments": [
            (s.id, s.position, s.direction, s.duration_s, s.speed_m_s, s.completed, s.energy)
            for s in log.segments
        ],
        "reports": [
            (r.id, r.pain_0_10, r.pain_location, r.fall, r.dizziness, r.recorded_at)
            for r in log.symptoms
        ],
        "recording": None if recording is None else (recording.id, recording.data),
        "changes": sorted(
            session.scalars(
                select(models.PlanChange.id).where(models.PlanChange.session_log_id == log_id)
            ).all()
        ),
    }


def test_undo_restores_a_deleted_fall_exactly_and_the_stop_with_it(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        view = add_log(
            session,
            a_log(
                started_at=hours_ago(3),
                ratings=RatingsInput(rpe=12, pain_0_10=4, pain_location="left knee", fall=True),
            ),
        )
        attach_recording(session, view.id, session_recording(PLAN), view.started_at, source="test")
    with db.factory() as session:
        before = _stored(session, view.id)
        plan_before = current_plan(session)
    assert plan_before is not None
    assert plan_before.plan.stopped
    assert before["recording"] is not None
    assert before["changes"]

    with db.transaction() as session:
        deletion = delete_recoverably(session, view.id[:8])
    assert deletion.log_id == view.id
    assert deletion.started_at == view.started_at
    assert deletion.plan_message is not None
    assert "no longer stopped" in deletion.plan_message
    with db.factory() as session:
        assert session.get(models.SessionLog, view.id) is None
        assert session.scalar(select(func.count()).select_from(models.MotionRecording)) == 0
        plan = current_plan(session)
        assert plan is not None
        assert not plan.plan.stopped

    with db.transaction() as session:
        restored = restore_log(session, deletion.id)
    assert restored.log.id == view.id
    assert restored.revision is not None
    assert restored.revision.stopped
    with db.factory() as session:
        assert _stored(session, view.id) == before
        plan = current_plan(session)
        assert plan is not None
        assert plan.plan.stopped
        assert plan.plan.state == plan_before.plan.state
        with pytest.raises(NotFoundError, match="restored already"):
            get_deletion(session, deletion.id)


def test_undo_is_refused_when_a_session_at_that_time_was_logged_since(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        view = add_log(session, a_log(started_at=hours_ago(3)))
        deletion = delete_recoverably(session, view.id)
        add_log(session, a_log(started_at=view.started_at))
    with pytest.raises(InvalidInputError, match="already logged"), db.transaction() as session:
        restore_log(session, deletion.id)
    with db.factory() as session:
        assert get_deletion(session, deletion.id).log_id == view.id  # still there to retry


def test_deletions_older_than_the_undo_window_are_dropped(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        old = delete_recoverably(session, add_log(session, a_log(started_at=hours_ago(5))).id)
        row = session.get(models.DeletedLog, old.id)
        assert row is not None
        row.deleted_at = utcnow() - timedelta(days=UNDO_KEEP_DAYS, minutes=1)
        recent = delete_recoverably(session, add_log(session, a_log(started_at=hours_ago(4))).id)
    with db.factory() as session:
        assert get_deletion(session, recent.id).log_id == recent.log_id
        with pytest.raises(NotFoundError):
            get_deletion(session, old.id)
