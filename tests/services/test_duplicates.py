"""A walk imported from a file and also logged by the player (either order): stored, counted
once in progress, and the walker keeps one."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from pathlib import Path

import pytest

from retrowalk.errors import InvalidInputError
from retrowalk.services.activities import ImportOptions, import_file
from retrowalk.services.backup import export_to, import_from
from retrowalk.services.database import Database, open_database
from retrowalk.services.duplicates import keep_log, pending
from retrowalk.services.logs import LogInput, add_log, delete_log, list_logs
from retrowalk.services.progress import progress_report
from retrowalk.store import models
from tests.activities.builders import LapSpec, gpx_track
from tests.services.helpers import backward, forward, store_profile

MARK = ImportOptions(on_duplicate="mark", tz=UTC)
LAPS = [LapSpec(300, 1.2), LapSpec(60, 0.6), LapSpec(300, 1.2)]


def start() -> datetime:
    return datetime.combine(datetime.now(UTC).date() - timedelta(days=1), time(9), tzinfo=UTC)


def played(db: Database, at: datetime, source: str = "guided") -> str:
    with db.transaction() as session:
        view = add_log(
            session,
            LogInput(
                started_at=at,
                segments=(forward(300), backward(60), forward(300)),
                source=source,
            ),
        )
    return view.id


def imported(db: Database, tmp_path: Path, at: datetime, zone: str = "+09:00") -> str:
    """A GPX file of the walk written in another time zone."""
    path = tmp_path / f"watch-{at:%H%M%S}.gpx"
    path.write_text(gpx_track(at, LAPS, zone=zone))
    with db.transaction() as session:
        (result,) = import_file(session, path, options=MARK)
    assert result.log is not None
    return result.log.id


def walked_minutes(db: Database) -> float:
    with db.factory() as session:
        report = progress_report(session, weeks=2, today=datetime.now(UTC).date(), tz=UTC)
    return sum(w.walking_s for w in report.weeks) / 60


@pytest.fixture
def db(sqlite_db: Database) -> Database:
    with sqlite_db.transaction() as session:
        store_profile(session)
    return sqlite_db


def test_played_then_imported_counts_once_until_the_walker_keeps_the_import(
    db: Database, tmp_path: Path
) -> None:
    player = played(db, start())
    alone = walked_minutes(db)
    assert alone == pytest.approx(11.0)
    watch = imported(db, tmp_path, start() + timedelta(seconds=20))
    with db.factory() as session:
        (pair,) = pending(session)
        assert (pair.log_id, pair.other_id) == (watch, player)
        assert len(list_logs(session)) == 2  # nothing dropped
    assert walked_minutes(db) == pytest.approx(alone)  # counted once
    with db.transaction() as session:
        assert keep_log(session, watch[:8]) == [player]
    with db.factory() as session:
        assert [log.id for log in list_logs(session)] == [watch]
        assert pending(session) == []
    assert walked_minutes(db) == pytest.approx(alone, rel=0.05)


def test_imported_then_played_marks_the_players_log_and_keeping_the_import_deletes_it(
    db: Database, tmp_path: Path
) -> None:
    watch = imported(db, tmp_path, start(), zone="-05:00")
    player = played(db, start() + timedelta(minutes=1), source="quick")
    with db.factory() as session:
        row = session.get(models.SessionLog, player)
        assert row is not None
        assert row.duplicate_of == watch
    with db.transaction() as session:
        assert keep_log(session, watch) == [player]
    with db.factory() as session:
        assert [log.source for log in list_logs(session)] == ["import"]


def test_deleting_the_first_makes_the_repeat_count_again(db: Database, tmp_path: Path) -> None:
    watch = imported(db, tmp_path, start())
    player = played(db, start() + timedelta(seconds=30))
    with db.transaction() as session:
        delete_log(session, watch)
    with db.factory() as session:
        row = session.get(models.SessionLog, player)
        assert row is not None
        assert row.duplicate_of is None
        assert pending(session) == []


def test_two_player_logs_of_different_walks_are_not_marked(db: Database) -> None:
    played(db, start())
    played(db, start() + timedelta(hours=2))
    with db.factory() as session:
        assert pending(session) == []


def test_keeping_a_log_that_is_not_one_of_a_pair_is_refused(db: Database) -> None:
    alone = played(db, start())
    with db.transaction() as session, pytest.raises(InvalidInputError, match="log"):
        keep_log(session, alone)


def test_the_mark_survives_export_and_import(db: Database, tmp_path: Path) -> None:
    watch = imported(db, tmp_path, start())
    played(db, start() + timedelta(seconds=30))
    target = tmp_path / "backup.json"
    export_to(db, target)
    other = open_database(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
    try:
        import_from(other, target)
        with other.factory() as session:
            (pair,) = pending(session)
            assert pair.other_id == watch
    finally:
        other.dispose()
