"""Opening the configured database: connect, migrate, hand out transactions."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from retrowalk.config import get_settings
from retrowalk.services.logfacts import derive_missing_facts
from retrowalk.store import models
from retrowalk.store.engine import (
    SQLITE_BUSY_TIMEOUT_MS,
    check_connection,
    is_read_only_error,
    make_engine,
    make_session_factory,
    redact,
    transaction,
)
from retrowalk.store.migrate import current_revision, head_revision, upgrade


class _DataVersion:
    """SQLite's ``PRAGMA data_version`` read on a connection of its own that never writes, so
    it changes whenever any other connection (of this process or another, such as the CLI)
    commits a change, and only then."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Any = None
        self._lock = threading.Lock()

    def read(self) -> int:
        with self._lock:
            if self._connection is None:
                self._connection = self._engine.raw_connection()
            cursor = self._connection.cursor()
            try:
                cursor.execute("PRAGMA data_version")
                return int(cursor.fetchone()[0])
            finally:
                cursor.close()

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None


@dataclass(frozen=True)
class Database:
    """An open, migrated database."""

    engine: Engine
    factory: sessionmaker[Session]
    _data_version: _DataVersion | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.engine.dialect.name == "sqlite" and self._data_version is None:
            object.__setattr__(self, "_data_version", _DataVersion(self.engine))

    def data_version(self) -> int | None:
        """A number that changes whenever a transaction that changed the database commits (any
        connection, any process); ``None`` where the database offers none (PostgreSQL). Read it
        before a transaction starts: what that transaction reads is then at least as new."""
        return None if self._data_version is None else self._data_version.read()

    @property
    def url_for_display(self) -> str:
        """The URL with any password hidden."""
        return redact(self.engine.url.render_as_string(hide_password=False))

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A unit of work: commits on success, stores nothing on error."""
        with transaction(self.factory) as session:
            yield session

    def status(self) -> dict[str, object]:
        """Connection and migration status (for ``/api/health`` and ``db status``)."""
        try:
            check_connection(self.engine)
            revision = current_revision(self.engine)
        except Exception as exc:  # health must report, not raise
            return {"status": "unavailable", "error": str(exc).splitlines()[0]}
        head = head_revision()
        writable = self.writable()
        state = "ok" if revision == head else "needs_upgrade"
        return {
            "status": state if writable else "read_only",
            "writable": writable,
            "dialect": self.engine.dialect.name,
            "revision": revision,
            "head": head,
        }

    def writable(self) -> bool:
        """Whether the database accepts writes (without writing or waiting).

        SQLite: a statement that writes nothing (``DELETE ... WHERE 0``) still needs write
        access, and fails at once on a read-only file, folder, mount or connection; a busy
        writer elsewhere means the database is writable. PostgreSQL: ``transaction_read_only``
        (a standby, or ``default_transaction_read_only``).
        """
        with self.engine.connect() as conn:
            if self.engine.dialect.name != "sqlite":
                return conn.exec_driver_sql("SHOW transaction_read_only").scalar() != "on"
            conn.exec_driver_sql("PRAGMA busy_timeout=0")
            try:
                conn.exec_driver_sql(f"DELETE FROM {models.Setting.__tablename__} WHERE 0")
            except SQLAlchemyError as exc:
                return not is_read_only_error(exc)
            finally:
                conn.rollback()
                conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
            return True

    def is_empty(self) -> bool:
        """Whether no table holds a row."""
        with self.factory() as session:
            for table in models.TABLES_IN_ORDER:
                if session.scalar(select(func.count()).select_from(table)):
                    return False
        return True

    def dispose(self) -> None:
        """Close pooled connections."""
        if self._data_version is not None:
            self._data_version.close()
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open ``url`` (default: the configured URL), check it answers and apply migrations.

    Raises
    ------
    retrowalk.errors.DatabaseUnavailableError
        If the database can't be reached or migrated; the message says which and why.
    """
    engine = make_engine(url or get_settings().database_url)
    check_connection(engine)
    db = Database(engine=engine, factory=make_session_factory(engine))
    if migrate:
        upgrade(engine)
        with db.transaction() as session:
            derive_missing_facts(session)
    return db
