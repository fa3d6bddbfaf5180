"""FastAPI application factory: the JSON API, the pages and the security middleware."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from retrowalk import __version__
from retrowalk.config import get_settings
from retrowalk.services.database import open_database
from retrowalk.web.errors import install_error_handlers
from retrowalk.web.guard import guard
from retrowalk.web.hardening import install_hardening
from retrowalk.web.html import WEB_DIR
from retrowalk.web.lan import ServeConfig
from retrowalk.web.openapi import install_openapi_fixes
from retrowalk.web.pairing import PairingTokens
from retrowalk.web.routers import (
    activities,
    assessments,
    auth,
    guided,
    logs,
    meta,
    onboarding,
    phone,
    plans,
    progress,
    recordings,
    settings,
    treadmill,
)
from retrowalk.web.security import LoginRateLimiter
from retrowalk.web.views import ZoneMiddleware


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
        app.state.write_lock = asyncio.Lock()
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
    app.state.test_mode = get_settings().test_mode if test_mode is None else test_mode
    app.state.login_limiter = LoginRateLimiter()
    app.state.progress_reports = {}
    app.state.serve = serve or ServeConfig()
    app.state.pairing = PairingTokens()

    for module in (meta, onboarding, assessments, plans, guided, logs, progress, settings):
        app.include_router(module.router)
        app.include_router(module.pages)
    app.include_router(auth.pages)
    app.include_router(treadmill.router)
    app.include_router(activities.router)  # watches and calendar (docs/activities.md)
    app.include_router(recordings.router)  # motion recordings (docs/motion.md)
    app.include_router(recordings.pages)
    app.include_router(phone.pages)  # pairing, the Phone page, CA and manifest (docs/phone.md)
    app.mount("/static", StaticFiles(directory=WEB_DIR / "static"), name="static")
    install_error_handlers(app)
    app.middleware("http")(guard)
    install_openapi_fixes(app)
    app.add_middleware(ZoneMiddleware)  # the walker's time zone (web/views.py)
    install_hardening(app, lan=lan, names=app.state.serve.allowed_hosts())
    return app
