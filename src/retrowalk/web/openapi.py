"""Make the OpenAPI document say what the app does (checked by schemathesis).

- Every 422 has RetroWalk's shape (``ValidationErrorBody``: field, message, accepted), not
  FastAPI's default ``HTTPValidationError``.
- An operation with a request body documents 400 (a body that cannot be parsed at all) and 413
  (a body over its bound, :mod:`retrowalk.web.hardening`).
- A 405 names every method the document gives the path (Starlette names only those of the
  first route that matched the path).
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from retrowalk.web.schemas import MessageBody, ValidationErrorBody

_BODY_ERRORS: dict[str, dict[str, Any]] = {
    "400": {"description": "The body cannot be parsed"},
    "413": {"description": "The body is larger than accepted"},
}


def _document(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema is not None:
        return app.openapi_schema
    schema = get_openapi(
        title=app.title, version=app.version, summary=app.summary, routes=app.routes
    )
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["HTTPValidationError"] = ValidationErrorBody.model_json_schema(
        ref_template="#/components/schemas/{model}"
    )
    components.setdefault(
        "FieldError", components["HTTPValidationError"].pop("$defs")["FieldError"]
    )
    message = {"content": {"application/json": {"schema": MessageBody.model_json_schema()}}}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            if "requestBody" in operation:
                for status, response in _BODY_ERRORS.items():
                    operation["responses"].setdefault(status, {**response, **message})
    app.openapi_schema = schema
    return schema


class AllowHeader:
    """On a 405 from the API, set ``Allow`` to every method the document gives the path."""

    def __init__(self, app: ASGIApp, *, document_of: FastAPI) -> None:
        self.app = app
        self.document_of = document_of
        self._paths: list[tuple[re.Pattern[str], str]] | None = None

    def allowed(self, path: str) -> str | None:
        """The documented methods of ``path``, or ``None`` if the document lacks it."""
        if self._paths is None:
            self._paths = [
                (re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(t)) + "$"),
                 ", ".join(sorted(m.upper() for m in operations)))
                for t, operations in self.document_of.openapi().get("paths", {}).items()
            ]  # fmt: skip
        return next((methods for pattern, methods in self._paths if pattern.match(path)), None)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_allow(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 405:
                methods = self.allowed(scope["path"])
                if methods is not None:
                    MutableHeaders(scope=message)["allow"] = methods
            await send(message)

        await self.app(scope, receive, send_with_allow)


def install_openapi_fixes(app: FastAPI) -> None:
    """Serve the corrected document and the full ``Allow`` header."""
    app.openapi = lambda: _document(app)  # type: ignore[method-assign]
    app.add_middleware(AllowHeader, document_of=app)
