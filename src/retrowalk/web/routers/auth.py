"""Logging in with the pairing code (LAN mode) and logging out."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import text
from retrowalk.web.html import CheckedForm, render, see_other
from retrowalk.web.security import (
    SESSION_COOKIE,
    SESSION_TTL,
    check_pairing_code,
    create_login,
    end_login,
)

pages = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@pages.get("/login")
def login_page(request: Request) -> Response:
    """Ask for the pairing code (LAN mode only)."""
    if not request.app.state.lan:
        return see_other("/")
    return render(request, "login.html", next=_safe_next(request.query_params.get("next")))


@pages.post("/login")
def login_post(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Check the pairing code; failed attempts are limited per client address."""
    if not request.app.state.lan:
        return see_other("/")
    target = _safe_next(text(form, "next"))
    client = request.client.host if request.client else "unknown"
    limiter = request.app.state.login_limiter
    wait = limiter.retry_after_s(client)
    if wait is not None:
        response = render(
            request,
            "login.html",
            status_code=429,
            next=target,
            login_error=f"Too many wrong codes. Try again in {wait} seconds.",
        )
        response.headers["Retry-After"] = str(wait)
        return response
    limiter.record_failure(client)  # before the check: parallel guesses count too
    # A sync route: the scrypt check runs in a worker thread, never on the event loop.
    token = create_login(session) if check_pairing_code(session, text(form, "code")) else None
    if token is None:
        return render(
            request,
            "login.html",
            status_code=401,
            next=target,
            login_error="That code is not right. Look at the terminal running RetroWalk.",
        )
    limiter.reset(client)
    redirect = see_other(target)
    redirect.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",  # LAN mode serves HTTPS (docs/phone.md)
        path="/",
    )
    return redirect


@pages.post("/logout")
def logout(request: Request, _: CheckedForm, session: SessionDep) -> Response:
    """End this device's login."""
    end_login(session, request.cookies.get(SESSION_COOKIE))
    response = see_other("/login" if request.app.state.lan else "/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
