"""``/api/health``, the API documentation at ``/docs`` and the service worker."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response

from retrowalk import __version__
from retrowalk.web.deps import DatabaseDep
from retrowalk.web.html import WEB_DIR

router = APIRouter(tags=["meta"])
pages = APIRouter(include_in_schema=False)


@router.get("/api/health")
def health(db: DatabaseDep) -> dict[str, Any]:
    """The version and the database status."""
    database = db.status()
    return {
        "status": "ok" if database["status"] == "ok" else "degraded",
        "version": __version__,
        "database": database,
    }


@pages.get("/docs")
def docs() -> HTMLResponse:
    """Swagger UI served from a local copy (package ``fastapi-offline``), never from a CDN."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="RetroWalk API",
        swagger_js_url="/swagger/swagger-ui-bundle.js",
        swagger_css_url="/swagger/swagger-ui.css",
        swagger_favicon_url="/static/icon.svg",
    )


@pages.get("/swagger/{name}")
def swagger_asset(name: str) -> Response:
    """Swagger UI's files (version 5, which reads OpenAPI 3.1) from the installed package."""
    allowed = {"swagger-ui-bundle.js", "swagger-ui.css"}
    bundle = importlib.import_module("fastapi_offline")
    if name not in allowed or bundle.__file__ is None:
        return Response(status_code=404)
    return FileResponse(Path(bundle.__file__).parent / "static" / name)


@pages.get("/sw.js")
def service_worker() -> FileResponse:
    """The service worker, served from the root so that it may cache every page."""
    return FileResponse(
        WEB_DIR / "static" / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )
