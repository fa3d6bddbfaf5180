"""Outermost middleware: refuse what must not reach the app at all.

- **Host** (DNS rebinding): a web page on another site can make a browser send requests to
  ``127.0.0.1`` under the site's own name; only the names this server was started for are
  answered. IP addresses cannot be rebound, so every IP address is accepted, and ``localhost``;
  in LAN mode also this computer's name (and ``<name>.local``) and every name the HTTPS
  certificate was made for (:meth:`retrowalk.web.lan.ServeConfig.allowed_hosts`); plus
  ``RETROWALK_ALLOWED_HOSTS``.
- **Origin**: a state-changing request that carries an ``Origin`` must come from an accepted
  host name, over ``http`` or ``https`` (LAN mode serves HTTPS; the :mod:`retrowalk.web.guard`
  also compares it with ``Host``).
- **Body size**: every request body is bounded (:data:`BODY_MAX_BYTES`; import uploads
  :data:`IMPORT_BODY_MAX_BYTES`), by ``Content-Length`` and while it is read.
- **JSON nesting**: a JSON body is read in full (within its bound) and its nesting checked before
  any parser sees it.

It also maps a read-only database to HTTP 503 (:func:`install_hardening`).
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any, Final

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from retrowalk.config import Settings, get_settings
from retrowalk.errors import DatabaseReadOnlyError, quote
from retrowalk.services.bounds import (
    ACTIVITY_UPLOAD_MAX_BYTES,
    IMPORT_MAX_BYTES,
    JSON_DEPTH_MAX,
    RECORDING_UPLOAD_MAX_BYTES,
    json_too_deep,
)

#: Largest request body, except imports: a session log with the most segments (200) and notes is
#: about 40 kB of JSON; 1 MiB leaves room.
BODY_MAX_BYTES: Final = 1024 * 1024
#: Largest import upload: the largest import file plus room for the multipart envelope.
IMPORT_BODY_MAX_BYTES: Final = IMPORT_MAX_BYTES + 64 * 1024
IMPORT_PATHS: Final = frozenset({"/api/import", "/settings/import"})
#: Watch and health files (streamed to disk, never held in memory).
ACTIVITY_PATHS: Final = frozenset({"/activities/import"})
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
LOCAL_NAMES: Final = frozenset({"localhost"})
#: Schemes of an accepted ``Origin`` (LAN mode serves HTTPS, docs/phone.md).
ORIGIN_SCHEMES: Final = frozenset({"http", "https"})


def lan_names() -> frozenset[str]:
    """This computer's names, as a phone on the same network may reach it."""
    name = socket.gethostname().lower()
    return frozenset({name, f"{name}.local"})


def host_name(authority: str) -> str:
    """The host of a ``Host`` header or an origin's authority, without port or brackets."""
    authority = authority.strip().lower()
    if authority.startswith("["):
        return authority[1:].partition("]")[0]
    return authority.rpartition(":")[0] if authority.count(":") == 1 else authority


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _problem(status: int, detail: str) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status)


class BodyTooLargeError(Exception):
    """The request body went past its bound while it was read."""


class Hardening:
    """The checks of the module notes, as a plain ASGI middleware."""

    def __init__(
        self, app: ASGIApp, *, lan: bool = False, names: frozenset[str] = frozenset()
    ) -> None:
        self.app = app
        served = (lan_names() | {n.lower() for n in names}) if lan else frozenset()
        self.hosts = LOCAL_NAMES | get_settings().extra_hosts() | served

    def accepts(self, host: str) -> bool:
        """Whether this server answers to ``host`` (a name without port)."""
        return host in self.hosts or _is_ip(host)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        if _parsed_as_json(request.headers.get("content-type")):
            await self._json(scope, receive, send, limit)
        else:
            await self._streamed(scope, receive, send, limit)

    def _refusal(self, request: Request) -> JSONResponse | None:
        host = host_name(request.headers.get("host", ""))
        if not self.accepts(host):
            return _problem(
                421,
                f"this server does not answer to the host name {quote(host)}: open it by "
                "127.0.0.1 or localhost, or add the name to RETROWALK_ALLOWED_HOSTS",
            )
        origin = request.headers.get("origin")
        if request.method not in SAFE_METHODS and origin is not None:
            scheme, _, authority = origin.partition("://")
            if origin == "null" or scheme not in ORIGIN_SCHEMES:
                return _problem(403, "cross-site request refused")
            if not self.accepts(host_name(authority)):
                return _problem(403, "cross-site request refused")
        length = request.headers.get("content-length", "")
        limit = body_limit(request.url.path)
        if length.isdigit() and int(length) > limit:
            return _too_large(limit)
        return None

    async def _json(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Read the whole JSON body (within ``limit``), check its nesting, then replay it."""
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":  # the client left
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _too_large(limit)(scope, receive, send)
                return
            chunks.append(chunk)
            more = message.get("more_body", False)
        body = b"".join(chunks)
        if json_too_deep(body):
            detail = [
                {
                    "field": "body",
                    "message": "JSON nested too deep",
                    "accepted": f"JSON nested at most {JSON_DEPTH_MAX} levels deep",
                }
            ]
            await JSONResponse({"detail": detail}, status_code=422)(scope, receive, send)
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _streamed(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        """Pass the body through, counting: past ``limit`` the app's answer becomes a 413."""
        size = 0
        exceeded = False
        started = False

        async def counted() -> Message:
            nonlocal size, exceeded
            message = await receive()
            if message["type"] == "http.request":
                size += len(message.get("body", b""))
                if size > limit:
                    exceeded = True
                    raise BodyTooLargeError
            return message

        async def checked_send(message: Message) -> None:
            nonlocal started
            if exceeded:
                return  # the app's answer to a body it could not read in full is replaced
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, checked_send)
        except Exception:  # the app may wrap BodyTooLargeError in an error of its own
            if not exceeded:
                raise
        if exceeded and not started:
            await _too_large(limit)(scope, receive, send)


def _parsed_as_json(content_type: str | None) -> bool:
    """Whether FastAPI parses a body of this type as JSON (it does when no type is given)."""
    if not content_type:
        return True
    media = content_type.partition(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def body_limit(path: str) -> int:
    """The largest body accepted on ``path``."""
    if path in IMPORT_PATHS:
        return IMPORT_BODY_MAX_BYTES
    if path.startswith("/log/") and path.endswith("/recording"):
        return RECORDING_UPLOAD_MAX_BYTES + 64 * 1024
    if path in ACTIVITY_PATHS:
        return ACTIVITY_UPLOAD_MAX_BYTES + 64 * 1024
    return BODY_MAX_BYTES


def _too_large(limit: int) -> JSONResponse:
    return _problem(413, f"request body larger than {limit // 1024} KiB")


def _read_only(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "60"})


def server_options(settings: Settings | None = None) -> dict[str, Any]:
    """Uvicorn's options for forwarding headers: read ``X-Forwarded-For`` (the client address
    the failed-login limit counts) only from ``RETROWALK_TRUSTED_PROXY``, and not at all without
    one (Uvicorn's default trusts them from 127.0.0.1, so any local client could pose as many)."""
    proxy = (settings or get_settings()).trusted_proxy.strip()
    if not proxy:
        return {"proxy_headers": False}
    return {"proxy_headers": True, "forwarded_allow_ips": proxy}


def install_hardening(app: FastAPI, *, lan: bool, names: frozenset[str] = frozenset()) -> None:
    """Add :class:`Hardening` as the outermost middleware (call after the other middleware),
    and answer a write to a read-only database with 503. ``names``: in LAN mode, the host names
    the server is also reached by (those its HTTPS certificate covers)."""
    app.add_middleware(Hardening, lan=lan, names=names)
    app.add_exception_handler(DatabaseReadOnlyError, _read_only)
