"""FastAPI application factory: the JSON API, the pages and the security middleware."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles

from retrowalk import __version__
from retrowalk.services.database import Database, open_database
from retrowalk.web.config import WebSettings
from retrowalk.web.errors import install_error_handlers
from retrowalk.web.guard import install_guard
from retrowalk.web.lan import ServeConfig
from retrowalk.web.pairing import PairingTokens
from retrowalk.web.routers import (
    assessments,
    backup,
    plans,
    profile,
    progress,
    screening,
    sessions,
    settings,
    treadmill,
)
from retrowalk.web.security import LoginRateLimiter

WEB_DIR = Path(__file__).resolve().parent
#: Worker threads for requests on SQLite (measured with bench/api_load.py; anyio's default is 40).
SQLITE_WORKER_THREADS = 4


def create_app(
    database_url: str | None = None,
    *,
    lan: bool = False,
    test_mode: bool | None = None,
    serve: ServeConfig | None = None,
) -> FastAPI:
    """Build the app; the database is opened and migrated when the app starts.

    Parameters
    ----------
    database_url
        Database to open (default: the configured one).
    lan
        LAN mode: every page and API call needs a login with the pairing code.
    test_mode
        Honour the fast fake clock of the session player (default: ``RETROWALK_TEST_MODE``).
    serve
        How the server is reached (addresses, HTTPS, CA) for the phone pages (default: local).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = open_database(database_url, migrate=True)
        app.state.db = db
        # Objects made while starting (modules, routes, schemas, mappers) live as long as the
        # server: freezing them keeps every full garbage collection from walking them again
        # (a full collection paused the server for up to 130 ms under bench/api_load.py; about
        # 80 ms with the freeze).
        gc.collect()
        gc.freeze()
        if db.engine.dialect.name == "sqlite":
            # SQLite work is CPU time in this process: more worker threads than a few only take
            # turns on the interpreter lock, which stretches every request (and the one holding
            # the write slot) instead of finishing them in order.
            to_thread.current_default_thread_limiter().total_tokens = SQLITE_WORKER_THREADS
        try:
            yield
        finally:
            treadmill.shutdown(app)  # stops a belt the server drives
            db.dispose()

    app = FastAPI(
        title="RetroWalk",
        version=__version__,
        summary="A coach and tracker for backward walking.",
        lifespan=lifespan,
        docs_url=None,  # served by the pages router from a local copy of Swagger UI
        redoc_url=None,
    )
    app.state.lan = lan
    app.state.test_mode = WebSettings().test_mode if test_mode is None else test_mode
    app.state.login_limiter = LoginRateLimiter()
    app.state.read_cache = {}
    app.state.serve = serve or ServeConfig()
    app.state.pairing = PairingTokens()

    @app.get("/api/health", tags=["meta"])
    def health(request: Request) -> dict[str, Any]:
        """The version and the database status."""
        db: Database = request.app.state.db
        database = db.status()
        return {
            "status": "ok" if database["status"] == "ok" else "degraded",
            "version": __version__,
            "database": database,
        }

    for module in (profile, screening, assessments, plans, sessions, progress, settings, backup):
        app.include_router(module.router)
    app.include_router(treadmill.router)
    from retrowalk.web import pages, phone

    app.include_router(pages.router)
    app.include_router(phone.router)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    install_error_handlers(app)
    install_guard(app)
    return app
