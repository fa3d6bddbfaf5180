"""Middleware: login in LAN mode, CSRF for state-changing API calls, security headers.

Page forms carry the CSRF token in a hidden field, checked by :func:`require_csrf_form`.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote, urlsplit

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from retrowalk.services.database import Database
from retrowalk.web.lan import PHONE_PUBLIC_PATHS
from retrowalk.web.security import (
    CSRF_COOKIE,
    CSRF_FIELD,
    CSRF_HEADER,
    SESSION_COOKIE,
    csrf_matches,
    is_logged_in,
    new_csrf_token,
)

SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
#: Reachable without a login in LAN mode.
PUBLIC_PATHS: Final = frozenset({"/login", "/sw.js"}) | PHONE_PUBLIC_PATHS
_CSP: Final = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)


def _cross_site(request: Request) -> bool:
    """Whether a browser says the request comes from another site or origin."""
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site in ("same-origin", "none"):
        return False
    if fetch_site in ("cross-site", "same-site"):  # same-site: another port or subdomain
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False
    host = request.headers.get("host", "")
    return origin == "null" or urlsplit(origin).netloc != host


def _from_browser(request: Request) -> bool:
    return "origin" in request.headers or "sec-fetch-site" in request.headers


def _logged_in(db: Database, token: str | None) -> bool:
    with db.factory() as session:
        return is_logged_in(session, token)


def _is_page(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api/") or path == "/openapi.json")


def _set_cookie_header(token: str) -> str:
    """The ``Set-Cookie`` value that gives the browser its CSRF token."""
    carrier = Response()
    carrier.set_cookie(CSRF_COOKIE, token, samesite="strict", path="/", httponly=False)
    return carrier.headers["set-cookie"]


async def _refusal(request: Request) -> Response | None:
    """The response refusing ``request``, or ``None`` when it may go on."""
    path = request.url.path
    unsafe = request.method not in SAFE_METHODS
    if unsafe and _cross_site(request):
        return JSONResponse({"detail": "cross-site request refused"}, status_code=403)
    cookie = request.cookies.get(CSRF_COOKIE)
    lan: bool = request.app.state.lan
    public = path.startswith("/static/") or path in PUBLIC_PATHS
    if lan and not public:
        token = request.cookies.get(SESSION_COOKIE)
        if not await run_in_threadpool(_logged_in, request.app.state.db, token):
            if request.method == "GET" and _is_page(request):
                return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
            return JSONResponse({"detail": "log in first (LAN mode)"}, status_code=401)
    needs_token = unsafe and not _is_page(request) and (lan or _from_browser(request))
    if needs_token and not csrf_matches(cookie, request.headers.get(CSRF_HEADER)):
        return JSONResponse(
            {
                "detail": f"missing or wrong CSRF token: send the {CSRF_COOKIE} cookie's "
                f"value in the X-CSRF-Token header"
            },
            status_code=403,
        )
    return None


class Guard:
    """Refuse cross-site writes, require a login in LAN mode and CSRF tokens on API writes, and
    add the security headers (and the CSRF cookie when the browser has none) to every response.

    A plain ASGI middleware: it adds no task or stream per request, as ``BaseHTTPMiddleware``
    does.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        cookie = request.cookies.get(CSRF_COOKIE)
        request.state.csrf_token = cookie or new_csrf_token()
        refusal = await _refusal(request)
        path = request.url.path

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if cookie is None:
                    headers.append("set-cookie", _set_cookie_header(request.state.csrf_token))
                for name, value in _SECURITY_HEADERS:
                    if name not in headers:
                        headers[name] = value
                if path != "/docs" and "content-security-policy" not in headers:
                    headers["content-security-policy"] = _CSP
            await send(message)

        if refusal is not None:
            await refusal(scope, receive, send_with_headers)
        else:
            await self.app(scope, receive, send_with_headers)


#: Added to every response (unless the route set its own).
_SECURITY_HEADERS: Final = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
)


def install_guard(app: FastAPI) -> None:
    """Add :class:`Guard` to ``app``."""
    app.add_middleware(Guard)


async def require_csrf_form(request: Request) -> None:
    """Dependency of page form posts: the hidden field must match the CSRF cookie."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not csrf_matches(
        request.cookies.get(CSRF_COOKIE), submitted if isinstance(submitted, str) else None
    ):
        raise HTTPException(
            status_code=403, detail="the form has expired: reload the page and send it again"
        )
