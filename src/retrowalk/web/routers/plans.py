"""``/api/plans``, ``/api/today`` and the session schedules the browser player runs."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from retrowalk.services.plans import create_plan, plan_changes, require_plan, today
from retrowalk.web.deps import SessionDep
from retrowalk.web.player import ACKNOWLEDGEMENT, planned_timeline
from retrowalk.web.preferences import load_preferences
from retrowalk.web.schemas import ERROR_RESPONSES, NOT_FOUND, ClearanceRequiredBody, PlanCreate
from retrowalk.web.views import check_date, screening_view

router = APIRouter(tags=["plans"])

_CLEARANCE: dict[int | str, dict[str, Any]] = {
    409: {"model": ClearanceRequiredBody, "description": "See a professional first"}
}


@router.post(
    "/api/plans", status_code=201, responses={**ERROR_RESPONSES, **NOT_FOUND, **_CLEARANCE}
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


@router.get("/api/plans/current", responses=NOT_FOUND)
def read_current_plan(session: SessionDep) -> dict[str, Any]:
    """The current plan, its weeks and every change made to it with its reason."""
    stored = require_plan(session)
    return {**stored.to_dict(), "changes": plan_changes(session, stored.id)}


@router.get("/api/today", responses={**ERROR_RESPONSES, **NOT_FOUND})
def read_today(session: SessionDep, on: date | None = None) -> dict[str, Any]:
    """Today's session (or the next one) and why it is what it is."""
    return today(session, check_date(on, "on")).to_dict()


@router.get("/api/plans/current/sessions/{session_id}/timeline", responses=NOT_FOUND)
def read_timeline(session: SessionDep, session_id: str) -> dict[str, Any]:
    """The cue schedule of one planned session, in the user's speed unit (docs/sessions.md)."""
    units = load_preferences(session).units
    return planned_timeline(require_plan(session), session_id, units).to_dict()
