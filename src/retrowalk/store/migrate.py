"""Apply Alembic migrations programmatically (``retrowalk db upgrade`` and app start)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from retrowalk.errors import DatabaseUnavailableError
from retrowalk.store.engine import check_connection, redact

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(engine: Engine | None = None) -> Config:
    """An Alembic config pointing at the packaged migrations (and at ``engine`` if given)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


@lru_cache(maxsize=1)
def head_revision() -> str:
    """The newest migration revision shipped with this version (read once per process)."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise AssertionError("no migrations found")
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or ``None`` for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction for running migrations, committed at the end.

    On SQLite, batch migrations rebuild a table (copy, drop, rename). With foreign keys on,
    dropping the old table would delete every row that refers to it through ON DELETE CASCADE,
    so they are off while migrating (SQLite's documented ALTER TABLE procedure; the pragma
    works only outside a transaction), checked before the commit, and on again afterwards.
    """
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            with conn.begin():
                yield conn
                if sqlite:
                    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                    if broken is not None:
                        raise DatabaseUnavailableError(
                            f"a migration broke a reference: {tuple(broken)}"
                        )
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()


def upgrade(engine: Engine, revision: str = "head") -> str | None:
    """Migrate the database to ``revision``; return the revision it is at afterwards."""
    check_connection(engine)
    try:
        with migration_connection(engine) as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
    except SQLAlchemyError as exc:
        raise DatabaseUnavailableError(
            f"database {redact(engine.url.render_as_string(hide_password=False))}: "
            f"migration failed ({str(getattr(exc, 'orig', None) or exc).splitlines()[0]})"
        ) from exc
    return current_revision(engine)
