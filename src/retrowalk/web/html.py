"""What every server-rendered page uses: templates, the checked form, redirects, form errors.

Each page handler reads its form, calls the same services as the JSON API and the CLI, and
renders a template; invalid input re-renders the form with the problem named (nothing is stored).
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.datastructures import FormData

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.vocabulary import Symptom
from retrowalk.web.guard import csrf_checked_form

WEB_DIR: Final = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
#: The red flags every form and the player ask about, from the one list.
templates.env.globals["symptoms"] = tuple(Symptom)
#: A page form post's fields, its CSRF token checked (read before the write slot is taken).
CheckedForm = Annotated[FormData, Depends(csrf_checked_form)]


#: The cookie that carries what a form post did to the next page (read once, then cleared).
NOTICE_COOKIE: Final = "rw_notice"
_ID: Final = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
#: Longest notice cookie kept (characters; a browser keeps about 4 KB per cookie).
_NOTICE_MAX_CHARS: Final = 3000


@dataclass(frozen=True, slots=True)
class Notice:
    """A message for the next page: what a form post did (``undo``: a deleted log's id)."""

    text: str
    undo: str | None = None


def _read_notices(request: Request) -> list[Notice]:
    raw = request.cookies.get(NOTICE_COOKIE)
    if not raw:
        return []
    try:
        items = json.loads(base64.urlsafe_b64decode(raw.encode("ascii")))
        return [
            Notice(
                text=str(item["text"]),
                # Only an id goes into the Undo form's address.
                undo=str(item["undo"]) if _ID.fullmatch(str(item.get("undo", ""))) else None,
            )
            for item in items
        ]
    except (ValueError, TypeError, KeyError, UnicodeError):
        return []


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with what every page needs (and the notices a form post left)."""
    notices = _read_notices(request)
    response = templates.TemplateResponse(
        request,
        name,
        {
            "csrf_token": request.state.csrf_token,
            "lan": request.app.state.lan,
            "active": name.split(".")[0].split("_")[0],
            "notices": notices,
            **context,
        },
        status_code=status_code,
    )
    if NOTICE_COOKIE in request.cookies:
        response.delete_cookie(NOTICE_COOKIE, path="/", samesite="strict", httponly=True)
    return response


def see_other(url: str, *notices: Notice) -> RedirectResponse:
    """Redirect after a successful form post; ``notices`` are shown on the next page."""
    response = RedirectResponse(url, status_code=303)
    if notices:
        items = [{"text": n.text, **({"undo": n.undo} if n.undo else {})} for n in notices]
        value = base64.urlsafe_b64encode(json.dumps(items).encode()).decode("ascii")
        if len(value) <= _NOTICE_MAX_CHARS:
            response.set_cookie(
                NOTICE_COOKIE, value, path="/", samesite="strict", httponly=True, max_age=300
            )
    return response


def problem(exc: InvalidInputError) -> dict[str, str]:
    """A form error for the templates."""
    return {"field": exc.field, "message": str(exc), "accepted": exc.accepted}


def missing(request: Request, what: str) -> HTMLResponse:
    """The 404 page naming what was not found."""
    return render(request, "missing.html", status_code=404, what=what)


def act(request: Request, action: Callable[[], object], *, then: str, what: str) -> Response:
    """Run a form's action on a stored thing and go to ``then``; the 404 page naming ``what``
    when the thing is not there."""
    try:
        action()
    except NotFoundError:
        return missing(request, what)
    return see_other(then)
