"""Display preferences and backups: ``/api/settings``, ``/api/export``, ``/api/import`` and the
Settings page (the backup service runs its own transactions on the database)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile as FormFile

from retrowalk.errors import ImportFileError, InvalidInputError, NotEmptyError
from retrowalk.services.backup import export_to, import_from
from retrowalk.services.bounds import IMPORT_MAX_BYTES
from retrowalk.timeutil import utcnow
from retrowalk.web.deps import DatabaseDep, SessionDep, WriteSlot, unit_of_work
from retrowalk.web.forms import text
from retrowalk.web.html import CheckedForm, problem, render
from retrowalk.web.preferences import load_preferences, save_preferences
from retrowalk.web.schemas import (
    ERROR_RESPONSES,
    EXPORT_FILE_FORMAT,
    ImportPublic,
    MessageBody,
    PreferencesPublic,
    PreferencesUpdate,
)

router = APIRouter(prefix="/api")
pages = APIRouter(include_in_schema=False)

_MEDIA = {"json": "application/json", "csv": "application/zip"}
ExportFormat = Literal["json", "csv"]


@router.get("/settings", tags=["settings"], response_model=PreferencesPublic)
def read_settings(session: SessionDep) -> dict[str, Any]:
    """The display preferences."""
    return load_preferences(session).to_dict()


@router.put(
    "/settings", tags=["settings"], response_model=PreferencesPublic, responses=ERROR_RESPONSES
)
def update_settings(session: SessionDep, body: PreferencesUpdate) -> dict[str, Any]:
    """Store the display preferences."""
    return save_preferences(session, units=body.units, voice=body.voice).to_dict()


@pages.get("/settings")
def settings_page(request: Request, session: SessionDep) -> HTMLResponse:
    """Units, voice, export and import."""
    return render(request, "settings.html", prefs=load_preferences(session).to_dict())


@pages.post("/settings")
def settings_post(request: Request, form: CheckedForm, session: SessionDep) -> HTMLResponse:
    """Store units and voice."""
    try:
        prefs = save_preferences(
            session, units=text(form, "units"), voice=form.get("voice") == "on"
        )
    except InvalidInputError as exc:
        current = load_preferences(session).to_dict()
        return render(
            request, "settings.html", status_code=422, prefs=current, error=problem(exc, form)
        )
    return render(request, "settings.html", prefs=prefs.to_dict(), saved=True)


def _export(db: DatabaseDep, fmt: ExportFormat) -> Response:
    """The export file as a download."""
    with tempfile.TemporaryDirectory(prefix="retrowalk-export-") as folder:
        path = Path(folder) / "export"
        export_to(db, path, fmt)
        content = path.read_bytes()
    name = f"retrowalk-{utcnow():%Y%m%d-%H%M%S}.{'json' if fmt == 'json' else 'zip'}"
    return Response(
        content,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _import(db: DatabaseDep, content: bytes, *, merge: bool) -> ImportPublic:
    """Import an uploaded export (checked in full before anything is written)."""
    with tempfile.TemporaryDirectory(prefix="retrowalk-import-") as folder:
        path = Path(folder) / "upload"
        path.write_bytes(content)
        summary = import_from(db, path, merge=merge)
    return ImportPublic(inserted=summary.inserted, skipped=summary.skipped)


@router.get(
    "/export",
    tags=["backup"],
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "application/zip": {}}}},
)
def export_file(
    db: DatabaseDep, fmt: Annotated[ExportFormat, Query(alias="format")] = "json"
) -> Response:
    """Download everything as JSON, or as a zip of CSV files."""
    return _export(db, fmt)


@router.post(
    "/import",
    tags=["backup"],
    response_model=ImportPublic,
    responses={**ERROR_RESPONSES, 409: {"model": MessageBody, "description": "Database not empty"}},
)
def import_file(
    db: DatabaseDep,
    _slot: WriteSlot,
    file: Annotated[
        UploadFile,
        File(
            description="A file written by RetroWalk's export (JSON or zip of CSV files); "
            "another file answers 422.",
            json_schema_extra={"format": EXPORT_FILE_FORMAT},
        ),
    ],
    merge: bool = False,
) -> ImportPublic:
    """Restore an export into an empty database, or merge it (``merge=true``)."""
    content = file.file.read(IMPORT_MAX_BYTES + 1)
    if len(content) > IMPORT_MAX_BYTES:
        accepted = f"a file of at most {IMPORT_MAX_BYTES // 2**20} MB"
        raise InvalidInputError("file", f"{len(content)} bytes", accepted)
    return _import(db, content, merge=merge)


@pages.get("/settings/export")
def settings_export(db: DatabaseDep, format: str = "json") -> Response:
    """Download everything (same as ``/api/export``)."""
    return _export(db, "csv" if format == "csv" else "json")


@pages.post("/settings/import")
def settings_import(
    request: Request, form: CheckedForm, db: DatabaseDep, _slot: WriteSlot
) -> HTMLResponse:
    """Restore or merge an export."""
    with unit_of_work(db, write=False) as session:
        prefs = load_preferences(session).to_dict()
    upload = form.get("file")
    accepted = "a RetroWalk export"
    if not isinstance(upload, FormFile):
        status, error = 422, {"field": "file", "message": "choose a file", "accepted": accepted}
        return render(request, "settings.html", status_code=status, prefs=prefs, error=error)
    try:
        summary = _import(db, upload.file.read(), merge=form.get("merge") == "on")
    except ImportFileError as exc:
        status, error = 422, {"field": "file", "message": exc.problem, "accepted": accepted}
    except NotEmptyError as exc:
        status, error = 409, {"field": "merge", "message": str(exc), "accepted": "tick 'merge'"}
    else:
        return render(request, "settings.html", prefs=prefs, imported=summary.model_dump())
    return render(request, "settings.html", status_code=status, prefs=prefs, error=error)
