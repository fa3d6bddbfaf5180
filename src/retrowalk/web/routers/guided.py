"""Sessions played in the browser: ``/api/guided``, the player pages and quick sessions."""

from __future__ import annotations

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.formatting import format_moment
from retrowalk.services.guided import (
    GuidedSession,
    PlanStoppedError,
    SessionInProgressError,
    abandon_guided,
    checkpoint,
    find_unfinished,
    finish_guided,
    log_partial,
    start_guided,
)
from retrowalk.services.plans import require_plan
from retrowalk.services.readiness import current_profile
from retrowalk.sessions import StopReason
from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import quick_from_form, quick_problem
from retrowalk.web.html import CheckedForm, act, missing, render, see_other
from retrowalk.web.logforms import ratings_input
from retrowalk.web.player import find_planned, planned_timeline, player_data, quick_context
from retrowalk.web.preferences import load_preferences
from retrowalk.web.routers.treadmill import belt_speeds_for
from retrowalk.web.schemas import (
    INVALID_OR_MISSING,
    NOT_FOUND,
    CheckpointCreate,
    CheckpointPublic,
    GuidedCreate,
    GuidedFinish,
    GuidedPartial,
    GuidedPublic,
    LogPublic,
    MessageBody,
    UnfinishedPublic,
)
from retrowalk.web.views import local_time, local_today

router = APIRouter(prefix="/api/guided", tags=["sessions"])
pages = APIRouter(include_in_schema=False)

#: The fast fake clock rates the player accepts in test mode.
CLOCK_RATE_MAX: Final = 1000.0
_IN_PROGRESS: dict[int | str, dict[str, Any]] = {
    409: {
        "model": MessageBody,
        "description": "Plan stopped, a session in progress, nothing planned today or a "
        "session of an older plan",
    }
}
_SNAPSHOT_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": MessageBody, "description": "The snapshot does not fit the session's timeline"}
}


# ------------------------------------------------------------------------------------ API
def _guided_view(guided: GuidedSession) -> dict[str, Any]:
    return {"timeline_id": guided.timeline.fingerprint(), **guided.to_dict()}


@router.post(
    "",
    response_model=GuidedPublic,
    status_code=201,
    responses={**INVALID_OR_MISSING, **_IN_PROGRESS},
)
def create_guided(session: SessionDep, body: GuidedCreate) -> dict[str, Any]:
    """Start a guided session: its schedule is stored as a session in progress."""
    guided = start_guided(
        session,
        planned_session_id=body.planned_session_id,
        quick_spec=body.quick_spec,
        units=load_preferences(session).units,
        environment=body.environment,
        support=body.support,
        on=local_today(),
    )
    return _guided_view(guided)


@router.get("/unfinished", response_model=UnfinishedPublic)
def read_unfinished(session: SessionDep) -> dict[str, Any]:
    """The session still in progress (``{"session": null}`` when there is none)."""
    guided = find_unfinished(session)
    return {"session": None if guided is None else _guided_view(guided)}


@router.post(
    "/{log_id}/checkpoint",
    response_model=CheckpointPublic,
    responses={**INVALID_OR_MISSING, **_SNAPSHOT_CONFLICT},
)
def store_checkpoint(session: SessionDep, log_id: str, body: CheckpointCreate) -> dict[str, Any]:
    """Store the player's state (every few seconds while it runs)."""
    return {"checkpoint_at": checkpoint(session, log_id, body.snapshot.to_snapshot())}


@router.post(
    "/{log_id}/finish",
    response_model=LogPublic,
    responses={**INVALID_OR_MISSING, **_SNAPSHOT_CONFLICT},
)
def finish(
    request: Request, session: SessionDep, log_id: str, body: GuidedFinish
) -> dict[str, Any]:
    """Log the session with the segments actually walked and the walker's ratings (on a
    treadmill driven by the server: the belt speeds it measured)."""
    view = finish_guided(
        session,
        log_id,
        body.snapshot.to_snapshot(),
        ratings_input(body.ratings),
        notes=body.notes,
        belt_speeds_m_s=belt_speeds_for(request, log_id),
    )
    return view.to_dict()


@router.post("/{log_id}/log-partial", response_model=LogPublic, responses=INVALID_OR_MISSING)
def log_part_done(session: SessionDep, log_id: str, body: GuidedPartial) -> dict[str, Any]:
    """Log the part done up to the last checkpoint (after a crash or a lost phone)."""
    return log_partial(session, log_id, ratings_input(body.ratings), notes=body.notes).to_dict()


@router.post("/{log_id}/abandon", status_code=204, responses=NOT_FOUND)
def abandon(session: SessionDep, log_id: str) -> Response:
    """Keep the session for the record but do not count it."""
    abandon_guided(session, log_id)
    return Response(status_code=204)


# ------------------------------------------------------------------------------------ pages
@pages.post("/guided/{log_id}/log-partial")
def guided_log_partial(
    request: Request, log_id: str, _: CheckedForm, session: SessionDep
) -> Response:
    """Log the part of an interrupted session done up to its last checkpoint."""
    return act(request, lambda: log_partial(session, log_id), then="/log", what="session")


@pages.post("/guided/{log_id}/abandon")
def guided_abandon(request: Request, log_id: str, _: CheckedForm, session: SessionDep) -> Response:
    """Discard an interrupted session (kept for the record, not counted)."""
    return act(request, lambda: abandon_guided(session, log_id), then="/today", what="session")


def _clock_rate(request: Request) -> float:
    """The fast fake clock's rate: honoured only in test mode (``?clock=fast&rate=N``)."""
    if not request.app.state.test_mode or request.query_params.get("clock") != "fast":
        return 1.0
    try:
        return min(max(float(request.query_params.get("rate", "60")), 1.0), CLOCK_RATE_MAX)
    except ValueError:
        return 60.0


def _player(request: Request, data: dict[str, Any]) -> HTMLResponse:
    return render(
        request,
        "player.html",
        data=data,
        title=data["title"],
        timeline=data["timeline"],
        stop_reasons=list(StopReason),
    )


@pages.get("/player/{session_id}")
def player_page(request: Request, session: SessionDep, session_id: str) -> Response:
    """The session player for one planned session (runs in the browser)."""
    try:
        stored = require_plan(session)
        planned = find_planned(stored, session_id)
    except NotFoundError:
        return missing(request, "session")
    prefs = load_preferences(session)
    data = player_data(
        title=planned.title,
        timeline=planned_timeline(stored, session_id, prefs.units),
        prefs=prefs,
        clock_rate=_clock_rate(request),
        planned_session_id=session_id,
    )
    return _player(request, data)


@pages.get("/player/quick/{log_id}")
def quick_player_page(request: Request, session: SessionDep, log_id: str) -> Response:
    """The player for a quick session started with the quick-session form (in progress)."""
    guided = find_unfinished(session)
    if guided is None or guided.log_id != log_id:
        return missing(request, "session in progress")
    if guided.planned_session_id is not None:
        return see_other(f"/player/{guided.planned_session_id}")
    data = player_data(
        title=guided.title,
        timeline=guided.timeline,
        prefs=load_preferences(session),
        clock_rate=_clock_rate(request),
        guided=guided,
    )
    return _player(request, data)


@pages.get("/quick")
def quick_page(request: Request, session: SessionDep) -> Response:
    """The quick-session form on a page of its own."""
    if current_profile(session) is None:
        return see_other("/onboarding")
    return render(request, "quick.html", **quick_context({}))


@pages.post("/quick")
def quick_post(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Start a quick session (``start_guided``) and open its player."""
    if current_profile(session) is None:
        return see_other("/onboarding")
    values = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    try:
        quick = quick_from_form(form)
        with session.begin_nested():
            guided = start_guided(
                session,
                quick_spec=quick.quick_spec,
                units=load_preferences(session).units,
                environment=quick.environment,
                support=quick.support,
                on=local_today(),
            )
        return see_other(f"/player/quick/{guided.log_id}")
    except InvalidInputError as exc:
        status, error = 422, quick_problem(exc)
    except PlanStoppedError as exc:
        message = str(exc)
        status, error = 409, {"message": message[:1].upper() + message[1:] + "."}
    except SessionInProgressError as exc:
        status = 409
        error = {
            "message": f"A session started {format_moment(local_time(exc.started_at))} is still "
            "in progress: continue it, log the part done or discard it on the Today page first.",
            "link": "/today",
        }
    return render(
        request, "quick.html", status_code=status, quick_error=error, **quick_context(values)
    )
