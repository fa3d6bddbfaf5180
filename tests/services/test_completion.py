"""Planned sessions done / partly done / missed, Today moving on, and walked days (issue 13)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from retrowalk.progress.completion import SessionState
from retrowalk.services.completion import planned_session_statuses, walked_days
from retrowalk.services.database import Database
from retrowalk.services.logs import add_log
from retrowalk.services.plans import today
from retrowalk.services.progress import progress_report
from tests.services.helpers import a_log, backward, store_plan, yesterday


def test_a_short_tired_stop_is_partly_done_and_today_moves_on(db: Database) -> None:
    with db.transaction() as session:
        stored = store_plan(session)
        first, second = stored.plan.sessions[:2]
        day = first.scheduled_on
        before = today(session, day, tz=UTC)
        assert before.session == first
        add_log(
            session,
            a_log(
                started_at=datetime.combine(day, time(12), UTC),
                segments=(backward(7, completed=False),),
                status="stopped",
                stop_reason="tired",
            ),
        )
    with db.transaction() as session:
        states = planned_session_statuses(session, today=day, tz=UTC)
        assert states[0].state is SessionState.PARTLY_DONE
        assert states[0].walked_backward_s == 7
        assert states[1].state is SessionState.PLANNED
        after = today(session, day, tz=UTC)
        assert after.session == second  # not offered again
        assert after.logged_today is not None
        assert after.logged_today["state"] == "partly_done"
        assert any("partly done" in r for r in after.reasons)
        week = progress_report(session, weeks=1, today=day, tz=UTC).to_dict()["weeks"][0]
        assert week["sessions_done"] == 0  # adherence uses the same rule
        days = walked_days(session, tz=UTC)
        assert [d.day for d in days] == [day]
        assert days[0].backward_s == 7


def test_a_session_mostly_walked_is_done(db: Database) -> None:
    with db.transaction() as session:
        stored = store_plan(session)
        first = stored.plan.sessions[0]
        add_log(
            session,
            a_log(
                started_at=datetime.combine(first.scheduled_on, time(12), UTC),
                segments=(backward(first.backward_s),),
                planned_session_id=stored.session_id(first),
            ),
        )
    with db.transaction() as session:
        states = planned_session_statuses(session, today=first.scheduled_on, tz=UTC)
        assert states[0].state is SessionState.DONE
        week = progress_report(session, weeks=1, today=first.scheduled_on, tz=UTC)
        assert week.to_dict()["weeks"][0]["sessions_done"] == 1


def test_a_log_naming_its_planned_session_counts_however_late_and_others_stay_out(
    db: Database,
) -> None:
    """Logs are read for the planned days and for the planned sessions they name: a session
    walked a month after the plan's last day, naming its planned session, still counts for it;
    unnamed walks after the plan count for nothing."""
    with db.transaction() as session:
        stored = store_plan(session, start_on=yesterday() - timedelta(weeks=10))
        first, last = stored.plan.sessions[0], stored.plan.sessions[-1]
        late = last.scheduled_on + timedelta(days=30)
        add_log(
            session,
            a_log(
                started_at=datetime.combine(late, time(12), UTC),
                segments=(backward(first.backward_s),),
                planned_session_id=stored.session_id(first),
            ),
        )
        add_log(
            session,
            a_log(
                started_at=datetime.combine(late + timedelta(days=1), time(12), UTC),
                segments=(backward(last.backward_s),),
            ),
        )
    with db.transaction() as session:
        states = planned_session_statuses(session, today=late + timedelta(days=2), tz=UTC)
        assert states[0].state is SessionState.DONE
        assert [s.state for s in states[1:]] == [SessionState.MISSED] * (len(states) - 1)
