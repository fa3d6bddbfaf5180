"""Walked sessions: ``/api/logs`` and the log pages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.formatting import format_duration
from retrowalk.services.duplicates import keep_log, pending
from retrowalk.services.logs import (
    UNSET,
    LogInput,
    add_log,
    delete_log,
    edit_log,
    get_log,
    list_logs,
)
from retrowalk.services.logs.trash import delete_recoverably, restore_log
from retrowalk.sessions import StopReason
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import Environment, LogSource, SpeedUnit, Support
from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import (
    accepted_words,
    local_datetime,
    ratings_from_form,
    segments_from_form,
    text,
)
from retrowalk.web.html import CheckedForm, Notice, missing, problem, render, see_other
from retrowalk.web.logforms import log_input, ratings_input, segment_inputs
from retrowalk.web.preferences import load_preferences
from retrowalk.web.schemas import (
    CONFLICT,
    INVALID_OR_MISSING,
    NOT_FOUND,
    LogCreate,
    LogPublic,
    LogUpdate,
)
from retrowalk.web.views import walker_zone

router = APIRouter(prefix="/api/logs", tags=["sessions"])
pages = APIRouter(prefix="/log", include_in_schema=False)


# ------------------------------------------------------------------------------------ API
@router.get("", response_model=list[LogPublic])
def read_logs(
    session: SessionDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    """Walked sessions, newest first."""
    return [log.to_dict() for log in list_logs(session, limit=limit)]


@router.post(
    "",
    response_model=LogPublic,
    status_code=201,
    responses={**INVALID_OR_MISSING, **CONFLICT},
)
def create_log(session: SessionDep, body: LogCreate) -> dict[str, Any]:
    """Log a walked session; the energy is estimated and the plan adapts to it (a session
    already logged at that start time answers 409)."""
    return add_log(session, log_input(body)).to_dict()


@router.get("/{log_id}", response_model=LogPublic, responses=NOT_FOUND)
def read_log(session: SessionDep, log_id: str) -> dict[str, Any]:
    """One log, by id or unique id prefix."""
    return get_log(session, log_id).to_dict()


@router.patch("/{log_id}", response_model=LogPublic, responses={**INVALID_OR_MISSING, **CONFLICT})
def update_log(session: SessionDep, log_id: str, body: LogUpdate) -> dict[str, Any]:
    """Change a log; fields not sent stay as they are (a stop reason for a log that is not
    stopped, without ``status: stopped``, answers 409)."""
    sent = body.model_fields_set

    def given(name: str, value: Any, *, nullable: bool = False) -> Any:
        return value if name in sent and (nullable or value is not None) else UNSET

    view = edit_log(
        session,
        log_id,
        ratings=ratings_input(body.ratings) if "ratings" in sent else UNSET,
        notes=given("notes", body.notes),
        segments=given(
            "segments", None if body.segments is None else segment_inputs(body.segments)
        ),
        started_at=given("started_at", body.started_at),
        duration_s=given("duration_s", body.duration_s, nullable=True),
        status=given("status", body.status),
        stop_reason=given("stop_reason", body.stop_reason, nullable=True),
    )
    return view.to_dict()


@router.delete("/{log_id}", status_code=204, responses=NOT_FOUND)
def remove_log(session: SessionDep, log_id: str) -> Response:
    """Delete a log with its segments and ratings."""
    delete_log(session, log_id)
    return Response(status_code=204)


# ------------------------------------------------------------------------------------ pages
@pages.get("")
def log_list(request: Request, session: SessionDep) -> HTMLResponse:
    """Logged sessions, newest first."""
    logs = [log.to_dict() for log in list_logs(session, limit=200)]
    duplicates = [pair.to_dict() for pair in pending(session)]
    return render(request, "log_list.html", logs=logs, duplicates=duplicates)


def _log_form(request: Request, units: SpeedUnit, **context: Any) -> HTMLResponse:
    return render(
        request,
        "log_form.html",
        environments=[e.value for e in Environment],
        supports=[s.value for s in Support],
        stop_reasons=list(StopReason),
        units=units.value,
        speed_hint=accepted_words("speed", units),
        **context,
    )


@pages.get("/new")
def log_new(request: Request, session: SessionDep) -> HTMLResponse:
    """Form to log a session walked without the player."""
    now = utcnow().astimezone(walker_zone()).replace(second=0, microsecond=0, tzinfo=None)
    values = {
        "started_at": (now - timedelta(minutes=15)).isoformat(),
        "spec": "5x(1m back, 1m fwd)",
    }
    return _log_form(request, load_preferences(session).units, values=values, log=None)


@pages.post("/new")
def log_new_post(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Store a session typed in by hand."""
    units = load_preferences(session).units
    try:
        stopped = bool(text(form, "stop_reason"))
        data = LogInput(
            started_at=local_datetime(form, "started_at"),
            segments=segments_from_form(form, units),
            ratings=ratings_from_form(form),
            source="manual",
            status="stopped" if stopped else "completed",
            stop_reason=text(form, "stop_reason") or None,
            notes=text(form, "notes"),
        )
        with session.begin_nested():
            add_log(session, data)
    except InvalidInputError as exc:
        return _log_form(
            request,
            units,
            status_code=422,
            values=dict(form.items()),
            log=None,
            error=problem(exc, form, units),
        )
    return see_other("/log")


def edit_page(
    request: Request, session: Session, log_id: str, *, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    """The log's page: the form to change its ratings, status and notes, and its motion
    recording (``extra``: the recording form's messages)."""
    from retrowalk.web.routers.recordings import motion_context

    try:
        log = get_log(session, log_id).to_dict()
    except NotFoundError:
        return missing(request, "log")
    ratings = log["ratings"] or {}
    values = {k: v for k, v in ratings.items() if v is not None}
    values.update(notes=log["notes"], stop_reason=log["stop_reason"] or "")
    steady = ratings.get("form_steady")
    values["form_steady"] = "" if steady is None else ("yes" if steady else "no")
    return _log_form(
        request,
        load_preferences(session).units,
        status_code=status_code,
        values=values,
        log=log,
        motion=motion_context(session, log["id"]),
        **extra,
    )


@pages.get("/{log_id}/edit")
def log_edit(request: Request, session: SessionDep, log_id: str) -> HTMLResponse:
    """Form to change a log's ratings, status and notes."""
    return edit_page(request, session, log_id)


@pages.post("/{log_id}/edit")
def log_edit_post(
    request: Request, log_id: str, form: CheckedForm, session: SessionDep
) -> Response:
    """Store the changes to a log."""
    try:
        reason = text(form, "stop_reason") or None
        with session.begin_nested():
            view = edit_log(
                session,
                log_id,
                ratings=ratings_from_form(form),
                notes=text(form, "notes"),
                status="stopped" if reason else "completed",
                stop_reason=reason,
            )
    except NotFoundError:
        return missing(request, "log")
    except InvalidInputError as exc:
        log = get_log(session, log_id).to_dict()
        units = load_preferences(session).units
        return _log_form(
            request,
            units,
            status_code=422,
            values=dict(form.items()),
            log=log,
            error=problem(exc, form, units),
        )
    what = describe_session(view.started_at, view.source, view.duration_s)
    notices = [Notice(f"Saved the changes to {what}.")]
    if view.plan_note is not None:
        notices.append(Notice(view.plan_note))
    elif view.plan_change is not None:  # the edit called for a regression or a stop
        notices.append(Notice(f"Your plan changed: {view.plan_change.reason}"))
    return see_other(f"/log#log-{view.id[:8]}", *notices)


def describe_session(started_at: datetime, source: str, duration_s: float) -> str:
    """E.g. "the session of Thu 3 Dec 2026 at 14:05 (with the player, 12 min)", in the
    walker's local time."""
    local = started_at.astimezone(walker_zone())
    kind = LogSource(source).label if source in set(LogSource) else source
    return (
        f"the session of {local:%a} {local.day} {local:%b %Y} at {local:%H:%M} "
        f"({kind}, {format_duration(duration_s)})"
    )


def _plan_notices(message: str | None) -> tuple[Notice, ...]:
    return () if not message else (Notice(message),)


@pages.get("/{log_id}/delete")
def log_delete_confirm(request: Request, session: SessionDep, log_id: str) -> HTMLResponse:
    """Ask before deleting a log (a page: works without JavaScript)."""
    try:
        log = get_log(session, log_id)
    except NotFoundError:
        return missing(request, "log")
    what = describe_session(log.started_at, log.source, log.duration_s)
    return render(request, "log_delete.html", log=log.to_dict(), what=what)


@pages.post("/{log_id}/delete")
def log_delete(request: Request, log_id: str, _: CheckedForm, session: SessionDep) -> Response:
    """Delete a log (recoverably: the next page offers "Undo") and say what changed."""
    try:
        with session.begin_nested():
            deletion = delete_recoverably(session, log_id)
    except NotFoundError:
        return missing(request, "log")
    what = describe_session(deletion.started_at, deletion.source, deletion.duration_s)
    return see_other(
        "/log",
        Notice(f"Deleted {what}.", undo=deletion.id),
        *_plan_notices(deletion.plan_message),
    )


@pages.post("/deleted/{deletion_id}/restore")
def log_restore(
    request: Request, deletion_id: str, _: CheckedForm, session: SessionDep
) -> Response:
    """Undo a deletion: the log comes back exactly as it was, and the plan with it."""
    try:
        with session.begin_nested():
            restored = restore_log(session, deletion_id)
    except NotFoundError:
        return missing(request, "deleted session")
    except InvalidInputError as exc:
        return see_other("/log", Notice(f"Could not undo: {exc}"))
    log = restored.log
    what = describe_session(log.started_at, log.source, log.duration_s)
    message = None if restored.revision is None else restored.revision.message
    return see_other(f"/log#log-{log.id[:8]}", Notice(f"Restored {what}."), *_plan_notices(message))


@pages.post("/{log_id}/keep")
def log_keep(request: Request, log_id: str, _: CheckedForm, session: SessionDep) -> Response:
    """Keep this log of a walk logged twice; the other one is deleted."""
    try:
        with session.begin_nested():
            keep_log(session, log_id)
    except NotFoundError:
        return missing(request, "log")
    except InvalidInputError as exc:
        logs = [log.to_dict() for log in list_logs(session, limit=200)]
        duplicates = [pair.to_dict() for pair in pending(session)]
        return render(
            request,
            "log_list.html",
            status_code=422,
            logs=logs,
            duplicates=duplicates,
            duplicate_error=str(exc),
        )
    return see_other("/log")
