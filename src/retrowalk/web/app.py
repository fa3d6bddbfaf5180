"""FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from retrowalk import __version__
from retrowalk.services.database import Database, open_database


def create_app(database_url: str | None = None) -> FastAPI:
    """Build the app; the database is opened and migrated when the app starts."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = open_database(database_url, migrate=True)
        app.state.db = db
        try:
            yield
        finally:
            db.dispose()

    app = FastAPI(
        title="RetroWalk",
        version=__version__,
        summary="A coach and tracker for backward walking.",
        lifespan=lifespan,
    )

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

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return _INDEX_HTML.format(version=__version__)

    return app


_INDEX_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>RetroWalk</title></head>
<body>
<h1>RetroWalk {version}</h1>
<p>The RetroWalk server is running. The web pages are not built yet; what is here now:</p>
<ul>
<li><a href="/api/health">/api/health</a>: the version and the database status</li>
<li><a href="/docs">/docs</a>: the JSON API (OpenAPI)</li>
</ul>
<p>Use the command line (<code>retrowalk --help</code>) for everything else.</p>
</body></html>
"""
