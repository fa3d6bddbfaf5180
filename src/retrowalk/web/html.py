"""What every server-rendered page uses: templates, the checked form, redirects, form errors.

Each page handler reads its form, calls the same services as the JSON API and the CLI, and
renders a template; invalid input re-renders the form with the problem named (nothing is stored).
"""

from __future__ import annotations

from collections.abc import Callable
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


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with what every page needs."""
    return templates.TemplateResponse(
        request,
        name,
        {
            "csrf_token": request.state.csrf_token,
            "lan": request.app.state.lan,
            "active": name.split(".")[0].split("_")[0],
            **context,
        },
        status_code=status_code,
    )


def see_other(url: str) -> RedirectResponse:
    """Redirect after a successful form post."""
    return RedirectResponse(url, status_code=303)


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
