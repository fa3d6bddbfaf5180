"""Engines and sessions: SQLite (WAL, foreign keys on) by default, PostgreSQL by URL."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from retrowalk.config import default_data_dir
from retrowalk.errors import DatabaseReadOnlyError, DatabaseUnavailableError

#: SQLite's primary result code for "attempt to write a readonly database" (SQLITE_READONLY;
#: extended codes keep it in the low byte), and PostgreSQL's SQLSTATE for a read-only transaction.
_SQLITE_READONLY = 8
_PG_READ_ONLY_SQL_TRANSACTION = "25006"

#: How long SQLite waits for a competing writer (the CLI while the server runs) before failing.
SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalise_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` / ``postgres://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def redact(url: str) -> str:
    """The URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<unparseable URL>"


#: The database holds health data: only its owner may read it (folder 0700, files 0600).
PRIVATE_FOLDER_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
#: Files SQLite keeps beside the database (it gives them the database file's permissions).
SQLITE_SIDE_FILES = ("-wal", "-shm", "-journal")


def make_private(path: Path) -> None:
    """Create the folder of an SQLite database (mode 0700) and the empty database file (0600)
    when missing, and take group and other access away from an existing database file and its
    side files (``-wal``, ``-shm``). An existing folder keeps its mode (it may be shared, e.g.
    ``/tmp``), except RetroWalk's own data folder."""
    folder = path.parent
    if not folder.exists() or folder == default_data_dir():
        folder.mkdir(parents=True, mode=PRIVATE_FOLDER_MODE, exist_ok=True)
        folder.chmod(PRIVATE_FOLDER_MODE)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY, PRIVATE_FILE_MODE))
    for file in (path, *(path.with_name(path.name + s) for s in SQLITE_SIDE_FILES)):
        if file.exists() and file.stat().st_mode & 0o077:
            file.chmod(PRIVATE_FILE_MODE)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create an engine for ``url``.

    Raises
    ------
    retrowalk.errors.DatabaseUnavailableError
        If the URL is malformed, names an unknown driver, or its SQLite directory can't be made.
    """
    url = normalise_url(url)
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseUnavailableError(
            f"database URL {url!r} is not a valid URL (expected e.g. "
            "sqlite:///path/to/file.sqlite3 or postgresql://user:password@host/dbname)"
        ) from exc
    kwargs: dict[str, Any] = {}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                make_private(Path(database).expanduser())
            except OSError as exc:
                raise DatabaseUnavailableError(
                    f"database {redact(url)}: cannot create it or its folder ({exc.strerror})"
                ) from exc
        kwargs["connect_args"] = {"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    else:
        kwargs["pool_pre_ping"] = True
        if parsed.get_backend_name() == "postgresql":
            kwargs["connect_args"] = {"connect_timeout": 5}
    try:
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise DatabaseUnavailableError(
            f"database {redact(url)}: unsupported URL ({exc}); use sqlite:/// or postgresql://"
        ) from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def check_connection(engine: Engine) -> None:
    """Run ``SELECT 1``; raise a clear error if the database is unreachable."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise DatabaseUnavailableError(
            f"database {redact(engine.url.render_as_string(hide_password=False))}: "
            f"cannot connect ({reason})"
        ) from exc


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """A session factory whose objects stay readable after commit."""
    return sessionmaker(bind=engine, expire_on_commit=False)


def is_read_only_error(exc: BaseException) -> bool:
    """Whether ``exc`` (a SQLAlchemy or driver error) says the database refuses writes."""
    orig = getattr(exc, "orig", exc)
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF == _SQLITE_READONLY
    return getattr(orig, "sqlstate", None) == _PG_READ_ONLY_SQL_TRANSACTION


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session that commits on success and rolls back (storing nothing) on any error.

    Raises
    ------
    retrowalk.errors.DatabaseReadOnlyError
        When the database refuses the write (nothing was stored).
    """
    try:
        with factory() as session, session.begin():
            yield session
    except SQLAlchemyError as exc:
        if is_read_only_error(exc):
            raise DatabaseReadOnlyError(
                "the database is read-only (check the permissions of its file and folder): "
                "nothing was saved"
            ) from exc
        raise
