"""Display preferences: ``/api/settings`` and the Settings page."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from retrowalk.errors import InvalidInputError
from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import text
from retrowalk.web.html import CheckedForm, problem, render
from retrowalk.web.preferences import load_preferences, save_preferences
from retrowalk.web.schemas import ERROR_RESPONSES, PreferencesPublic, PreferencesUpdate

router = APIRouter(prefix="/api/settings", tags=["settings"])
pages = APIRouter(include_in_schema=False)


@router.get("", response_model=PreferencesPublic)
def read_settings(session: SessionDep) -> dict[str, Any]:
    """The display preferences."""
    return load_preferences(session).to_dict()


@router.put("", response_model=PreferencesPublic, responses=ERROR_RESPONSES)
def update_settings(session: SessionDep, body: PreferencesUpdate) -> dict[str, Any]:
    """Store the display preferences."""
    return save_preferences(session, units=body.units, voice=body.voice).to_dict()


@pages.get("/settings")
def settings_page(request: Request, session: SessionDep) -> HTMLResponse:
    """Units, voice, export and import."""
    return render(request, "settings.html", prefs=load_preferences(session).to_dict())


@pages.post("/settings")
def settings_post(request: Request, form: CheckedForm, session: SessionDep) -> HTMLResponse:
    """Store units and voice."""
    try:
        prefs = save_preferences(
            session, units=text(form, "units"), voice=form.get("voice") == "on"
        )
    except InvalidInputError as exc:
        current = load_preferences(session).to_dict()
        return render(request, "settings.html", status_code=422, prefs=current, error=problem(exc))
    return render(request, "settings.html", prefs=prefs.to_dict(), saved=True)
