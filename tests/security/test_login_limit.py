"""The failed-login limit holds per client: forwarding headers are read only from a configured
proxy, guesses sent in parallel are counted, and the scrypt check runs off the event loop."""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from retrowalk.cli.app import run
from retrowalk.web import security
from retrowalk.web.app import create_app
from retrowalk.web.routers import auth
from retrowalk.web.security import LOGIN_ATTEMPTS
from tests.web.conftest import paired_database_url

CODE = "ABCDE-23456"


def _served(monkeypatch: pytest.MonkeyPatch) -> uvicorn.Config:
    """What ``retrowalk serve --lan`` hands to Uvicorn: its configuration (app and options)."""
    captured: list[uvicorn.Config] = []

    def fake_run(server: uvicorn.Server, sockets: Any = None) -> None:
        captured.append(server.config)

    monkeypatch.setattr(uvicorn.Server, "run", fake_run)
    with socket.socket() as probe:  # a free port (the server is claimed, never started)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("RETROWALK_PORT", str(port))
    assert run(["serve", "--lan"]) == 0
    return captured[0]


def _as_served(config: uvicorn.Config) -> TestClient:
    """The app wrapped as Uvicorn wraps it (forwarding headers), called from 127.0.0.1."""
    config.load()
    return TestClient(
        config.loaded_app, base_url="http://127.0.0.1:8000", client=("127.0.0.1", 50000)
    )


def _wrong_guesses(client: TestClient, count: int, forwarded: bool) -> list[int]:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    statuses = []
    for n in range(count):
        headers = {"X-Forwarded-For": f"203.0.113.{n}"} if forwarded else {}
        answer = client.post(
            "/login", data={"code": "WRONG-CODE0", "csrf_token": token.group(1)}, headers=headers
        )
        statuses.append(answer.status_code)
    return statuses


def test_x_forwarded_for_does_not_reset_the_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    with _as_served(_served(monkeypatch)) as client:
        statuses = _wrong_guesses(client, LOGIN_ATTEMPTS + 3, forwarded=True)
    assert statuses[:LOGIN_ATTEMPTS] == [401] * LOGIN_ATTEMPTS
    assert set(statuses[LOGIN_ATTEMPTS:]) == {429}


def test_a_named_proxy_is_trusted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RETROWALK_TRUSTED_PROXY", "127.0.0.1")
    with _as_served(_served(monkeypatch)) as client:
        statuses = _wrong_guesses(client, LOGIN_ATTEMPTS + 3, forwarded=True)
    assert set(statuses) == {401}  # each forwarded client is counted on its own


@pytest.fixture
def lan_app(tmp_path: Path) -> Iterator[FastAPI]:
    app = create_app(paired_database_url(tmp_path, CODE), lan=True)
    with TestClient(app):  # runs the lifespan: the app's database is open
        yield app


def test_parallel_guesses_are_all_counted(lan_app: FastAPI) -> None:
    async def guesses() -> list[int]:
        transport = httpx.ASGITransport(app=lan_app, client=("198.51.100.7", 1234))
        async with httpx.AsyncClient(transport=transport, base_url="http://phone.test") as c:
            page = await c.get("/login")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
            assert token
            form = {"code": "WRONG-CODE0", "csrf_token": token.group(1)}
            answers = await asyncio.gather(*(c.post("/login", data=form) for _ in range(20)))
        return [a.status_code for a in answers]

    statuses = asyncio.run(guesses())
    assert statuses.count(401) == LOGIN_ATTEMPTS
    assert statuses.count(429) == 20 - LOGIN_ATTEMPTS


def test_the_code_is_checked_off_the_event_loop(
    lan_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    on_loop: list[bool] = []
    original = security.check_pairing_code

    def recording(session: Any, code: str) -> bool:
        try:
            asyncio.get_running_loop()
            on_loop.append(True)
        except RuntimeError:
            on_loop.append(False)
        return original(session, code)

    monkeypatch.setattr(auth, "check_pairing_code", recording)
    with TestClient(lan_app, base_url="http://phone.test") as client:
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
        assert token
        client.post("/login", data={"code": CODE, "csrf_token": token.group(1)})
    assert on_loop == [False]
