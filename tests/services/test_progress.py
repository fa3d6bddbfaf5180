"""``progress_report`` over a real database (SQLite, and PostgreSQL in CI)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from retrowalk.errors import InvalidInputError
from retrowalk.services.database import Database, open_database
from retrowalk.services.logfacts import derive_missing_facts
from retrowalk.services.progress import progress_report
from tests.services.progress_rows import add_3mbwt, add_log, add_plan, add_profile

TODAY = date(2026, 3, 18)  # Wednesday
MONDAY = date(2026, 3, 16)
LAST_MONDAY = date(2026, 3, 9)


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def test_empty_database_gives_empty_weeks(db: Database) -> None:
    with db.transaction() as session:
        report = progress_report(session, weeks=3, today=TODAY)
    data = report.to_dict()
    assert [w["week_start"] for w in data["weeks"]] == ["2026-03-02", "2026-03-09", "2026-03-16"]
    assert all(w["walking_minutes"] == 0 for w in data["weeks"])
    assert all(w["adherence"] is None and w["energy_kcal"] is None for w in data["weeks"])
    assert data["balance_tests"] == []
    assert any("No profile yet" in n for n in data["notes"])


def test_full_report(db: Database) -> None:
    with db.transaction() as session:
        profile = add_profile(session, "parkinsons_66")
        planned = add_plan(
            session,
            profile.id,
            [
                (LAST_MONDAY, "planned"),  # done through a linked log
                (LAST_MONDAY + timedelta(days=2), "done"),  # marked done
                (LAST_MONDAY + timedelta(days=4), "skipped"),
                (MONDAY, "planned"),  # linked log, but the log is abandoned: not done
                (MONDAY + timedelta(days=4), "planned"),  # Friday: upcoming
                (MONDAY + timedelta(days=5), "cancelled"),  # withdrawn: never counted
            ],
            start_on=LAST_MONDAY,
        )
        add_log(
            session,
            at(LAST_MONDAY),
            [("forward", 300), ("backward", 600), ("forward", 300)],
            profile_id=profile.id,
            rpe=12,
            energy_kcal=90.0,
            segment_mets=3.3,
            planned_session_id=planned[0].id,
            pain_0_10=2,
            pain_location="right knee",
        )
        add_log(
            session,
            at(LAST_MONDAY + timedelta(days=2)),
            [("backward", 600)],
            profile_id=profile.id,
            rpe=10,  # light, although the model says 4 METs
            energy_kcal=50.0,
            segment_mets=4.0,
        )
        add_log(
            session,
            at(LAST_MONDAY + timedelta(days=3)),
            [("forward", 900)],
            profile_id=profile.id,
            segment_mets=3.1,  # no rating: METs decide
        )
        add_log(
            session,
            at(LAST_MONDAY + timedelta(days=4)),
            [("backward", 240)],
            profile_id=profile.id,
            status="stopped",
            stop_reason="dizziness",  # no rating, no METs: unknown effort
        )
        add_log(
            session,
            at(MONDAY),
            [("backward", 600)],
            profile_id=profile.id,
            status="abandoned",  # not walked minutes, but its fall is a symptom
            planned_session_id=planned[3].id,
            fall=True,
        )
        add_log(
            session,
            at(MONDAY + timedelta(days=1)),
            [("backward", 300), ("forward", 300)],
            profile_id=profile.id,
            rpe=4,
            rpe_scale="cr10",
            energy_kcal=45.0,
            pain_0_10=4,
            pain_location="lower back",
        )
        add_log(
            session,
            at(MONDAY + timedelta(days=1), 18),
            [("backward", 60)],
            profile_id=profile.id,
            status="in_progress",
        )
        add_3mbwt(session, profile.id, at(LAST_MONDAY - timedelta(days=20)), 14.0)
        add_3mbwt(session, profile.id, at(LAST_MONDAY - timedelta(days=1)), 13.5)
        add_3mbwt(session, profile.id, at(MONDAY), 10.8)
    with db.transaction() as session:
        report = progress_report(session, weeks=2, today=TODAY)
    data = report.to_dict()
    last, this = data["weeks"]

    assert last["week_start"] == "2026-03-09"
    assert last["complete"] is True
    assert last["walking_minutes"] == 49.0  # 20 + 10 + 15 + 4
    assert last["moderate_or_more_minutes"] == 35.0  # 20 by RPE + 15 by METs
    assert last["moderate_by_rpe_minutes"] == 20.0
    assert last["moderate_by_mets_minutes"] == 15.0
    assert last["light_minutes"] == 10.0
    assert last["unknown_effort_minutes"] == 4.0
    assert last["backward_minutes"] == 24.0
    assert (last["sessions_done"], last["sessions_planned"]) == (2, 3)
    assert last["adherence"] == pytest.approx(0.667, abs=1e-3)
    assert last["energy_kcal"] == {"low": 112, "central": 140, "high": 168}
    assert last["sessions_without_energy"] == 2
    assert last["symptoms"]["max_pain"] == 2
    assert last["symptoms"]["pain_locations"] == ["right knee"]
    assert last["symptoms"]["dizziness"] == 1  # from the stop reason
    assert last["goal_met"] is False

    assert this["complete"] is False
    assert this["walking_minutes"] == 10.0  # abandoned and in-progress logs are not counted
    assert this["moderate_or_more_minutes"] == 10.0  # CR10 4 is moderate
    assert (this["sessions_done"], this["sessions_planned"], this["sessions_upcoming"]) == (
        0,
        1,
        1,
    )
    assert this["adherence"] == 0.0
    assert this["energy_kcal"]["central"] == 45
    assert this["symptoms"]["falls"] == 1
    assert this["symptoms"]["max_pain"] == 4

    tests = data["balance_tests"]
    assert [t["score_s"] for t in tests] == [14.0, 13.5, 10.8]
    assert tests[0]["change"] is None
    assert tests[1]["change"]["verdict"] == "no_real_change"  # 0.5 s < MDC 2.13 s (PD)
    assert tests[2]["change"]["verdict"] == "improved"  # 2.7 s > 2.13 s
    assert tests[2]["change"]["mdc_s"] == 2.13
    assert all(t["verdict"] and "cutoff_s" in t for t in tests)

    assert data["streaks"]["planned_sessions"] == {"current": 0, "longest": 2}
    assert data["streaks"]["goal_weeks"] == {"current": 0, "longest": 0}
    assert any("unknown effort" in n for n in data["notes"])
    assert any("no energy estimate" in n for n in data["notes"])


def test_weeks_follow_the_time_zone(db: Database) -> None:
    # Sunday 23:30 UTC is already Monday in Paris (UTC+1 in March before the DST change).
    sunday_night = datetime(2026, 3, 15, 23, 30, tzinfo=UTC)
    with db.transaction() as session:
        add_log(session, sunday_night, [("backward", 600)], rpe=13)
    with db.transaction() as session:
        utc = progress_report(session, weeks=2, today=TODAY, tz=UTC).to_dict()
        paris = progress_report(session, weeks=2, today=TODAY, tz=ZoneInfo("Europe/Paris"))
    assert [w["walking_minutes"] for w in utc["weeks"]] == [10.0, 0.0]
    assert [w["walking_minutes"] for w in paris.to_dict()["weeks"]] == [0.0, 10.0]
    assert paris.time_zone == "Europe/Paris"
    assert utc["time_zone"] == "UTC"


def test_a_replaced_plan_counts_only_until_the_new_plan_starts(db: Database) -> None:
    with db.transaction() as session:
        profile = add_profile(session, "healthy_walker_68")
        add_plan(
            session,
            profile.id,
            [(LAST_MONDAY, "done"), (MONDAY, "planned"), (MONDAY + timedelta(days=1), "planned")],
            start_on=LAST_MONDAY,
            status="superseded",
            created_at=at(LAST_MONDAY - timedelta(days=1)),
        )
        add_plan(
            session,
            profile.id,
            [(MONDAY + timedelta(days=1), "done")],
            start_on=MONDAY + timedelta(days=1),
            created_at=at(MONDAY),
        )
    with db.transaction() as session:
        data = progress_report(session, weeks=2, today=TODAY).to_dict()
    last, this = data["weeks"]
    assert (last["sessions_done"], last["sessions_planned"]) == (1, 1)
    # The old plan's Monday session still counts (before the new plan's start); its Tuesday
    # session is replaced by the new plan's.
    assert (this["sessions_done"], this["sessions_planned"]) == (1, 2)


def test_goal_streak_over_history(db: Database) -> None:
    with db.transaction() as session:
        for weeks_back in (3, 2, 1):
            monday = MONDAY - timedelta(weeks=weeks_back)
            for day in range(5):
                add_log(session, at(monday + timedelta(days=day)), [("forward", 1800)], rpe=13)
    with db.transaction() as session:
        data = progress_report(session, weeks=1, today=TODAY).to_dict()
    assert data["streaks"]["goal_weeks"] == {"current": 3, "longest": 3}
    assert len(data["weeks"]) == 1


def test_session_without_energy_is_not_zero(db: Database) -> None:
    with db.transaction() as session:
        add_log(session, at(MONDAY), [("backward", 600)], rpe=12)
        add_log(session, at(MONDAY, 10), [("backward", 600)], rpe=12, energy_kcal=40.0)
    with db.transaction() as session:
        week = progress_report(session, weeks=1, today=TODAY).to_dict()["weeks"][0]
    assert week["energy_kcal"]["central"] == 40
    assert week["sessions_without_energy"] == 1


def test_segment_energy_is_summed_when_the_session_total_is_missing(db: Database) -> None:
    with db.transaction() as session:
        log = add_log(
            session,
            at(MONDAY),
            [("backward", 300), ("forward", 300)],
            energy_kcal=60.0,
            segment_mets=2.5,
        )
        assert log.energy is not None
        log.energy = {**log.energy, "energy_kcal": None}
    with db.transaction() as session:
        week = progress_report(session, weeks=1, today=TODAY).to_dict()["weeks"][0]
    assert week["energy_kcal"]["central"] == 60
    assert week["moderate_or_more_minutes"] == 0.0  # 2.5 METs without a rating: light
    assert week["light_minutes"] == 10.0


def test_invalid_weeks(db: Database) -> None:
    with db.transaction() as session, pytest.raises(InvalidInputError, match="weeks"):
        progress_report(session, weeks=0, today=TODAY)


def test_logs_stored_by_the_log_service_are_read(db: Database) -> None:
    """The energy JSON written by ``retrowalk.services.logs`` is the one progress reads."""
    logs = pytest.importorskip("retrowalk.services.logs")
    with db.transaction() as session:
        add_profile(session, "healthy_walker_68")
        logs.add_log(
            session,
            logs.LogInput(
                started_at=at(MONDAY),
                segments=(
                    logs.SegmentInput("backward", 600.0, "treadmill", "treadmill_rails", 0.67),
                    logs.SegmentInput("forward", 600.0, "treadmill", "treadmill_rails", 1.34),
                ),
                ratings=logs.RatingsInput(rpe=12, pain_0_10=1, pain_location="left knee"),
            ),
        )
        logs.add_log(
            session,
            logs.LogInput(
                started_at=at(MONDAY + timedelta(days=1)),
                segments=(logs.SegmentInput("backward", 300.0, "hallway", "wall_or_rail"),),
            ),
        )
    with db.transaction() as session:
        week = progress_report(session, weeks=1, today=TODAY).to_dict()["weeks"][0]
    assert week["walking_minutes"] == 25.0
    assert week["moderate_or_more_minutes"] == 20.0
    assert week["unknown_effort_minutes"] == 5.0  # overground, no speed, no rating
    assert week["energy_kcal"] is not None
    assert 0 < week["energy_kcal"]["low"] <= week["energy_kcal"]["central"]
    assert week["sessions_without_energy"] == 0  # costed over an assumed speed (issue 13)
    assert week["symptoms"]["pain_locations"] == ["left knee"]


def test_a_report_reads_no_log_table_scan_on_sqlite(
    make_db_url: Callable[[str], str],
) -> None:
    """The whole-history query of a report (the streak of weeks meeting the goal) is answered
    from the start-time index, and the other log queries search an index: no query reads every
    log's row (a 10-year report took over 150 ms that way; ``bench/progress_scale.py``)."""
    db = open_database(make_db_url("sqlite"))
    try:
        with db.transaction() as session:
            for days_ago in range(30):
                add_log(session, at(TODAY - timedelta(days=days_ago)), [("backward", 300.0)])
            derive_missing_facts(session)  # as the log service does on writing
        with db.factory() as session:
            raw = session.connection().connection.dbapi_connection
            assert isinstance(raw, sqlite3.Connection)
            statements: list[str] = []
            raw.set_trace_callback(statements.append)
            progress_report(session, weeks=8, today=TODAY)
            raw.set_trace_callback(None)
            plans = {
                statement: [row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}")]
                for statement in statements
                if "FROM session_logs" in statement and statement.lstrip().startswith("SELECT")
            }
    finally:
        db.dispose()
    assert len(plans) >= 3
    for statement, plan in plans.items():
        assert "SCAN session_logs" not in plan, (statement, plan)
    (streak,) = [s for s in plans if "mets_central" in s and "started_at >" not in s]
    assert plans[streak] == ["SCAN session_logs USING COVERING INDEX ix_session_logs_started_at"]
