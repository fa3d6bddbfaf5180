"""Progress keeps the grouped logs between reports while the logs' generation stays the same.

The kept groups must always be what the grouped query returns now: after new logs (added in by
the writer), edits, deletes, changes made by another connection or with plain SQL, rolled-back
transactions, and with a trigger missing. See :mod:`retrowalk.services.loggroups`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic import command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, event, select, text
from sqlalchemy.orm import Session
from sqlalchemy.sql import visitors

from retrowalk.profile import example_profile_data
from retrowalk.services import loggroups
from retrowalk.services import logs as logs_service
from retrowalk.services.database import Database, open_database
from retrowalk.services.logfacts import FACTS_VERSION
from retrowalk.services.logs import LogInput, RatingsInput, SegmentInput, add_log, delete_log
from retrowalk.services.logs import edit_log as edit
from retrowalk.services.plans import create_plan
from retrowalk.services.progress import progress_report
from retrowalk.services.readiness import load_profile_data, save_profile
from retrowalk.store import models
from retrowalk.store.migrate import alembic_config, upgrade

BASE = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TODAY = date(2026, 3, 25)


def walk(
    started: datetime,
    rpe: float | None = 12,
    pain: int = 0,
    backward_s: float = 60,
    *,
    hallway: bool = False,
) -> LogInput:
    """A treadmill session with speeds (its own METs), or one in a hallway without (no energy
    figure: alike hallway logs of one slot fall in one group)."""
    where = ("hallway", "wall_or_rail") if hallway else ("treadmill", "treadmill_rails")
    speeds = (None, None) if hallway else (1.0, 0.5)
    return LogInput(
        started_at=started,
        segments=(
            SegmentInput("forward", 120.0, *where, speeds[0]),
            SegmentInput("backward", backward_s, *where, speeds[1]),
        ),
        ratings=None if rpe is None else RatingsInput(rpe=rpe, pain_0_10=pain),
        source="quick",
    )


def fresh(session: Session) -> list[loggroups.LogGroup]:
    """The grouped query run now, whatever is kept, with the logs lacking current facts."""
    query = loggroups._grouped_query(session.get_bind().dialect.name)
    groups = [loggroups.LogGroup(*row) for row in session.connection().execute(query)]
    return groups + loggroups._stale_groups(session)


def canonical(groups: list[loggroups.LogGroup]) -> list[tuple[Any, ...]]:
    """Groups in a fixed order, sums rounded to the 9th digit (their order of addition may
    differ from the database's)."""

    def value(v: Any) -> Any:
        return round(v, 9) if isinstance(v, float) else v

    return sorted((tuple(value(v) for v in g) for g in groups), key=repr)


def read(db: Database) -> list[loggroups.LogGroup]:
    """The groups a report reads, in a transaction of its own that commits (as the app's)."""
    with db.transaction() as session:
        return loggroups.grouped_logs(session)


def read_fresh(db: Database) -> list[loggroups.LogGroup]:
    with db.factory() as session:
        return fresh(session)


def kept(db: Database) -> Any:
    return loggroups._kept.get(db.engine)


@pytest.fixture
def planned_db(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as session:
        data = {**example_profile_data(), "equipment": ["treadmill_with_rails"]}
        save_profile(session, load_profile_data(data))
        create_plan(session, start_on=BASE.date(), weeks=8)
    return sqlite_db


@pytest.fixture
def statements(planned_db: Database) -> Iterator[list[str]]:
    """SQL run on ``planned_db``'s engine while the test runs."""
    seen: list[str] = []

    def record(_conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(planned_db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(planned_db.engine, "before_cursor_execute", record)


def grouped_query_runs(seen: list[str]) -> int:
    """Runs of the full grouped query (the one-log form has a WHERE on the id)."""
    return sum(1 for s in seen if "GROUP BY" in s and "session_logs.id =" not in s)


def generation(db: Database) -> tuple[int, int] | None:
    with db.factory() as session:
        return loggroups.log_generation(session.connection())


# -- the generation --------------------------------------------------------------------------


def test_every_change_to_a_grouped_column_moves_the_generation(planned_db: Database) -> None:
    start = generation(planned_db)
    assert start is not None
    with planned_db.transaction() as session:
        log_id = add_log(session, walk(BASE)).id
    after_add = generation(planned_db)
    assert after_add is not None
    assert after_add[0] == start[0] + 1
    assert after_add[1] > start[1]
    # A guided session's checkpoint changes no group: no new generation.
    with planned_db.transaction() as session:
        session.get_one(models.SessionLog, log_id).checkpoint = {"position_s": 10}
    assert generation(planned_db) == after_add
    with planned_db.transaction() as session:
        edit(session, log_id, ratings=RatingsInput(rpe=15, pain_0_10=2))
    after_edit = generation(planned_db)
    assert after_edit is not None
    assert after_edit[0] > after_add[0]
    assert after_edit[1] > after_add[1]
    with planned_db.transaction() as session:
        delete_log(session, log_id)
    after_delete = generation(planned_db)
    assert after_delete is not None
    assert after_delete[0] > after_edit[0]
    assert after_delete[1] > after_edit[1]


def test_the_update_trigger_watches_every_column_the_grouped_query_reads(
    sqlite_db: Database,
) -> None:
    query = loggroups._one_log_query("sqlite")
    columns = {
        element.name
        for element in visitors.iterate(query)
        if getattr(element, "table", None) is models.SessionLog.__table__
    }
    assert {"started_at", "status", "walked_s", "facts_version", "id"} <= columns
    with sqlite_db.engine.connect() as conn:
        sql = conn.execute(
            text("SELECT sql FROM sqlite_master WHERE name = 'session_logs_generation_update'")
        ).scalar_one()
    watched = sql.split(" OF ", 1)[1].split(" ON ", 1)[0]
    assert {name.strip() for name in watched.split(",")} >= columns


@pytest.mark.postgres
def test_postgresql_has_no_generation(make_db_url: Callable[[str], str]) -> None:
    db = open_database(make_db_url("postgresql"))
    try:
        assert generation(db) is None
        with db.transaction() as session:
            loggroups.grouped_logs(session)
        assert kept(db) is None
    finally:
        db.dispose()


# -- kept groups -----------------------------------------------------------------------------


def test_a_new_log_is_added_to_the_kept_groups_without_the_query(
    planned_db: Database, statements: list[str]
) -> None:
    for n in range(3):
        with planned_db.transaction() as session:
            add_log(session, walk(BASE + timedelta(days=n)))
    read(planned_db)  # the query runs once and its groups are kept
    before = grouped_query_runs(statements)
    with planned_db.transaction() as session:
        add_log(session, walk(BASE + timedelta(days=3), hallway=True))  # a new group
        add_log(session, walk(BASE + timedelta(days=3, seconds=1), hallway=True))  # the same
    with planned_db.transaction() as session:
        add_log(session, walk(BASE + timedelta(days=4), rpe=None))
    groups = read(planned_db)
    assert grouped_query_runs(statements) == before
    assert canonical(groups) == canonical(read_fresh(planned_db))
    assert sum(g.logs for g in groups) == 6
    assert sorted(g.logs for g in groups) == [1, 1, 1, 1, 2]
    weeks = progress_report_of(planned_db)["weeks"]
    assert sum(week["sessions_walked"] for week in weeks) == 6


def progress_report_of(db: Database) -> dict[str, Any]:
    with db.transaction() as session:
        return progress_report(session, weeks=4, today=TODAY).to_dict()


def test_a_report_reads_the_kept_groups_until_the_logs_change(
    planned_db: Database, statements: list[str]
) -> None:
    with planned_db.transaction() as session:
        add_log(session, walk(BASE))
    first = progress_report_of(planned_db)
    runs = grouped_query_runs(statements)
    second = progress_report_of(planned_db)
    assert grouped_query_runs(statements) == runs
    del first["generated_at"], second["generated_at"]
    assert first == second


def test_a_rolled_back_log_is_not_kept(planned_db: Database) -> None:
    with planned_db.transaction() as session:
        add_log(session, walk(BASE))
    read(planned_db)
    kept_before = kept(planned_db)

    def failed_request() -> None:
        with planned_db.transaction() as session:
            add_log(session, walk(BASE + timedelta(days=1)))
            assert sum(g.logs for g in loggroups.grouped_logs(session)) == 2  # its own, unsaved
            raise RuntimeError("the request failed after the log was written")

    with pytest.raises(RuntimeError):
        failed_request()
    assert kept(planned_db) is kept_before
    assert sum(g.logs for g in read(planned_db)) == 1


def test_groups_read_in_a_rolled_back_transaction_are_not_kept(planned_db: Database) -> None:
    with planned_db.transaction() as session:
        add_log(session, walk(BASE))
    with planned_db.factory() as session:  # closed without a commit
        session.execute(text("UPDATE session_logs SET walked_s = walked_s + 1000"))
        assert loggroups.grouped_logs(session)[0].walked_s > 1000
    assert kept(planned_db) is None
    assert read(planned_db)[0].walked_s < 1000


def test_a_log_written_with_other_changes_to_logs_is_not_added_in(
    planned_db: Database, monkeypatch: pytest.MonkeyPatch, statements: list[str]
) -> None:
    with planned_db.transaction() as session:
        add_log(session, walk(BASE, hallway=True))
    read(planned_db)
    original = logs_service.record_outcome

    def record_and_touch(session: Session, row: models.SessionLog) -> Any:
        # Something else in the same transaction changes another log after the log is written.
        session.execute(
            text("UPDATE session_logs SET walked_s = 1 WHERE id != :id"), {"id": row.id}
        )
        return original(session, row)

    monkeypatch.setattr(logs_service, "record_outcome", record_and_touch)
    with planned_db.transaction() as session:
        add_log(session, walk(BASE + timedelta(days=1), hallway=True))
    runs = grouped_query_runs(statements)
    groups = read(planned_db)
    assert grouped_query_runs(statements) == runs + 1
    assert sorted(g.walked_s for g in groups) == [1.0, 180.0]


def test_changes_from_another_connection_are_seen(planned_db: Database, tmp_path: Any) -> None:
    with planned_db.transaction() as session:
        add_log(session, walk(BASE))
    read(planned_db)
    other = open_database(str(planned_db.engine.url))  # another process, as the CLI
    try:
        with other.transaction() as session:
            add_log(session, walk(BASE + timedelta(days=1), rpe=16))
        with other.engine.begin() as conn:  # plain SQL, no service
            conn.execute(text("UPDATE session_logs SET rpe = 9 WHERE rpe = 16"))
    finally:
        other.dispose()
    # The writer of this process starts from a generation it has not kept: no shortcut.
    with planned_db.transaction() as session:
        add_log(session, walk(BASE + timedelta(days=2)))
    groups = read(planned_db)
    assert canonical(groups) == canonical(read_fresh(planned_db))
    assert sorted(g.rpe for g in groups) == [9.0, 12.0, 12.0]


def test_a_missing_trigger_turns_keeping_off(planned_db: Database) -> None:
    with planned_db.engine.begin() as conn:
        conn.execute(text("DROP TRIGGER session_logs_generation_update"))
    assert generation(planned_db) is None
    with planned_db.transaction() as session:
        add_log(session, walk(BASE))
    read(planned_db)
    assert kept(planned_db) is None
    with planned_db.engine.begin() as conn:  # unseen by any trigger now
        conn.execute(text("UPDATE session_logs SET walked_s = 1"))
    assert read(planned_db)[0].walked_s == 1
    # Migrating again does not bring it back (0006 is applied), but the code never trusts it.
    upgrade(planned_db.engine)
    assert generation(planned_db) is None


# -- any sequence of changes -----------------------------------------------------------------

Step = tuple[str, int, int]
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "add_two", "edit", "delete", "sql", "stale", "rollback", "read"]),
        st.integers(0, 30),  # a day (add) or a log (the others)
        st.integers(0, 3),  # a variant: rating, pain, duration
    ),
    min_size=1,
    max_size=12,
)


def _apply(db: Database, step: Step, used: set[datetime]) -> None:
    kind, at, variant = step
    rpe = (None, 11.0, 12.0, 15.0)[variant]

    def new_start() -> datetime:
        start = BASE + timedelta(days=at % 6, minutes=variant)
        while start in used:
            start += timedelta(seconds=1)
        used.add(start)
        return start

    def existing(session: Session) -> str | None:
        ids = session.scalars(select(models.SessionLog.id).order_by(models.SessionLog.id)).all()
        return ids[at % len(ids)] if ids else None

    if kind in ("add", "add_two"):
        with db.transaction() as session:
            for _ in range(1 if kind == "add" else 2):
                add_log(
                    session,
                    walk(new_start(), rpe, variant, 30.0 * (at % 3 + 1), hallway=variant < 2),
                )
    elif kind == "edit":
        with db.transaction() as session:
            log_id = existing(session)
            if log_id is not None:
                edit(session, log_id, ratings=RatingsInput(rpe=13, pain_0_10=variant))
    elif kind == "delete":
        with db.transaction() as session:
            log_id = existing(session)
            if log_id is not None:
                delete_log(session, log_id)
    elif kind == "sql":
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE session_logs SET backward_s = backward_s + :v"), {"v": at})
    elif kind == "stale":  # facts cleared (as a log written by an older version)
        with db.transaction() as session:
            log_id = existing(session)
            session.execute(
                text("UPDATE session_logs SET facts_version = NULL WHERE id = :id"), {"id": log_id}
            )
    elif kind == "rollback":
        with db.factory() as session:
            add_log(session, walk(new_start(), rpe=rpe))
            loggroups.grouped_logs(session)
            session.rollback()
    else:
        read(db)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=STEPS)
def test_kept_groups_are_the_query_after_any_changes(
    make_db_url: Callable[[str], str], steps: list[Step]
) -> None:
    db = open_database(make_db_url("sqlite"))
    try:
        with db.transaction() as session:
            save_profile(session, load_profile_data(example_profile_data()))
            create_plan(session, start_on=BASE.date(), weeks=8)
        used: set[datetime] = set()
        for step in steps:
            _apply(db, step, used)
            got = read(db)
            assert canonical(got) == canonical(read_fresh(db)), step
            assert all(not math.isnan(g.walked_s) for g in got)
    finally:
        db.dispose()


def test_a_generation_table_made_again_never_repeats_a_kept_generation(
    planned_db: Database,
) -> None:
    assert read(planned_db) == []  # kept at the table's first generation: no change yet
    config = alembic_config(planned_db.engine)
    command.downgrade(config, "0005")
    with planned_db.engine.connect() as conn:
        names = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master"))}
    assert not {name for name in names if "generation" in name}
    stamp = "2026-03-02 09:00:00.000000"
    with planned_db.engine.begin() as conn:  # a log written while no trigger watched
        conn.execute(
            text(
                "INSERT INTO session_logs (id, source, status, started_at, notes, created_at, "
                "updated_at, facts_version, walked_s, backward_s, events) VALUES ('old', "
                "'manual', 'completed', :at, '', :at, :at, :facts, 600.0, 300.0, 0)"
            ),
            {"at": stamp, "facts": FACTS_VERSION},
        )
    command.upgrade(config, "head")
    generation_now = generation(planned_db)
    assert generation_now is not None
    assert generation_now[0] == 0  # no change counted yet: only the stamp tells them apart
    assert [g.walked_s for g in read(planned_db)] == [600.0]
    with planned_db.transaction() as session:
        add_log(session, walk(BASE + timedelta(days=1)))
    assert canonical(read(planned_db)) == canonical(read_fresh(planned_db))
