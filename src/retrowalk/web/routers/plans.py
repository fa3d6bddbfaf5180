"""The plan: ``/api/plans``, ``/api/today``, the session schedules the browser player runs, and
the Today and Plan pages."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.plans import ProfessionalClearanceRequiredError
from retrowalk.progress.completion import SessionState
from retrowalk.services.completion import planned_session_statuses
from retrowalk.services.guided import find_unfinished
from retrowalk.services.plans import (
    SEEN_PROFESSIONAL_TEXT,
    create_plan,
    current_plan,
    plan_changes,
    require_plan,
    resume_plan,
    today,
)
from retrowalk.services.readiness import current_profile
from retrowalk.web import charts
from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import text
from retrowalk.web.html import CheckedForm, Notice, problem, render, see_other
from retrowalk.web.player import ACKNOWLEDGEMENT, planned_timeline, quick_context
from retrowalk.web.preferences import load_preferences
from retrowalk.web.routers.onboarding import screening_context, screening_view
from retrowalk.web.schemas import (
    ERROR_RESPONSES,
    INVALID_OR_MISSING,
    NOT_FOUND,
    ClearanceRequiredBody,
    CurrentPlanPublic,
    Day,
    PlanCreate,
    PlanCreatedPublic,
    TimelinePublic,
    TodayPublic,
)
from retrowalk.web.views import check_date, local_today, parse_form_date, walker_zone

router = APIRouter(tags=["plans"])
pages = APIRouter(include_in_schema=False)

_CLEARANCE: dict[int | str, dict[str, Any]] = {
    409: {"model": ClearanceRequiredBody, "description": "See a professional first"}
}


# ------------------------------------------------------------------------------------ API
@router.post(
    "/api/plans",
    response_model=PlanCreatedPublic,
    status_code=201,
    responses={**ERROR_RESPONSES, **NOT_FOUND, **_CLEARANCE},
)
def new_plan(session: SessionDep, body: PlanCreate) -> dict[str, Any]:
    """Screen the stored profile again and make a new plan (the old one is superseded)."""
    stored, screening = create_plan(
        session,
        start_on=check_date(body.start_on, "start_on"),
        weeks=body.weeks,
        acknowledgement=ACKNOWLEDGEMENT if body.acknowledge_risk else None,
    )
    return {**stored.to_dict(), "screening": screening_view(screening.result, screening.id)}


@router.get("/api/plans/current", response_model=CurrentPlanPublic, responses=NOT_FOUND)
def read_current_plan(session: SessionDep) -> dict[str, Any]:
    """The current plan, its weeks and every change made to it with its reason."""
    stored = require_plan(session)
    return {**stored.to_dict(), "changes": plan_changes(session, stored.id)}


@router.get("/api/today", response_model=TodayPublic, responses=INVALID_OR_MISSING)
def read_today(session: SessionDep, on: Day | None = None) -> dict[str, Any]:
    """Today's session (or the next one) and why it is what it is."""
    return today(session, check_date(on, "on")).to_dict()


@router.get(
    "/api/plans/current/sessions/{session_id}/timeline",
    response_model=TimelinePublic,
    responses=NOT_FOUND,
)
def read_timeline(session: SessionDep, session_id: str) -> dict[str, Any]:
    """The cue schedule of one planned session, in the user's speed unit (docs/sessions.md)."""
    units = load_preferences(session).units
    return planned_timeline(require_plan(session), session_id, units).to_dict()


# ------------------------------------------------------------------------------------ pages
@pages.get("/")
def home(session: SessionDep) -> RedirectResponse:
    """Today once onboarded, onboarding before."""
    return see_other("/today" if current_profile(session) is not None else "/onboarding")


@pages.get("/today")
def today_page(request: Request, session: SessionDep) -> Response:
    """The next session and why it is what it is."""
    if current_profile(session) is None:
        return see_other("/onboarding")
    try:
        view = today(session, local_today()).to_dict()
    except NotFoundError:
        return see_other("/onboarding/result")
    unfinished = find_unfinished(session)
    return render(
        request,
        "today.html",
        view=view,
        unfinished=None if unfinished is None else unfinished.to_dict(),
        seen_professional_text=SEEN_PROFESSIONAL_TEXT,
        speed_unit=load_preferences(session).units,
        **quick_context({}),
    )


@pages.get("/plan")
def plan_page(request: Request, session: SessionDep) -> Response:
    """The plan as a calendar of weeks, with its changes."""
    try:
        stored = require_plan(session)
    except NotFoundError:
        return see_other("/onboarding/result")
    document = stored.to_dict()
    on = local_today()
    states = {
        s.session_id: s.to_dict()
        for s in planned_session_statuses(session, today=on, tz=walker_zone(), plan_id=stored.id)
    }
    return render(
        request,
        "plan.html",
        plan=document,
        calendar=charts.calendar(document, on, states),
        changes=plan_changes(session, stored.id),
        seen_professional_text=SEEN_PROFESSIONAL_TEXT,
        speed_unit=load_preferences(session).units,
    )


@pages.post("/plan/resume")
def plan_resume(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Record "I have seen a health professional" (with its time): a stopped plan continues."""
    if form.get("seen_professional") != "yes":
        return _resume_refused(
            request,
            session,
            InvalidInputError(
                "I have seen a health professional",
                None,
                "the box ticked: a stopped plan continues only after a health professional "
                "has seen you",
            ),
        )
    try:
        with session.begin_nested():
            revision = resume_plan(session, acknowledgement=SEEN_PROFESSIONAL_TEXT)
    except InvalidInputError as exc:
        return _resume_refused(request, session, exc)
    return see_other("/today", Notice(revision.message))


def _resume_refused(request: Request, session: SessionDep, exc: InvalidInputError) -> Response:
    try:
        view = today(session, local_today()).to_dict()
    except NotFoundError:
        return see_other("/onboarding/result")
    return render(
        request,
        "today.html",
        status_code=422,
        error=problem(exc),
        view=view,
        unfinished=None,
        seen_professional_text=SEEN_PROFESSIONAL_TEXT,
        **quick_context({}),
    )


#: The fields of the plan form carried through the "replace your plan?" step.
_PLAN_FIELDS: Final = ("weeks", "start_on", "acknowledge_risk")


@pages.post("/plan/new")
def plan_new(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Make a plan from the stored profile."""
    try:
        weeks_text = text(form, "weeks") or "4"
        if not weeks_text.isdigit():
            raise InvalidInputError("weeks", weeks_text, "a whole number of weeks from 1 to 12")
        existing = current_plan(session)
        if existing is not None and form.get("replace") != "yes":
            # Ask first: a new plan replaces the current one (a page: works without JavaScript).
            return render(
                request,
                "plan_replace.html",
                status_code=409,
                current=existing.to_dict(),
                done=sum(
                    1
                    for s in planned_session_statuses(
                        session, today=local_today(), tz=walker_zone(), plan_id=existing.id
                    )
                    if s.state is SessionState.DONE
                ),
                values={k: v for k, v in form.items() if k in _PLAN_FIELDS},
            )
        with session.begin_nested():
            create_plan(
                session,
                start_on=parse_form_date(text(form, "start_on"), "start_on"),
                weeks=int(weeks_text),
                acknowledgement=ACKNOWLEDGEMENT if form.get("acknowledge_risk") else None,
            )
    except InvalidInputError as exc:
        return render(
            request,
            "result.html",
            status_code=422,
            error=problem(exc, form),
            **screening_context(session),
        )
    except ProfessionalClearanceRequiredError as exc:
        error = {
            "field": "acknowledge_risk",
            "message": "Screening says to see a professional first. " + " ".join(exc.reasons),
            "accepted": "tick the box once you have read the reasons",
        }
        return render(
            request, "result.html", status_code=409, error=error, **screening_context(session)
        )
    return see_other("/plan", *_replaced(form))


def _replaced(form: Any) -> tuple[Notice, ...]:
    if form.get("replace") != "yes":
        return ()
    return (
        Notice("Your new plan replaces the old one. The sessions you logged stay in your log."),
    )
