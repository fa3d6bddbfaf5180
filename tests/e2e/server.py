"""Start ``retrowalk serve`` in a subprocess on a free port with a fresh SQLite database."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    url: str
    database_url: str
    process: subprocess.Popen[bytes]

    def client(self) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=10)


def start_server(
    tmp_path: Path,
    *extra: str,
    env: dict[str, str] | None = None,
    scheme: str = "http",
    host: str = "127.0.0.1",
    port: int | None = None,
) -> Server:
    """``scheme``/``host`` say where to reach it (``serve --lan`` speaks HTTPS); the user data
    folder (where ``--lan`` keeps its certificates) is ``tmp_path/data``."""
    port = port or free_port()
    database_url = f"sqlite:///{tmp_path / 'e2e.sqlite3'}"
    environment = {
        **os.environ,
        "RETROWALK_DATABASE_URL": database_url,
        "RETROWALK_TEST_MODE": "1",
        "XDG_DATA_HOME": str(tmp_path / "data"),
        **(env or {}),
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "retrowalk", "serve", "--port", str(port), *extra],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    url = f"{scheme}://{host}:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            raise RuntimeError(f"server exited early:\n{output}")
        try:
            # Only whether it answers: the HTTPS tests check the certificate themselves.
            if httpx.get(f"{url}/login", timeout=1, verify=False).status_code < 500:
                return Server(url=url, database_url=database_url, process=process)
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("server did not start within 30 s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()
