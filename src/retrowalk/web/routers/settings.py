"""``/api/settings``: speed units and voice."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from retrowalk.web.deps import SessionDep
from retrowalk.web.preferences import load_preferences, save_preferences
from retrowalk.web.schemas import ERROR_RESPONSES, PreferencesPublic, PreferencesUpdate

router = APIRouter(prefix="/api/settings", tags=["settings"])


@router.get("", response_model=PreferencesPublic)
def read_settings(session: SessionDep) -> dict[str, Any]:
    """The display preferences."""
    return load_preferences(session).to_dict()


@router.put("", response_model=PreferencesPublic, responses=ERROR_RESPONSES)
def update_settings(session: SessionDep, body: PreferencesUpdate) -> dict[str, Any]:
    """Store the display preferences."""
    return save_preferences(session, units=body.units, voice=body.voice).to_dict()
