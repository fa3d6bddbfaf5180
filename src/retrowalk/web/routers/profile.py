"""``/api/profile``: the walker's profile."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from retrowalk.errors import NotFoundError
from retrowalk.services.readiness import current_profile, load_profile_data, save_profile
from retrowalk.web.deps import SessionDep
from retrowalk.web.schemas import ERROR_RESPONSES, NOT_FOUND, ProfilePublic

router = APIRouter(prefix="/api/profile", tags=["profile"])

_EXAMPLE = {
    "age_years": 67,
    "sex": "female",
    "mass_kg": 64.0,
    "height_m": 1.62,
    "conditions": [],
    "falls_past_year": 0,
    "fear_of_falling": False,
    "dizziness": False,
    "pain": {},
    "uses_walking_aid": False,
    "parq": {
        "heart_condition_or_high_bp": False,
        "chest_pain": False,
        "dizziness_or_lost_consciousness": False,
        "other_chronic_condition": False,
        "prescribed_medication": False,
        "bone_joint_soft_tissue_problem": False,
        "medically_supervised_only": False,
    },
    "equipment": ["hallway_with_rail"],
}


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
