"""Walked sessions: ``/api/logs`` and the log pages."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from retrowalk.errors import InvalidInputError, NotFoundError
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
from retrowalk.sessions import StopReason
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import Environment, Support
from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import local_datetime, ratings_from_form, segments_from_form, text
from retrowalk.web.html import CheckedForm, act, missing, problem, render, see_other
from retrowalk.web.logforms import log_input, ratings_input, segment_inputs
from retrowalk.web.schemas import (
    ERROR_RESPONSES,
    INVALID_OR_MISSING,
    NOT_FOUND,
    LogCreate,
    LogPublic,
    LogUpdate,
)

router = APIRouter(prefix="/api/logs", tags=["sessions"])
pages = APIRouter(prefix="/log", include_in_schema=False)


# ------------------------------------------------------------------------------------ API
@router.get("", response_model=list[LogPublic])
def read_logs(
    session: SessionDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    """Walked sessions, newest first."""
    return [log.to_dict() for log in list_logs(session, limit=limit)]


@router.post("", response_model=LogPublic, status_code=201, responses=ERROR_RESPONSES)
def create_log(session: SessionDep, body: LogCreate) -> dict[str, Any]:
    """Log a walked session; the energy is estimated and the plan adapts to it."""
    return add_log(session, log_input(body)).to_dict()


@router.get("/{log_id}", response_model=LogPublic, responses=NOT_FOUND)
def read_log(session: SessionDep, log_id: str) -> dict[str, Any]:
    """One log, by id or unique id prefix."""
    return get_log(session, log_id).to_dict()


@router.patch("/{log_id}", response_model=LogPublic, responses=INVALID_OR_MISSING)
def update_log(session: SessionDep, log_id: str, body: LogUpdate) -> dict[str, Any]:
    """Change a log; fields not sent stay as they are."""
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


def _log_form(request: Request, **context: Any) -> HTMLResponse:
    return render(
        request,
        "log_form.html",
        environments=[e.value for e in Environment],
        supports=[s.value for s in Support],
        stop_reasons=[r.value for r in StopReason],
        **context,
    )


@pages.get("/new")
def log_new(request: Request) -> HTMLResponse:
    """Form to log a session walked without the player."""
    now = utcnow().astimezone().replace(second=0, microsecond=0, tzinfo=None)
    values = {
        "started_at": (now - timedelta(minutes=15)).isoformat(),
        "spec": "5x(1m back, 1m fwd)",
    }
    return _log_form(request, values=values, log=None)


@pages.post("/new")
def log_new_post(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Store a session typed in by hand."""
    try:
        stopped = bool(text(form, "stop_reason"))
        data = LogInput(
            started_at=local_datetime(form, "started_at"),
            segments=segments_from_form(form),
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
            request, status_code=422, values=dict(form.items()), log=None, error=problem(exc)
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
            edit_log(
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
        return _log_form(
            request, status_code=422, values=dict(form.items()), log=log, error=problem(exc)
        )
    return see_other("/log")


@pages.post("/{log_id}/delete")
def log_delete(request: Request, log_id: str, _: CheckedForm, session: SessionDep) -> Response:
    """Delete a log."""
    return act(request, lambda: delete_log(session, log_id), then="/log", what="log")


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
