"""One transaction per request (``retrowalk.web.deps``): the database's change counter, writes
that wait for another writer without blocking the server, and failed writes that store nothing."""

from __future__ import annotations

import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from retrowalk.services.database import Database, open_database
from retrowalk.services.logs import add_log, list_logs
from retrowalk.web.deps import unit_of_work
from tests.web.conftest import (
    WAIT_S,
    app_db,
    db_path,
    db_url,
    input_ago,
    log_body,
    progress_of,
    started_ago,
    stored_logs,
    walked,
)


def test_data_version_changes_only_when_another_connection_commits(
    sqlite_db: Database,
) -> None:
    version = sqlite_db.data_version()
    assert isinstance(version, int)

    with unit_of_work(sqlite_db, write=False) as session:
        assert list_logs(session) == []
    assert sqlite_db.data_version() == version

    other = open_database(db_url(sqlite_db))
    try:
        with unit_of_work(other, write=False) as session:
            assert list_logs(session) == []
        assert sqlite_db.data_version() == version

        with unit_of_work(other, write=True) as session:
            add_log(session, input_ago(hours_ago=3))
        changed = sqlite_db.data_version()
        assert changed != version
        assert sqlite_db.data_version() == changed  # read again: still the same
    finally:
        other.dispose()

    # A commit through the same engine (another pooled connection) counts as well.
    with unit_of_work(sqlite_db, write=True) as session:
        add_log(session, input_ago(hours_ago=4))
    assert sqlite_db.data_version() != changed


def test_a_write_waiting_for_another_writer_does_not_block_the_server(
    client: TestClient,
) -> None:
    db = app_db(client)
    path = db_path(db)
    started = started_ago(hours_ago=5)
    began = threading.Event()

    def on_execute(*args: Any) -> None:
        if str(args[2]).strip().upper().startswith("BEGIN IMMEDIATE"):
            began.set()

    holder = sqlite3.connect(path, isolation_level=None)
    event.listen(db.engine, "before_cursor_execute", on_execute)
    try:
        holder.execute("BEGIN IMMEDIATE")
        with ThreadPoolExecutor(max_workers=1) as pool:
            post = pool.submit(client.post, "/api/logs", json=log_body(started))
            try:
                assert began.wait(WAIT_S), "the POST never tried to take the write lock"
                time.sleep(0.5)  # let it settle into waiting for the lock
                assert not post.done(), post.result().text
                health = client.get("/api/health")
                assert health.status_code == 200, health.text
                assert not post.done(), "the POST ended before the lock was released"
                progress = progress_of(client)
                assert not post.done(), "the POST ended before the lock was released"
                assert walked(progress) == (0, 0.0)
            finally:
                holder.execute("ROLLBACK")
            response = post.result(timeout=WAIT_S)
    finally:
        event.remove(db.engine, "before_cursor_execute", on_execute)
        holder.close()
    assert response.status_code == 201, response.text
    assert stored_logs(path) == 1
    assert client.get(f"/api/logs/{response.json()['id']}").status_code == 200
    assert walked(progress_of(client)) == (1, 7.0)


def test_a_failed_write_through_the_api_stores_nothing(client: TestClient) -> None:
    path = db_path(app_db(client))
    started = started_ago(hours_ago=7)
    assert client.post("/api/logs", json=log_body(started)).status_code == 201
    cached = progress_of(client)

    duplicate = client.post("/api/logs", json=log_body(started))
    assert duplicate.status_code == 409, duplicate.text
    assert duplicate.json()["detail"].startswith("started_at: ")
    assert stored_logs(path) == 1
    assert progress_of(client) == cached  # nothing was committed

    later = client.post("/api/logs", json=log_body(started_ago(hours_ago=8)))
    assert later.status_code == 201, later.text
    assert stored_logs(path) == 2
    assert walked(progress_of(client)) == (2, 14.0)


def test_a_writing_unit_of_work_rolls_back_what_it_did_before_raising(
    sqlite_db: Database,
) -> None:
    version = sqlite_db.data_version()

    def half_done() -> None:
        with unit_of_work(sqlite_db, write=True) as session:
            add_log(session, input_ago(hours_ago=9))
            session.flush()
            assert len(list_logs(session)) == 1  # written, not yet committed
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        half_done()
    assert stored_logs(db_path(sqlite_db)) == 0
    assert sqlite_db.data_version() == version

    with unit_of_work(sqlite_db, write=True) as session:
        log_id = add_log(session, input_ago(hours_ago=9)).id
    assert stored_logs(db_path(sqlite_db)) == 1
    assert sqlite_db.data_version() != version
    with unit_of_work(sqlite_db, write=False) as session:
        assert [log.id for log in list_logs(session)] == [log_id]
