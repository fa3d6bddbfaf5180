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
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.datastructures import FormData

from retrowalk.config import get_settings
from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.formatting import (
    PLAN_ACTION_WORDS,
    VERDICT_WORDS,
    format_day,
    format_duration,
    format_moment,
    format_number,
    format_speed,
    format_test_time,
    localise,
    split_why,
)
from retrowalk.services.settings import display_units
from retrowalk.vocabulary import (
    DEFAULT_SPEED_UNIT,
    Environment,
    LogSource,
    SpeedUnit,
    Support,
    Symptom,
)
from retrowalk.web.forms import FIELD_LABELS, form_problem
from retrowalk.web.guard import csrf_checked_form
from retrowalk.web.views import ZONE_COOKIE, local_time, local_today

WEB_DIR: Final = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
#: The red flags every form and the player ask about, from the one list.
templates.env.globals["symptoms"] = tuple(Symptom)
#: Every form field's label, from the one table (error messages name fields by it too).
templates.env.globals["labels"] = FIELD_LABELS
#: Plain words for places and support, for choice lists and summaries (not internal codes).
templates.env.globals["place_words"] = {e.value: e.label for e in Environment}
templates.env.globals["support_words"] = {s.value: s.label for s in Support}
templates.env.globals["source_words"] = {s.value: s.label for s in LogSource}


def _invalid(problems: list[dict[str, str]] | None, name: str) -> Markup:
    """The attributes marking form field ``name`` when a problem names it (the page script
    focuses the first one marked and scrolls to it)."""
    if problems and any(p.get("input") == name for p in problems):
        return Markup(' aria-invalid="true" aria-describedby="form-error"')
    return Markup("")


templates.env.globals["invalid"] = _invalid
#: Numbers, durations and times for people (issue 13), from the one set of formatting helpers.
templates.env.filters["num"] = format_number
templates.env.filters["duration"] = format_duration
templates.env.filters["minutes"] = lambda minutes: format_duration(float(minutes) * 60.0)
templates.env.filters["when"] = lambda value: format_moment(local_time(value))
templates.env.filters["numtext"] = lambda v: format_number(v) if isinstance(v, int | float) else v


def _speed_unit(context: Context) -> SpeedUnit:
    """The walker's units: the page's ``speed_unit`` (the stored preference, passed by pages
    that show speeds), else the configured default."""
    unit = context.get("speed_unit")
    return unit if isinstance(unit, SpeedUnit) else display_units()


@pass_context
def _why(context: Context, text: str) -> tuple[str, list[str]]:
    """A stored plan text in the walker's units and days, plain words first (:func:`split_why`)."""
    plain, why = split_why(localise(text, _speed_unit(context), local_today().year))
    return plain, why


@pass_context
def _speed(context: Context, speed_m_s: float | None) -> str:
    """A speed in the walker's units ("-" when none is known)."""
    return "-" if speed_m_s is None else format_speed(speed_m_s, _speed_unit(context))


def _day(value: date | datetime | str, weekday: bool = True) -> str:
    """A calendar day for people ("Fri 4 Dec"; the year only when it is not this one; "4 Dec"
    without the ``weekday``): a time on the walker's local calendar, a date ("2026-12-04") as
    it is."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        value = local_time(value).date()
    return format_day(value, local_today().year, weekday=weekday)


templates.env.filters["why"] = _why
templates.env.filters["speed"] = _speed
templates.env.filters["test_time"] = format_test_time
templates.env.filters["action_words"] = lambda action: PLAN_ACTION_WORDS.get(action, action)
templates.env.filters["verdict_words"] = lambda verdict: VERDICT_WORDS.get(verdict, "")
templates.env.filters["day"] = _day
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
    """Render a template with what every page needs, and the notices a form post left;
    ``error`` (one problem) or ``problems`` (several, in page order) are listed at the top of
    the page."""
    if "problems" not in context:
        context["problems"] = [context["error"]] if context.get("error") else []
    notices = _read_notices(request)
    response = templates.TemplateResponse(
        request,
        name,
        {
            "csrf_token": request.state.csrf_token,
            "lan": request.app.state.lan,
            "active": name.split(".")[0].split("_")[0],
            "notices": notices,
            # The page script sends the browser's zone in this cookie; it reloads a page read
            # once when the zone the server used was not the browser's (not a form's answer).
            "zone_cookie": request.cookies.get(ZONE_COOKIE, ""),
            "zone_fixed": bool(get_settings().time_zone),
            "reload_ok": request.method == "GET",
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


def problem(
    exc: InvalidInputError, form: FormData | None = None, units: SpeedUnit = DEFAULT_SPEED_UNIT
) -> dict[str, str]:
    """A form error for the templates: the field by its label, what was typed and what is
    accepted in the walker's units (:func:`retrowalk.web.forms.form_problem`)."""
    return form_problem(exc, form, units)


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
