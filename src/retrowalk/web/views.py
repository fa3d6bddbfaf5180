"""Dates and times as the API routers and the pages take and show them (no domain rules).

The walker's time zone (issue 13): the ``RETROWALK_TIME_ZONE`` setting when it is set, else the
browser's zone (the pages' script keeps it in the :data:`ZONE_COOKIE` cookie), else the
computer's. :class:`ZoneMiddleware` reads it once per request; :func:`walker_zone` and
:func:`local_today` use it, so days, weeks and times shown follow the walker's calendar.
"""

from __future__ import annotations

from contextvars import ContextVar
from datetime import date, datetime, tzinfo
from http.cookies import SimpleCookie
from typing import Final
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from starlette.types import ASGIApp, Receive, Scope, Send

from retrowalk.errors import InvalidInputError
from retrowalk.limits import DATE_MAX, DATE_MIN
from retrowalk.timeutil import local_zone, utcnow

#: The cookie holding the browser's IANA time zone (set by ``static/app.js``).
ZONE_COOKIE: Final = "rw_tz"
#: Longest zone name read from the cookie (the longest IANA name has 32 characters).
ZONE_NAME_MAX_CHARS: Final = 64

_ZONE: ContextVar[tzinfo | None] = ContextVar("retrowalk_walker_zone", default=None)


def browser_zone(name: str | None) -> tzinfo | None:
    """The IANA zone a browser sent, or ``None`` when absent or not a zone."""
    if not name or len(name) > ZONE_NAME_MAX_CHARS:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def zone_for(cookie: str | None) -> tzinfo:
    """The walker's zone: the setting, else the browser's (``cookie``), else the computer's."""
    from retrowalk.config import get_settings

    if get_settings().time_zone:
        return local_zone()  # the RETROWALK_TIME_ZONE override
    return browser_zone(cookie) or local_zone()


def walker_zone() -> tzinfo:
    """The zone of the request being served (the computer's outside a request)."""
    zone = _ZONE.get()
    return zone if zone is not None else local_zone()


class ZoneMiddleware:
    """Reads the walker's time zone once per request (pure ASGI: the value reaches the
    endpoint's thread)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = None
        for key, value in scope.get("headers", ()):
            if key == b"cookie":
                jar: SimpleCookie = SimpleCookie()
                try:
                    jar.load(value.decode("latin-1"))
                except Exception:  # a malformed Cookie header: no zone from it
                    continue
                if ZONE_COOKIE in jar:
                    cookie = unquote(jar[ZONE_COOKIE].value)
        token = _ZONE.set(zone_for(cookie))
        try:
            await self.app(scope, receive, send)
        finally:
            _ZONE.reset(token)


def local_today() -> date:
    """The walker's calendar day, in their time zone."""
    return utcnow().astimezone(walker_zone()).date()


def local_time(value: datetime | str) -> datetime:
    """An aware time (or its ISO text) in the walker's zone."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment.astimezone(walker_zone())


def check_date(value: date | None, field: str) -> date:
    """A date within the range RetroWalk accepts (default: today)."""
    if value is None:
        return local_today()
    if not DATE_MIN <= value <= DATE_MAX:
        raise InvalidInputError(
            field, value.isoformat(), f"a date from {DATE_MIN.isoformat()} to {DATE_MAX}"
        )
    return value


def parse_form_date(value: str | None, field: str) -> date:
    """A YYYY-MM-DD date typed in a form (empty: today)."""
    if not value:
        return local_today()
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidInputError(field, value, "a date as YYYY-MM-DD") from None
    return check_date(parsed, field)
