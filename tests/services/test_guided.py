"""Guided sessions: start -> checkpoint -> finish; unfinished sessions; refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from retrowalk.errors import InvalidInputError, StateConflictError
from retrowalk.services.database import Database
from retrowalk.services.guided import (
    PlanStoppedError,
    SessionInProgressError,
    abandon_or_log_partial,
    checkpoint,
    find_unfinished,
    finish_guided,
    restore_run,
    start_guided,
)
from retrowalk.services.logs import RatingsInput, list_logs
from retrowalk.sessions import RunStatus, SessionRun, StopReason, build_timeline, parse_quick
from retrowalk.store import models
from tests.services.helpers import store_plan, store_profile
from tests.sessions.fakes import FakeClock


def test_start_checkpoint_finish_quick(db: Database) -> None:
    with db.transaction() as session:
        store_profile(session)
        guided = start_guided(session, quick_spec="2x(1m back, 1m fwd)")
    assert guided.source == "quick"
    assert guided.snapshot.status is RunStatus.NOT_STARTED
    clock = FakeClock()
    run = SessionRun(guided.timeline, clock)
    run.start()
    clock.advance(70)
    run.poll()
    with db.transaction() as session:
        checkpoint(session, guided.log_id, run.snapshot())
    with db.factory() as session:
        unfinished = find_unfinished(session)
    assert unfinished is not None
    assert unfinished.snapshot.elapsed_s == pytest.approx(70)
    clock.advance(guided.timeline.total_s)
    run.poll()
    assert run.state is RunStatus.FINISHED
    with db.transaction() as session:
        view = finish_guided(
            session, guided.log_id, run.snapshot(), RatingsInput(rpe=11, pain_0_10=0)
        )
    assert view.status == "completed"
    assert view.source == "quick"
    assert [s.direction for s in view.segments] == ["backward", "forward"] * 2
    assert all(s.completed for s in view.segments)
    assert view.duration_s == pytest.approx(240)
    with db.factory() as session:
        row = session.get(models.SessionLog, guided.log_id)
        assert row is not None
        assert row.checkpoint is None
        assert find_unfinished(session) is None


def test_planned_session_stopped_logs_the_part_done(db: Database) -> None:
    with db.transaction() as session:
        plan = store_plan(session)
        guided = start_guided(session, planned_session_id=plan.session_ids[0][:8])
    assert guided.source == "guided"
    clock = FakeClock()
    run = SessionRun(guided.timeline, clock)
    run.start()
    first = guided.timeline.segments[0]
    clock.advance(first.end_s + 5)
    run.poll()
    run.stop(StopReason.PAIN, "knee")
    with db.transaction() as session:
        view = finish_guided(session, guided.log_id, run.snapshot(), RatingsInput(pain_0_10=5))
    assert view.status == "stopped"
    assert view.stop_reason == "pain"
    assert view.segments[0].completed
    assert not view.segments[-1].completed
    assert view.segments[-1].duration_s == pytest.approx(5)
    assert "knee" in view.notes
    assert view.plan_change is not None
    assert view.plan_change.action == "regress"
    assert view.planned_session_id == plan.session_ids[0]


def test_one_session_in_progress_at_a_time(db: Database) -> None:
    with db.transaction() as session:
        start_guided(session, quick_spec="1m back")
    with pytest.raises(SessionInProgressError), db.transaction() as session:
        start_guided(session, quick_spec="1m back")


def test_restore_and_log_partial_or_abandon(db: Database) -> None:
    with db.transaction() as session:
        store_profile(session)
        guided = start_guided(session, quick_spec="3m back")
    clock = FakeClock()
    run = SessionRun(guided.timeline, clock)
    run.start()
    clock.advance(70)
    with db.transaction() as session:
        checkpoint(session, guided.log_id, run.snapshot())
    with db.factory() as session:
        unfinished = find_unfinished(session)
    assert unfinished is not None
    restored = restore_run(unfinished, FakeClock(5.0))
    assert restored.state is RunStatus.PAUSED
    assert restored.snapshot().elapsed_s == pytest.approx(70)
    with db.transaction() as session:
        view = abandon_or_log_partial(session, guided.log_id, log_part_done=True)
    assert view is not None
    assert view.status == "stopped"
    assert view.stop_reason is None
    assert view.duration_s == pytest.approx(60)
    assert view.ended_at == unfinished.checkpoint_at

    with db.transaction() as session:
        other = start_guided(session, quick_spec="1m back")
    with db.transaction() as session:
        assert abandon_or_log_partial(session, other.log_id, log_part_done=False) is None
    with db.factory() as session:
        assert find_unfinished(session) is None
        assert [v.id for v in list_logs(session)] == [guided.log_id]
        assert len(list_logs(session, include_unfinished=True)) == 2


def test_stopped_plan_refuses_to_start(db: Database) -> None:
    with db.transaction() as session:
        store_plan(session)
        for plan in session.scalars(select(models.Plan)):
            plan.status = "stopped"
    with pytest.raises(PlanStoppedError), db.transaction() as session:
        start_guided(session, quick_spec="1m back")


def test_bad_options(db: Database) -> None:
    with pytest.raises(InvalidInputError) as caught, db.transaction() as session:
        start_guided(session, quick_spec="1m sideways")
    assert caught.value.field == "quick"
    with pytest.raises(InvalidInputError) as caught, db.transaction() as session:
        start_guided(session)
    assert caught.value.field == "planned_session_id"
    with pytest.raises(InvalidInputError) as caught, db.transaction() as session:
        start_guided(session, planned_session_id="abcdef12")
    assert caught.value.field == "planned_session_id"


def test_snapshot_of_another_timeline_is_refused(db: Database) -> None:
    with db.transaction() as session:
        guided = start_guided(session, quick_spec="1m back")
    foreign = SessionRun(build_timeline(parse_quick("2m back")), FakeClock()).snapshot()
    with pytest.raises(StateConflictError) as caught, db.transaction() as session:
        checkpoint(session, guided.log_id, foreign)
    assert caught.value.field == "snapshot.timeline_id"
