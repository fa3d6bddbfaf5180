"""Storage rules: migrations, UTC at the boundary, SQLite pragmas, constraints."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from retrowalk.errors import DatabaseUnavailableError
from retrowalk.services.database import Database, open_database
from retrowalk.store import models
from retrowalk.store.engine import make_engine, normalise_url, redact
from retrowalk.store.migrate import current_revision, head_revision


def test_migrations_bring_an_empty_database_to_head(db: Database) -> None:
    assert current_revision(db.engine) == head_revision()
    assert db.status()["status"] == "ok"
    assert db.is_empty()


def test_migrations_match_the_models(db: Database) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), models.Base.metadata)
    assert diff == []


def test_timestamps_come_back_as_the_same_instant_in_utc(db: Database) -> None:
    local = datetime(2026, 3, 29, 1, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-5)))
    with db.transaction() as session:
        session.add(models.Profile(id="p", data={}, created_at=local, updated_at=local))
    with db.factory() as session:
        profile = session.get_one(models.Profile, "p")
    assert profile.created_at == local
    assert profile.created_at.tzinfo is not None
    assert profile.created_at.utcoffset() == timedelta(0)


def test_naive_datetimes_are_refused_and_nothing_is_stored(db: Database) -> None:
    naive = datetime(2026, 1, 1, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(StatementError, match="naive datetime"), db.transaction() as session:
        session.add(models.Profile(id="p", data={}, created_at=naive, updated_at=naive))
    assert db.is_empty()


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(
            models.SessionSegment(
                session_log_id="missing",
                position=0,
                direction="backward",
                duration_s=60,
                environment="hallway",
                support="wall_or_rail",
            )
        )
    assert db.is_empty()


def test_check_constraints_guard_values(db: Database) -> None:
    with pytest.raises(IntegrityError), db.transaction() as session:
        session.add(models.SymptomReport(pain_0_10=11))
    assert db.is_empty()


def test_deleting_a_session_log_deletes_its_segments(db: Database) -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with db.transaction() as session:
        log = models.SessionLog(id="s", started_at=now)
        log.segments.append(
            models.SessionSegment(
                position=0,
                direction="forward",
                duration_s=30,
                environment="hallway",
                support="none",
            )
        )
        session.add(log)
    with db.transaction() as session:
        session.delete(session.get_one(models.SessionLog, "s"))
    with db.factory() as session:
        assert session.scalars(select(models.SessionSegment)).all() == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'nested' / 'dir' / 'r.sqlite3'}")
    with database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    database.dispose()


def test_unreachable_database_gives_a_clear_error() -> None:
    with pytest.raises(DatabaseUnavailableError, match="cannot connect") as excinfo:
        open_database("postgresql://someone:secret@127.0.0.1:1/none")
    assert "secret" not in str(excinfo.value)


@pytest.mark.parametrize("url", ["not a url", "mysql+nosuchdriver://x/y"])
def test_malformed_urls_give_a_clear_error(url: str) -> None:
    with pytest.raises(DatabaseUnavailableError):
        make_engine(url)


def test_postgres_urls_use_psycopg_3() -> None:
    assert normalise_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("postgres://u@h/d") == "postgresql+psycopg://u@h/d"
    assert normalise_url("sqlite:///x") == "sqlite:///x"
    assert "pw" not in redact("postgresql://u:pw@h/d")
