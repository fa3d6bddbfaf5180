"""Pages for walks from watches and the plan back to them.

- ``GET /activities``: the upload form, a lap-by-lap view of recent imports with their direction
  switches, the plan's workouts to download and the calendar settings.
- ``POST /activities/import``: one or more files (one result line each; bad files store nothing).
- ``POST /activities/{log_id}/laps``: set the direction of a lap.
- ``GET /activities/workout/{planned_id}.fit``: a planned session as a FIT workout.
- ``POST /activities/calendar`` and ``POST /activities/calendar/link``: time, reminder and a new
  private feed address.
- ``GET /calendar/{token}.ics``: the private feed (no login: the token is the secret; see
  ``docs/activities.md``).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from retrowalk.errors import ImportFileError, InvalidInputError, NotFoundError
from retrowalk.services.activities import (
    ImportOptions,
    check_options,
    get_imported,
    import_file,
    set_lap_directions,
)
from retrowalk.services.bounds import ACTIVITY_UPLOAD_MAX_BYTES
from retrowalk.services.plan_exports import (
    calendar_by_token,
    calendar_settings,
    new_calendar_token,
    parse_time_of_day,
    save_calendar_settings,
    workout_file,
)
from retrowalk.services.plans import current_plan
from retrowalk.store import models
from retrowalk.web.deps import SessionDep
from retrowalk.web.html import CheckedForm, render, see_other
from retrowalk.web.preferences import load_preferences

router = APIRouter(include_in_schema=False)

#: Imported walks shown on the page.
RECENT_IMPORTS: Final = 5
_COPY_CHUNK_BYTES: Final = 1 << 20


def _page(
    request: Request, session: Session, *, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    rows = session.scalars(
        select(models.ActivityImport)
        .order_by(models.ActivityImport.imported_at.desc())
        .limit(RECENT_IMPORTS)
    ).all()
    imports = [get_imported(session, row.session_log_id).to_dict() for row in rows]
    stored = current_plan(session)
    settings = calendar_settings(session)
    workouts = []
    if stored is not None:
        workouts = [
            {"id": sid, "on": s.scheduled_on, "title": s.title}
            for sid, s in zip(stored.session_ids, stored.plan.sessions, strict=True)
        ]
    return render(
        request,
        "activities.html",
        status_code=status_code,
        active="activities",
        imports=imports,
        workouts=workouts,
        calendar={"at": settings.at.strftime("%H:%M"), "remind": settings.remind_before_min},
        speed_unit=load_preferences(session).units,
        **extra,
    )


@router.get("/activities")
def activities_page(request: Request, session: SessionDep) -> HTMLResponse:
    """Upload form, recent imports, workouts and calendar."""
    return _page(request, session)


def _save_upload(upload: UploadFile, folder: Path, index: int) -> Path:
    path = folder / f"upload-{index}"
    with path.open("wb") as out:
        copied = 0
        while chunk := upload.file.read(_COPY_CHUNK_BYTES):
            copied += len(chunk)
            if copied > ACTIVITY_UPLOAD_MAX_BYTES:
                limit = ACTIVITY_UPLOAD_MAX_BYTES // 2**30
                raise ImportFileError(upload.filename or "file", f"larger than {limit} GB")
            out.write(chunk)
    return path


@router.post("/activities/import")
def activities_import(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Import uploaded files; one line per file or activity (a bad file stores nothing)."""
    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    if not uploads:
        return _page(request, session, status_code=422, errors=["choose at least one file"])
    options = check_options(
        ImportOptions(on_duplicate="replace" if form.get("replace") == "on" else "mark")
    )
    lines: list[str] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="retrowalk-activity-") as folder:
        for index, upload in enumerate(uploads):
            name = Path(upload.filename or f"file-{index}").name
            try:
                path = _save_upload(upload, Path(folder), index)
                with session.begin_nested():
                    results = import_file(session, path, display_name=name, options=options)
                lines += [r.message for r in results]
            except ImportFileError as exc:
                errors.append(f"{name}: {exc.problem}")
            except InvalidInputError as exc:
                errors.append(f"{name}: nothing stored: {exc}")
            finally:
                shutil.rmtree(Path(folder) / f"upload-{index}", ignore_errors=True)
    status = 200 if lines or not errors else 422
    return _page(request, session, status_code=status, results=lines, errors=errors)


@router.post("/activities/{log_id}/laps")
def activities_lap(
    request: Request, log_id: str, form: CheckedForm, session: SessionDep
) -> Response:
    """Set one lap's direction."""
    try:
        number = int(str(form.get("lap", "")))
    except ValueError:
        return _page(request, session, status_code=422, errors=["lap: a lap number"])
    try:
        with session.begin_nested():
            set_lap_directions(session, log_id, {number: str(form.get("direction", ""))})
    except (InvalidInputError, NotFoundError) as exc:
        return _page(request, session, status_code=422, errors=[str(exc)])
    return see_other(f"/activities#log-{log_id[:8]}")


@router.get("/activities/workout/{planned_id}.fit")
def activities_workout(planned_id: str, session: SessionDep) -> Response:
    """A planned session as a FIT workout file."""
    try:
        name, data = workout_file(session, planned_id=planned_id)
    except (InvalidInputError, NotFoundError) as exc:
        return Response(str(exc), status_code=404, media_type="text/plain")
    return Response(
        data,
        media_type="application/vnd.ant.fit",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/activities/calendar")
def activities_calendar(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Store the sessions' time of day and the reminder."""
    remind_text = str(form.get("remind", "")).strip()
    try:
        at = parse_time_of_day(str(form.get("at", "")))
        if remind_text and not remind_text.isdigit():
            raise InvalidInputError("remind", remind_text, "whole minutes, or empty for none")
        save_calendar_settings(
            session, at=at, remind_before_min=int(remind_text) if remind_text else None
        )
    except InvalidInputError as exc:
        return _page(request, session, status_code=422, errors=[str(exc)])
    return _page(request, session, calendar_saved=True)


@router.post("/activities/calendar/link")
def activities_calendar_link(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Make a new private feed address (shown once; the old one stops working)."""
    token = new_calendar_token(session)
    url = str(request.base_url).rstrip("/") + f"/calendar/{token}.ics"
    return _page(request, session, feed_url=url)


@router.get("/calendar/{token}.ics")
def calendar_feed(token: str, session: SessionDep) -> Response:
    """The plan's private iCalendar feed."""
    try:
        data = calendar_by_token(session, token)
    except NotFoundError:
        return Response("no calendar at this address", status_code=404, media_type="text/plain")
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
