"""``/api/screening``: the onboarding questions and the readiness outcome with its reasons."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body

from retrowalk.screening import screen
from retrowalk.services.readiness import load_profile_data, require_profile, store_screening
from retrowalk.web.deps import SessionDep
from retrowalk.web.schemas import ERROR_RESPONSES, NOT_FOUND, QuestionPublic, ScreeningPublic
from retrowalk.web.views import questions_view, screening_view

router = APIRouter(prefix="/api/screening", tags=["screening"])


@router.get("/questions", response_model=list[QuestionPublic])
def list_questions() -> list[dict[str, Any]]:
    """Every onboarding question, in the order to ask them."""
    return questions_view()


@router.post("", response_model=ScreeningPublic, status_code=201, responses=NOT_FOUND)
def screen_stored_profile(session: SessionDep) -> dict[str, Any]:
    """Screen the stored profile and store the outcome."""
    stored = store_screening(session, require_profile(session))
    return screening_view(stored.result, stored.id)


@router.post("/preview", response_model=ScreeningPublic, responses=ERROR_RESPONSES)
def preview_screening(
    data: Annotated[dict[str, Any], Body(description="Profile fields (docs/schemas.md).")],
) -> dict[str, Any]:
    """Screen a profile without storing anything."""
    return screening_view(screen(load_profile_data(data)))
