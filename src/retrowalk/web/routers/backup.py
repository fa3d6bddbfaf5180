"""``/api/export`` and ``/api/import``: everything RetroWalk stores, as a file."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import Response

from retrowalk.errors import InvalidInputError
from retrowalk.services.backup import export_to, import_from
from retrowalk.services.bounds import IMPORT_MAX_BYTES
from retrowalk.timeutil import utcnow
from retrowalk.web.deps import DatabaseDep, WriteSlot
from retrowalk.web.schemas import ERROR_RESPONSES, ImportPublic, MessageBody

router = APIRouter(prefix="/api", tags=["backup"])

_MEDIA = {"json": "application/json", "csv": "application/zip"}


def export_bytes(db: DatabaseDep, fmt: Literal["json", "csv"]) -> tuple[bytes, str]:
    """The export file's content and its download name."""
    with tempfile.TemporaryDirectory(prefix="retrowalk-export-") as folder:
        path = Path(folder) / "export"
        export_to(db, path, fmt)
        content = path.read_bytes()
    suffix = "json" if fmt == "json" else "zip"
    return content, f"retrowalk-{utcnow():%Y%m%d-%H%M%S}.{suffix}"


def import_bytes(db: DatabaseDep, content: bytes, *, merge: bool) -> ImportPublic:
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
    db: DatabaseDep, fmt: Annotated[Literal["json", "csv"], Query(alias="format")] = "json"
) -> Response:
    """Download everything as JSON, or as a zip of CSV files."""
    content, name = export_bytes(db, fmt)
    return Response(
        content,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


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
    content = file.file.read(IMPORT_MAX_BYTES + 1)
    if len(content) > IMPORT_MAX_BYTES:
        accepted = f"a file of at most {IMPORT_MAX_BYTES // 2**20} MB"
        raise InvalidInputError("file", f"{len(content)} bytes", accepted)
    return import_bytes(db, content, merge=merge)
