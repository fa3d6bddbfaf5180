"""One transaction per request (``SessionDep``) and the one progress report cache.

``GET /api/progress`` and the Progress page share one report cache (kept while nothing was
committed, by any connection); ``POST /api/logs`` waits for the app's write slot, then
``BEGIN IMMEDIATE`` (a busy database is waited for in a worker thread, not on the event loop).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from retrowalk.services.database import Database, open_database
from retrowalk.services.logs import LogInput, add_log, list_logs
from retrowalk.web.app import create_app
from retrowalk.web.deps import unit_of_work
from retrowalk.web.logforms import log_input
from retrowalk.web.schemas import LogCreate
from tests.web.test_api import _log

#: Generous bound for anything that involves SQLite's busy timeout (10 s).
WAIT_S = 60.0


def _started(hours_ago: float) -> datetime:
    return datetime.now(UTC).replace(microsecond=0) - timedelta(hours=hours_ago)


def _input(hours_ago: float) -> LogInput:
    return log_input(LogCreate.model_validate(_log(_started(hours_ago))))


def _app_db(client: TestClient) -> Database:
    app = client.app
    assert isinstance(app, FastAPI)
    db: Database = app.state.db
    return db


def _url(db: Database) -> str:
    return db.engine.url.render_as_string(hide_password=False)


def _path(db: Database) -> str:
    path = db.engine.url.database
    assert path
    return path


def _stored_logs(path: str) -> int:
    """Logs in the file, read by a connection of the test's own."""
    conn = sqlite3.connect(path)
    try:
        count: int = conn.execute("SELECT count(*) FROM session_logs").fetchone()[0]
    finally:
        conn.close()
    return count


def _walked(report: dict[str, Any]) -> tuple[int, float]:
    """Sessions and minutes walked over the report's weeks."""
    weeks = report["weeks"]
    return (
        sum(int(w["sessions_walked"]) for w in weeks),
        round(sum(float(w["walking_minutes"]) for w in weeks), 1),
    )


def _progress(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/progress", params={"weeks": 2})
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


# ------------------------------------------------------------------------- report cache


def test_progress_is_cached_until_another_connection_commits(client: TestClient) -> None:
    first = _progress(client)
    assert _walked(first) == (0, 0.0)
    # Nothing committed in between: the very same report, down to when it was made.
    again = _progress(client)
    assert again == first
    assert again["generated_at"] == first["generated_at"]

    # Another "process" (an engine of its own on the same file) logs a 7-minute session.
    other = open_database(_url(_app_db(client)))
    try:
        with unit_of_work(other, write=True) as session:
            add_log(session, _input(hours_ago=2))
    finally:
        other.dispose()

    after = _progress(client)
    assert after["generated_at"] != first["generated_at"]
    assert _walked(after) == (1, 7.0)
    assert _progress(client) == after  # cached again


def test_the_progress_page_and_the_api_share_one_report_cache(client: TestClient) -> None:
    app = client.app
    assert isinstance(app, FastAPI)
    assert client.get("/progress").status_code == 200
    (page_report,) = app.state.progress_reports.values()
    response = client.get("/api/progress", params={"weeks": 8})
    assert response.status_code == 200, response.text
    assert response.json()["generated_at"] == page_report["generated_at"]
    assert len(app.state.progress_reports) == 1


def test_progress_reads_back_a_log_posted_through_the_api(client: TestClient) -> None:
    before = _progress(client)
    created = client.post("/api/logs", json=_log(_started(hours_ago=1)))
    assert created.status_code == 201, created.text
    after = _progress(client)
    assert after["generated_at"] != before["generated_at"]
    assert _walked(after) == (_walked(before)[0] + 1, _walked(before)[1] + 7.0)


# ------------------------------------------------------------------------- data_version


def test_data_version_changes_only_when_another_connection_commits(
    sqlite_db: Database,
) -> None:
    version = sqlite_db.data_version()
    assert isinstance(version, int)

    with unit_of_work(sqlite_db, write=False) as session:
        assert list_logs(session) == []
    assert sqlite_db.data_version() == version

    other = open_database(_url(sqlite_db))
    try:
        with unit_of_work(other, write=False) as session:
            assert list_logs(session) == []
        assert sqlite_db.data_version() == version

        with unit_of_work(other, write=True) as session:
            add_log(session, _input(hours_ago=3))
        changed = sqlite_db.data_version()
        assert changed != version
        assert sqlite_db.data_version() == changed  # read again: still the same
    finally:
        other.dispose()

    # A commit through the same engine (another pooled connection) counts as well.
    with unit_of_work(sqlite_db, write=True) as session:
        add_log(session, _input(hours_ago=4))
    assert sqlite_db.data_version() != changed


@pytest.mark.postgres
def test_postgresql_has_no_data_version_and_nothing_is_cached(
    make_db_url: Callable[[str], str],
) -> None:
    url = make_db_url("postgresql")
    db = open_database(url)
    try:
        assert db.data_version() is None
    finally:
        db.dispose()
    with TestClient(create_app(url)) as client:
        first = _progress(client)
        assert _progress(client)["generated_at"] != first["generated_at"]


# ---------------------------------------------------------------- a busy SQLite database


def test_a_write_waiting_for_another_writer_does_not_block_the_server(
    client: TestClient,
) -> None:
    db = _app_db(client)
    path = _path(db)
    started = _started(hours_ago=5)
    began = threading.Event()

    def on_execute(*args: Any) -> None:
        if str(args[2]).strip().upper().startswith("BEGIN IMMEDIATE"):
            began.set()

    holder = sqlite3.connect(path, isolation_level=None)
    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with ThreadPoolExecutor(max_workers=1) as pool:
            post = pool.submit(client.post, "/api/logs", json=_log(started))
            try:
                assert began.wait(WAIT_S), "the POST never tried to take the write lock"
                time.sleep(0.5)  # let it settle into waiting for the lock
                assert not post.done(), post.result().text
                health = client.get("/api/health")
                assert health.status_code == 200, health.text
                assert not post.done(), "the POST ended before the lock was released"
                progress = _progress(client)
                assert not post.done(), "the POST ended before the lock was released"
                assert _walked(progress) == (0, 0.0)
            finally:
                holder.execute("ROLLBACK")
            response = post.result(timeout=WAIT_S)
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        holder.close()
    assert response.status_code == 201, response.text
    assert _stored_logs(path) == 1
    assert client.get(f"/api/logs/{response.json()['id']}").status_code == 200
    assert _walked(_progress(client)) == (1, 7.0)


# ------------------------------------------------------------------------------ errors


def test_a_failed_write_through_the_api_stores_nothing(client: TestClient) -> None:
    path = _path(_app_db(client))
    started = _started(hours_ago=7)
    assert client.post("/api/logs", json=_log(started)).status_code == 201
    cached = _progress(client)

    duplicate = client.post("/api/logs", json=_log(started))
    assert duplicate.status_code == 422, duplicate.text
    assert duplicate.json()["detail"][0]["field"] == "started_at"
    assert _stored_logs(path) == 1
    assert _progress(client) == cached  # nothing was committed

    later = client.post("/api/logs", json=_log(_started(hours_ago=8)))
    assert later.status_code == 201, later.text
    assert _stored_logs(path) == 2
    assert _walked(_progress(client)) == (2, 14.0)


def test_a_writing_unit_of_work_rolls_back_what_it_did_before_raising(
    sqlite_db: Database,
) -> None:
    version = sqlite_db.data_version()

    def half_done() -> None:
        with unit_of_work(sqlite_db, write=True) as session:
            add_log(session, _input(hours_ago=9))
            session.flush()
            assert len(list_logs(session)) == 1  # written, not yet committed
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        half_done()
    assert _stored_logs(_path(sqlite_db)) == 0
    assert sqlite_db.data_version() == version

    with unit_of_work(sqlite_db, write=True) as session:
        log_id = add_log(session, _input(hours_ago=9)).id
    assert _stored_logs(_path(sqlite_db)) == 1
    assert sqlite_db.data_version() != version
    with unit_of_work(sqlite_db, write=False) as session:
        assert [log.id for log in list_logs(session)] == [log_id]
