"""Issue 5: the CLI writing while the server runs neither corrupts the database nor loses a write.

``retrowalk serve`` runs in a subprocess on a tmp SQLite file; logs are POSTed through the API from
several threads while ``retrowalk log add`` subprocesses write to the same file at the same time.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from tests.e2e.server import start_server, stop_server
from tests.web.conftest import PROFILE

API_WRITES = 120
CLI_WRITES = 8
BASE = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)


def _api_log(client: httpx.Client, index: int) -> str:
    started = BASE + timedelta(seconds=index)
    body = {
        "started_at": started.isoformat(),
        "segments": [
            {
                "direction": "backward",
                "duration_s": 60.0,
                "environment": "hallway",
                "support": "wall_or_rail",
            }
        ],
        "ratings": {"rpe": 12},
    }
    response = client.post("/api/logs", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


def _cli_log(env: dict[str, str], index: int) -> subprocess.CompletedProcess[str]:
    started = BASE + timedelta(hours=1, minutes=index)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "retrowalk",
            "log",
            "add",
            "--start",
            started.isoformat(),
            "--quick",
            "3m back",
            "--rpe",
            "11",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_and_server_write_at_the_same_time(tmp_path: Path) -> None:
    server = start_server(tmp_path)
    try:
        with httpx.Client(base_url=server.url, timeout=30) as client:
            assert client.put("/api/profile", json=PROFILE).status_code == 200
        env = {**os.environ, "RETROWALK_DATABASE_URL": server.database_url}
        with ThreadPoolExecutor(max_workers=CLI_WRITES + 8) as pool:
            cli = [pool.submit(_cli_log, env, i) for i in range(CLI_WRITES)]
            with httpx.Client(base_url=server.url, timeout=30) as client:
                api = [pool.submit(_api_log, client, i) for i in range(API_WRITES)]
                api_ids = {future.result() for future in api}
            results = [future.result() for future in cli]
        for result in results:
            assert result.returncode == 0, result.stdout + result.stderr
    finally:
        stop_server(server)
    path = server.database_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT id, source FROM session_logs").fetchall()
    assert len(api_ids) == API_WRITES
    assert api_ids <= {row[0] for row in rows}
    assert sum(1 for row in rows if row[1] == "manual") == API_WRITES + CLI_WRITES
