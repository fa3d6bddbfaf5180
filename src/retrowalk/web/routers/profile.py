"""``/api/profile``: the walker's profile."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from retrowalk.errors import NotFoundError
from retrowalk.profile import example_profile_data
from retrowalk.services.readiness import current_profile, load_profile_data, save_profile
from retrowalk.web.deps import SessionDep
from retrowalk.web.schemas import ERROR_RESPONSES, NOT_FOUND, ProfilePublic

router = APIRouter(prefix="/api/profile", tags=["profile"])

_EXAMPLE = example_profile_data()


@router.get("", response_model=ProfilePublic, responses=NOT_FOUND)
def read_profile(session: SessionDep) -> dict[str, Any]:
    """The stored profile (404 before onboarding)."""
    stored = current_profile(session)
    if stored is None:
        raise NotFoundError("no profile yet: complete onboarding first")
    return {"id": stored.id, "profile": stored.profile.model_dump(mode="json")}


@router.put("", response_model=ProfilePublic, responses=ERROR_RESPONSES)
def replace_profile(
    session: SessionDep,
    data: Annotated[
        dict[str, Any],
        Body(description="Profile fields (docs/schemas.md).", examples=[_EXAMPLE]),
    ],
) -> dict[str, Any]:
    """Validate and store the profile (one person per database)."""
    stored = save_profile(session, load_profile_data(data))
    return {"id": stored.id, "profile": stored.profile.model_dump(mode="json")}
