"""Shared fixtures: every test gets its own database and settings.

Store tests run on SQLite always and on PostgreSQL when ``RETROWALK_TEST_POSTGRES_URL`` is set
(each test then gets a schema of its own).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from retrowalk.config import get_settings
from retrowalk.services.database import Database, open_database
from retrowalk.store.engine import normalise_url

POSTGRES_URL = os.environ.get("RETROWALK_TEST_POSTGRES_URL")
#: The host names Starlette's test client sends (the server refuses unknown ``Host`` names).
os.environ.setdefault("RETROWALK_ALLOWED_HOSTS", "testserver,phone.test")
#: Data sets the tests read, in the repository (each folder with its README and licence).
DATA_DIR = Path(__file__).resolve().parents[1] / "data"

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if POSTGRES_URL:
        return
    skip = pytest.mark.skip(
        reason="RETROWALK_TEST_POSTGRES_URL is not set (make test sets it where PostgreSQL is)"
    )
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the user's real data directory."""
    monkeypatch.setenv("RETROWALK_DATABASE_URL", f"sqlite:///{tmp_path / 'default.sqlite3'}")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _postgres_schema_url(schema: str) -> str:
    assert POSTGRES_URL
    base = normalise_url(POSTGRES_URL)
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    joiner = "&" if "?" in base else "?"
    return f"{base}{joiner}options={quote(f'-csearch_path={schema}')}"


def _drop_postgres_schema(schema: str) -> None:
    assert POSTGRES_URL
    admin = create_engine(normalise_url(POSTGRES_URL))
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def make_db_url(tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Make URLs of new, empty databases on a backend ("sqlite" or "postgresql")."""
    schemas: list[str] = []

    def make(backend: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / f'db-{uuid.uuid4().hex[:8]}.sqlite3'}"
        schema = f"rw_test_{uuid.uuid4().hex[:12]}"
        schemas.append(schema)
        return _postgres_schema_url(schema)

    yield make
    for schema in schemas:
        _drop_postgres_schema(schema)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def sqlite_db(make_db_url: Callable[[str], str]) -> Iterator[Database]:
    """A migrated, empty SQLite database (for what only SQLite has)."""
    database = open_database(make_db_url("sqlite"))
    yield database
    database.dispose()


@pytest.fixture
def db(backend: str, make_db_url: Callable[[str], str]) -> Iterator[Database]:
    """A migrated, empty database on each backend."""
    database = open_database(make_db_url(backend))
    yield database
    database.dispose()
