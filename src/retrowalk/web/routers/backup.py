"""Everything RetroWalk stores, as a file: ``/api/export``, ``/api/import`` and the Settings
page's export and import (the backup service runs its own transactions on the database)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile as FormFile

from retrowalk.errors import ImportFileError, InvalidInputError, NotEmptyError
from retrowalk.services.backup import export_to, import_from
from retrowalk.timeutil import utcnow
from retrowalk.web.deps import DatabaseDep, WriteSlot, unit_of_work
from retrowalk.web.html import CheckedForm, render
from retrowalk.web.preferences import load_preferences
from retrowalk.web.schemas import ERROR_RESPONSES, ImportPublic, MessageBody

router = APIRouter(prefix="/api", tags=["backup"])
pages = APIRouter(prefix="/settings", include_in_schema=False)

#: Largest import accepted through the web (a years-long log is a few MB).
MAX_IMPORT_BYTES = 50 * 1024 * 1024
_MEDIA = {"json": "application/json", "csv": "application/zip"}
ExportFormat = Literal["json", "csv"]


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
    response_model=ImportPublic,
    responses={**ERROR_RESPONSES, 409: {"model": MessageBody, "description": "Database not empty"}},
)
def import_file(
    db: DatabaseDep,
    _slot: WriteSlot,
    file: Annotated[UploadFile, File(description="A file written by RetroWalk's export.")],
    merge: bool = False,
) -> ImportPublic:
    """Restore an export into an empty database, or merge it (``merge=true``)."""
    content = file.file.read(MAX_IMPORT_BYTES + 1)
    if len(content) > MAX_IMPORT_BYTES:
        raise InvalidInputError("file", f"{len(content)} bytes", "a file of at most 50 MB")
    return _import(db, content, merge=merge)


@pages.get("/export")
def settings_export(db: DatabaseDep, format: str = "json") -> Response:
    """Download everything (same as ``/api/export``)."""
    return _export(db, "csv" if format == "csv" else "json")


@pages.post("/import")
def settings_import(
    request: Request, form: CheckedForm, db: DatabaseDep, _slot: WriteSlot
) -> HTMLResponse:
    """Restore or merge an export."""
    with unit_of_work(db, write=False) as session:
        prefs = load_preferences(session).to_dict()
    upload = form.get("file")
    if not isinstance(upload, FormFile):
        error = {"field": "file", "message": "choose a file", "accepted": "a RetroWalk export"}
        return render(request, "settings.html", status_code=422, prefs=prefs, error=error)
    try:
        summary = _import(db, upload.file.read(), merge=form.get("merge") == "on")
    except ImportFileError as exc:
        error = {"field": "file", "message": exc.problem, "accepted": "a RetroWalk export"}
        return render(request, "settings.html", status_code=422, prefs=prefs, error=error)
    except NotEmptyError as exc:
        error = {"field": "merge", "message": str(exc), "accepted": "tick 'merge'"}
        return render(request, "settings.html", status_code=409, prefs=prefs, error=error)
    return render(request, "settings.html", prefs=prefs, imported=summary.model_dump())
