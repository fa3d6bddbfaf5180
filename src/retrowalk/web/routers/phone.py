"""Phone mode pages: pair with a one-time link, the desktop's "Phone" page, the CA download.

- ``GET /pair?token=…`` (public): a valid one-time token logs the device in and opens Today; a
  wrong, used or expired one says so and counts as a failed login (same limit as the code).
- ``GET /phone``: the QR code with a new pairing link, the addresses, the CA fingerprint and
  how to trust it on the phone.
- ``GET /ca.pem`` (public): the CA certificate to install on the phone.
- ``GET /manifest.webmanifest`` (public): the web app manifest (start URL: Today).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, HTMLResponse
from starlette.concurrency import run_in_threadpool

from retrowalk.services.database import Database
from retrowalk.web.deps import unit_of_work
from retrowalk.web.html import WEB_DIR, render, see_other
from retrowalk.web.lan import ServeConfig
from retrowalk.web.pairing import PairingTokens, pairing_url, qr_svg
from retrowalk.web.security import SESSION_COOKIE, SESSION_TTL, create_login

pages = APIRouter(include_in_schema=False)


def _login(db: Database) -> str:
    with unit_of_work(db, write=True) as session:
        return create_login(session)


async def new_login(request: Request) -> str:
    """Store a new login and return its token; a write from a GET, so it takes the server's
    write slot on SQLite as a writing request does (``web/deps.py``)."""
    db: Database = request.app.state.db
    if db.engine.dialect.name != "sqlite":
        return await run_in_threadpool(_login, db)
    async with request.app.state.write_lock:
        return await run_in_threadpool(_login, db)


def serve_config(request: Request) -> ServeConfig:
    """The app's :class:`ServeConfig` (a plain local one when none was given)."""
    config: ServeConfig = getattr(request.app.state, "serve", None) or ServeConfig()
    return config


@pages.get("/pair")
async def pair(request: Request, token: str = "") -> Response:
    """Log this device in with a one-time pairing token, then open Today."""
    if not request.app.state.lan:
        return see_other("/today")
    client = request.client.host if request.client else "unknown"
    limiter = request.app.state.login_limiter
    wait = limiter.retry_after_s(client)
    tokens: PairingTokens = request.app.state.pairing
    if wait is not None or not tokens.redeem(token):
        if wait is None:
            limiter.record_failure(client)
        message = (
            f"Too many wrong codes. Try again in {wait} seconds."
            if wait is not None
            else "This pairing link has expired or was already used. Type the pairing code "
            "shown in the terminal, or show a new QR code on the computer (the Phone page)."
        )
        response = render(
            request,
            "login.html",
            status_code=429 if wait else 410,
            next="/today",
            login_error=message,
        )
        if wait is not None:
            response.headers["Retry-After"] = str(wait)
        return response
    limiter.reset(client)
    login = await new_login(request)
    redirect = see_other("/today")
    redirect.set_cookie(
        SESSION_COOKIE,
        login,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/",
    )
    return redirect


@pages.get("/phone")
def phone_page(request: Request) -> HTMLResponse:
    """Pair a phone: the QR code (a new one-time link each time), addresses and trust steps."""
    config = serve_config(request)
    qr = None
    if request.app.state.lan:
        url = pairing_url(config.primary_url, request.app.state.pairing.issue())
        qr = {"svg": qr_svg(url), "url": url}
    return render(request, "phone.html", serve=config, qr=qr)


@pages.get("/ca.pem")
def ca_certificate(request: Request) -> Response:
    """The CA certificate to install on the phone (404 without one)."""
    path = serve_config(request).ca_cert_path
    if path is None or not path.exists():
        return Response("no RetroWalk CA: the server uses its own certificate", status_code=404)
    return FileResponse(
        path,
        media_type="application/x-x509-ca-cert",
        filename="retrowalk-ca.crt",
        headers={"Cache-Control": "no-cache"},
    )


@pages.get("/manifest.webmanifest")
def manifest() -> FileResponse:
    """The web app manifest (installable app; opens on Today, full screen)."""
    return FileResponse(
        WEB_DIR / "static" / "manifest.webmanifest",
        media_type="application/manifest+json",
        headers={"Cache-Control": "no-cache"},
    )
