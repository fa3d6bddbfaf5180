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
from typing import Annotated, Any, Final

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from retrowalk.errors import ImportFileError, InvalidInputError, NotFoundError
from retrowalk.services.activities import (
    ImportOptions,
    check_options,
    get_imported,
    import_file,
    set_lap_directions,
)
from retrowalk.services.database import Database
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
from retrowalk.web.deps import DatabaseDep, page_write, unit_of_work, write_lock
from retrowalk.web.guard import require_csrf_form

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(Path(__file__).resolve().parents[1] / "templates"))
CsrfChecked = Annotated[None, Depends(require_csrf_form)]

#: Largest file accepted through the web (an Apple Health export of several years).
MAX_UPLOAD_BYTES: Final = 4 * 1024**3
#: Imported walks shown on the page.
RECENT_IMPORTS: Final = 5
_COPY_CHUNK_BYTES: Final = 1 << 20


def _page(request: Request, db: Database, *, status_code: int = 200, **extra: Any) -> HTMLResponse:
    with db.factory() as session:
        rows = list(
            session.query(models.ActivityImport)
            .order_by(models.ActivityImport.imported_at.desc())
            .limit(RECENT_IMPORTS)
        )
        imports = [get_imported(session, row.session_log_id).to_dict() for row in rows]
        stored = current_plan(session)
        settings = calendar_settings(session)
    workouts = []
    if stored is not None:
        workouts = [
            {"id": sid, "on": s.scheduled_on.isoformat(), "title": s.title}
            for sid, s in zip(stored.session_ids, stored.plan.sessions, strict=True)
        ]
    context = {
        "csrf_token": request.state.csrf_token,
        "lan": request.app.state.lan,
        "active": "activities",
        "imports": imports,
        "workouts": workouts,
        "calendar": {
            "at": settings.at.strftime("%H:%M"),
            "remind": settings.remind_before_min,
        },
        **extra,
    }
    return templates.TemplateResponse(request, "activities.html", context, status_code=status_code)


@router.get("/activities")
def activities_page(request: Request, db: DatabaseDep) -> HTMLResponse:
    """Upload form, recent imports, workouts and calendar."""
    return _page(request, db)


def _save_upload(upload: UploadFile, folder: Path, index: int) -> Path:
    path = folder / f"upload-{index}"
    with path.open("wb") as out:
        copied = 0
        while chunk := upload.file.read(_COPY_CHUNK_BYTES):
            copied += len(chunk)
            if copied > MAX_UPLOAD_BYTES:
                raise ImportFileError(upload.filename or "file", "larger than 4 GB: not imported")
            out.write(chunk)
    return path


def _import_saved(db: Database, path: Path, name: str, options: ImportOptions) -> list[str]:
    with unit_of_work(db, write=True) as session:
        return [r.message for r in import_file(session, path, display_name=name, options=options)]


@router.post("/activities/import")
async def activities_import(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Import uploaded files; one line per file or activity."""
    form = await request.form()
    uploads = [u for u in form.getlist("files") if isinstance(u, UploadFile) and u.filename]
    if not uploads:
        return _page(request, db, status_code=422, errors=["choose at least one file"])
    options = check_options(
        ImportOptions(on_duplicate="replace" if form.get("replace") == "on" else "keep_existing")
    )
    lines: list[str] = []
    errors: list[str] = []
    with tempfile.TemporaryDirectory(prefix="retrowalk-activity-") as folder:
        for index, upload in enumerate(uploads):
            name = Path(upload.filename or f"file-{index}").name
            try:
                path = await run_in_threadpool(_save_upload, upload, Path(folder), index)
                async with write_lock(request):
                    lines += await run_in_threadpool(_import_saved, db, path, name, options)
            except ImportFileError as exc:
                errors.append(f"{name}: {exc.problem}")
            except InvalidInputError as exc:
                errors.append(f"{name}: nothing stored: {exc}")
            finally:
                shutil.rmtree(Path(folder) / f"upload-{index}", ignore_errors=True)
    status = 200 if lines or not errors else 422
    return _page(request, db, status_code=status, results=lines, errors=errors)


@router.post("/activities/{log_id}/laps")
async def activities_lap(
    request: Request, log_id: str, db: DatabaseDep, _: CsrfChecked
) -> Response:
    """Set one lap's direction."""
    form = await request.form()
    try:
        number = int(str(form.get("lap", "")))
    except ValueError:
        return _page(request, db, status_code=422, errors=["lap: a lap number"])
    try:
        async with page_write(request) as session:
            set_lap_directions(session, log_id, {number: str(form.get("direction", ""))})
    except (InvalidInputError, NotFoundError) as exc:
        return _page(request, db, status_code=422, errors=[str(exc)])
    return RedirectResponse(f"/activities#log-{log_id[:8]}", status_code=303)


@router.get("/activities/workout/{planned_id}.fit")
def activities_workout(planned_id: str, db: DatabaseDep) -> Response:
    """A planned session as a FIT workout file."""
    with db.factory() as session:
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
async def activities_calendar(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Store the sessions' time of day and the reminder."""
    form = await request.form()
    remind_text = str(form.get("remind", "")).strip()
    try:
        at = parse_time_of_day(str(form.get("at", "")))
        if remind_text and not remind_text.isdigit():
            raise InvalidInputError("remind", remind_text, "whole minutes, or empty for none")
        async with page_write(request) as session:
            save_calendar_settings(
                session, at=at, remind_before_min=int(remind_text) if remind_text else None
            )
    except InvalidInputError as exc:
        return _page(request, db, status_code=422, errors=[str(exc)])
    return _page(request, db, calendar_saved=True)


@router.post("/activities/calendar/link")
async def activities_calendar_link(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Make a new private feed address (shown once; the old one stops working)."""
    async with page_write(request) as session:
        token = new_calendar_token(session)
    url = str(request.base_url).rstrip("/") + f"/calendar/{token}.ics"
    return _page(request, db, feed_url=url)


@router.get("/calendar/{token}.ics")
def calendar_feed(token: str, db: DatabaseDep) -> Response:
    """The plan's private iCalendar feed."""
    with db.factory() as session:
        try:
            data = calendar_by_token(session, token)
        except NotFoundError:
            return Response("no calendar at this address", status_code=404, media_type="text/plain")
    return Response(
        data,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer"},
    )
