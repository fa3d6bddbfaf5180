"""Onboarding: ``/api/profile``, ``/api/screening`` and the onboarding pages."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.profile import example_profile_data, parse_profile
from retrowalk.screening import Clearance, ScreeningResult, screen
from retrowalk.screening.model import HEADLINES
from retrowalk.screening.questions import QUESTIONS
from retrowalk.services.readiness import (
    balance_tests,
    current_profile,
    latest_screening,
    load_profile_data,
    require_profile,
    save_profile,
    store_screening,
)
from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import PAIN_ROWS, profile_from_form, profile_to_form
from retrowalk.web.html import CheckedForm, problem, render, see_other
from retrowalk.web.schemas import (
    ERROR_RESPONSES,
    NOT_FOUND,
    ProfilePublic,
    QuestionPublic,
    ScreeningPublic,
)
from retrowalk.web.views import local_today

router = APIRouter()
pages = APIRouter(include_in_schema=False)

_EXAMPLE = example_profile_data()
_PROFILE_FIELDS = Body(description="Profile fields (docs/schemas.md).", examples=[_EXAMPLE])


# ------------------------------------------------------------------------------------ API
def screening_view(result: ScreeningResult, screening_id: str | None = None) -> dict[str, Any]:
    """A screening outcome with its headline."""
    return {"id": screening_id, "headline": HEADLINES[result.clearance], **result.to_dict()}


@router.get("/api/screening/questions", tags=["screening"], response_model=list[QuestionPublic])
def list_questions() -> list[dict[str, Any]]:
    """Every onboarding question, in the order to ask them."""
    return [
        {
            "field": q.field,
            "text": q.text,
            "kind": q.kind.value,
            "accepted": q.accepted,
            "choices": [{"value": v, "label": label} for v, label in q.choices],
            "required": q.required,
            "note": q.note,
        }
        for q in QUESTIONS
    ]


@router.get("/api/profile", tags=["profile"], response_model=ProfilePublic, responses=NOT_FOUND)
def read_profile(session: SessionDep) -> dict[str, Any]:
    """The stored profile (404 before onboarding)."""
    stored = current_profile(session)
    if stored is None:
        raise NotFoundError("no profile yet: complete onboarding first")
    return {"id": stored.id, "profile": stored.profile.model_dump(mode="json")}


@router.put(
    "/api/profile", tags=["profile"], response_model=ProfilePublic, responses=ERROR_RESPONSES
)
def replace_profile(
    session: SessionDep, data: Annotated[dict[str, Any], _PROFILE_FIELDS]
) -> dict[str, Any]:
    """Validate and store the profile (one person per database)."""
    stored = save_profile(session, load_profile_data(data))
    return {"id": stored.id, "profile": stored.profile.model_dump(mode="json")}


@router.post(
    "/api/screening",
    tags=["screening"],
    response_model=ScreeningPublic,
    status_code=201,
    responses=NOT_FOUND,
)
def screen_stored_profile(session: SessionDep) -> dict[str, Any]:
    """Screen the stored profile and store the outcome."""
    stored = store_screening(session, require_profile(session))
    return screening_view(stored.result, stored.id)


@router.post(
    "/api/screening/preview",
    tags=["screening"],
    response_model=ScreeningPublic,
    responses=ERROR_RESPONSES,
)
def preview_screening(
    data: Annotated[dict[str, Any], _PROFILE_FIELDS],
) -> dict[str, Any]:
    """Screen a profile without storing anything."""
    return screening_view(screen(load_profile_data(data)))


# ------------------------------------------------------------------------------------ pages
@pages.get("/onboarding")
def onboarding(request: Request, session: SessionDep) -> HTMLResponse:
    """Profile and screening questions (prefilled when a profile exists)."""
    stored = current_profile(session)
    values = {} if stored is None else profile_to_form(stored.profile.model_dump(mode="json"))
    return render(
        request, "onboarding.html", questions=QUESTIONS, values=values, pain_rows=PAIN_ROWS
    )


@pages.post("/onboarding")
def onboarding_post(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Store the profile and screen it; show the outcome."""
    try:
        profile = parse_profile(profile_from_form(form))
    except InvalidInputError as exc:
        values = {k: (form.getlist(k) if len(form.getlist(k)) > 1 else v) for k, v in form.items()}
        return render(
            request,
            "onboarding.html",
            status_code=422,
            questions=QUESTIONS,
            values=values,
            pain_rows=PAIN_ROWS,
            error=problem(exc),
        )
    store_screening(session, save_profile(session, profile))
    return see_other("/onboarding/result")


def screening_context(session: Session) -> dict[str, Any]:
    """What the screening outcome page shows (``result.html``)."""
    stored = require_profile(session)
    row = latest_screening(session, stored.id)
    if row is None:
        raise NotFoundError("no screening yet")
    return {
        "clearance": row.clearance,
        "headline": HEADLINES[Clearance(row.clearance)],
        "reasons": row.reasons,
        "tests": [t.to_dict() for t in balance_tests(session, stored)],
        "start_on": local_today().isoformat(),
        "older": stored.profile.age_years >= 65,
    }


@pages.get("/onboarding/result")
def onboarding_result(request: Request, session: SessionDep) -> Response:
    """The screening outcome with its reasons, the optional 3MBWT and the plan form."""
    try:
        context = screening_context(session)
    except NotFoundError:
        return see_other("/onboarding")
    return render(request, "result.html", **context)
