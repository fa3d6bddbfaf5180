"""Middleware: login in LAN mode, CSRF for state-changing API calls, security headers.

Page forms carry the CSRF token in a hidden field, checked by :func:`csrf_checked_form`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final
from urllib.parse import quote, urlsplit

from fastapi import HTTPException, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

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


async def _refusal(request: Request) -> Response | None:
    """The response refusing ``request``, or ``None`` when it may go on."""
    path = request.url.path
    unsafe = request.method not in SAFE_METHODS
    if unsafe and _cross_site(request):
        return JSONResponse({"detail": "cross-site request refused"}, status_code=403)
    cookie = request.cookies.get(CSRF_COOKIE)
    lan: bool = request.app.state.lan
    # /calendar/<token>.ics: a calendar app cannot log in; the feed's random token is the secret.
    public = path.startswith(("/static/", "/calendar/")) or path in PUBLIC_PATHS
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


#: Added to every response (unless the route set its own).
_SECURITY_HEADERS: Final = (
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("x-frame-options", "DENY"),
)


async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Refuse cross-site writes, require a login in LAN mode and CSRF tokens on API writes, and
    add the security headers (and the CSRF cookie when the browser has none) to every response.
    """
    cookie = request.cookies.get(CSRF_COOKIE)
    request.state.csrf_token = cookie or new_csrf_token()
    response = await _refusal(request) or await call_next(request)
    if cookie is None:
        response.set_cookie(
            CSRF_COOKIE, request.state.csrf_token, samesite="strict", path="/", httponly=False
        )
    for name, value in _SECURITY_HEADERS:
        response.headers.setdefault(name, value)
    if request.url.path != "/docs":
        response.headers.setdefault("content-security-policy", _CSP)
    return response


async def csrf_checked_form(request: Request) -> FormData:
    """Dependency of page form posts: the form, whose hidden field must match the CSRF cookie."""
    form = await request.form()
    submitted = form.get(CSRF_FIELD)
    if not csrf_matches(
        request.cookies.get(CSRF_COOKIE), submitted if isinstance(submitted, str) else None
    ):
        raise HTTPException(
            status_code=403, detail="the form has expired: reload the page and send it again"
        )
    return form
