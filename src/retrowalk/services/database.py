"""Opening the configured database: connect, migrate, hand out transactions."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from retrowalk.config import get_settings
from retrowalk.services.logfacts import derive_missing_facts
from retrowalk.store import models
from retrowalk.store.engine import (
    check_connection,
    make_engine,
    make_session_factory,
    redact,
    transaction,
)
from retrowalk.store.migrate import current_revision, head_revision, upgrade


@dataclass(frozen=True)
class Database:
    """An open, migrated database."""

    engine: Engine
    factory: sessionmaker[Session]

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
        return {
            "status": "ok" if revision == head else "needs_upgrade",
            "dialect": self.engine.dialect.name,
            "revision": revision,
            "head": head,
        }

    def is_empty(self) -> bool:
        """Whether no table holds a row."""
        with self.factory() as session:
            for table in models.TABLES_IN_ORDER:
                if session.scalar(select(func.count()).select_from(table)):
                    return False
        return True

    def dispose(self) -> None:
        """Close pooled connections."""
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
