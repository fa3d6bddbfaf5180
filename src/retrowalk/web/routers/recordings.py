"""``/api/logs/{log_id}/recording``: the browser player's motion recording, uploaded in
resumable chunks, and its removal (the session stays).

The player keeps every sample in IndexedDB until the upload is complete, so chunks are staged in
memory here: after a lost connection or a server restart the player asks which chunks arrived
(``GET …/chunks``) and sends the others again. ``POST …/complete`` joins them, checks them
(order, motion, length, time range: :mod:`retrowalk.services.recordings`) and stores the
recording with its analysis; a refusal leaves the session as it was.

The log's page (``/log/{id}/edit``) also takes a file from a phone sensor-logging app (Sensor
Logger, phyphox, a generic CSV: :mod:`retrowalk.motion.readers`): ``POST /log/{id}/recording``
spools it to a private temporary folder and attaches it through the same service as
``retrowalk log attach`` (aligned by the file's clock, or a start time given); a bad file gets
one line and the session is kept. ``POST /log/{id}/recording/delete`` removes the recording.
"""

from __future__ import annotations

import math
import re
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Final

import numpy as np
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response
from pydantic import AfterValidator, BaseModel, Field
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from retrowalk.errors import ImportFileError, InvalidInputError, NotFoundError
from retrowalk.motion.readers import FORMATS
from retrowalk.motion.recording import Recording
from retrowalk.progress.steadiness import session_steadiness
from retrowalk.services.bounds import RECORDING_UPLOAD_MAX_BYTES
from retrowalk.services.logs.repository import get_row
from retrowalk.services.recordings import (
    attach_file,
    attach_recording,
    check_samples,
    delete_recording,
    direction_sentence,
    get_recording,
)
from retrowalk.web.deps import SessionDep
from retrowalk.web.forms import local_datetime, text
from retrowalk.web.html import CheckedForm, act, see_other
from retrowalk.web.schemas import ERROR_RESPONSES, NOT_FOUND

router = APIRouter(tags=["recordings"])
pages = APIRouter(prefix="/log", include_in_schema=False)

#: Formats offered on the log's page (the data-set formats are for the CLI and benchmarks).
PAGE_FORMATS: Final = ("auto", "sensorlogger", "phyphox", "csv")
_COPY_CHUNK_BYTES: Final = 1 << 20

#: Most samples in one chunk: one minute at 200 Hz.
CHUNK_SAMPLES_MAX = 12_000
#: Most chunks in one recording: 24 h of one-minute chunks.
CHUNKS_MAX = 1_440
#: Recordings staged at once (uploads in progress); the oldest is dropped beyond this.
STAGED_MAX = 4


def _finite(values: list[float]) -> list[float]:
    if not all(math.isfinite(v) for v in values):
        raise ValueError("must be finite numbers")
    return values


Triple = Annotated[list[float], Field(min_length=3, max_length=3), AfterValidator(_finite)]


class RecordingChunk(BaseModel):
    """Samples of one chunk: ``t_ms`` from the recording's first sample (DeviceMotion's
    ``timeStamp`` minus the first one), ``acc_m_s2`` = ``accelerationIncludingGravity``,
    ``gyr_deg_s`` = ``rotationRate`` (alpha, beta, gamma) or ``null``."""

    started_at: datetime
    t_ms: Annotated[list[float], Field(min_length=1, max_length=CHUNK_SAMPLES_MAX)]
    acc_m_s2: Annotated[list[Triple], Field(min_length=1, max_length=CHUNK_SAMPLES_MAX)]
    gyr_deg_s: Annotated[list[Triple], Field(max_length=CHUNK_SAMPLES_MAX)] | None = None


class CompleteUpload(BaseModel):
    chunks: Annotated[int, Field(ge=1, le=CHUNKS_MAX)]


def _staged(request: Request) -> dict[str, dict[int, RecordingChunk]]:
    staged: dict[str, dict[int, RecordingChunk]] = request.app.state.__dict__.setdefault(
        "recording_uploads", {}
    )
    return staged


@router.put(
    "/api/logs/{log_id}/recording/chunks/{index}",
    responses={**ERROR_RESPONSES, **NOT_FOUND},
)
def put_chunk(
    session: SessionDep, request: Request, log_id: str, index: int, body: RecordingChunk
) -> dict[str, Any]:
    """Stage one chunk (sending it again replaces it); returns the chunks received so far."""
    if not 0 <= index < CHUNKS_MAX:
        raise InvalidInputError("index", index, f"0 to {CHUNKS_MAX - 1}")
    if body.started_at.tzinfo is None:
        raise InvalidInputError("started_at", str(body.started_at), "a time with its UTC offset")
    n = len(body.t_ms)
    if len(body.acc_m_s2) != n or (body.gyr_deg_s is not None and len(body.gyr_deg_s) != n):
        raise InvalidInputError(
            "acc_m_s2", f"{len(body.acc_m_s2)} samples", f"one sample per time in t_ms ({n})"
        )
    if not all(math.isfinite(t) for t in body.t_ms):
        raise InvalidInputError("t_ms", "a number that is not finite", "finite numbers")
    log = get_row(session, log_id)
    staged = _staged(request)
    if log.id not in staged and len(staged) >= STAGED_MAX:
        staged.pop(next(iter(staged)))
    staged.setdefault(log.id, {})[index] = body
    return {"received": sorted(staged[log.id])}


@router.get("/api/logs/{log_id}/recording/chunks", responses=NOT_FOUND)
def received_chunks(session: SessionDep, request: Request, log_id: str) -> dict[str, Any]:
    """The chunks staged for this log (to resume an upload)."""
    log = get_row(session, log_id)
    return {"received": sorted(_staged(request).get(log.id, {}))}


@router.post("/api/logs/{log_id}/recording/complete", responses={**ERROR_RESPONSES, **NOT_FOUND})
def complete_upload(
    session: SessionDep, request: Request, log_id: str, body: CompleteUpload
) -> dict[str, Any]:
    """Join the chunks 0..chunks-1, check them and store the recording with its analysis."""
    log = get_row(session, log_id)
    chunks = _staged(request).get(log.id, {})
    missing = [k for k in range(body.chunks) if k not in chunks]
    if missing:
        raise HTTPException(409, f"missing chunks {missing[:20]}: send them again")
    parts = [chunks[k] for k in range(body.chunks)]
    if len({p.started_at for p in parts}) != 1:
        raise ImportFileError("upload", "the chunks come from different recordings")
    t_s = np.concatenate([np.asarray(p.t_ms, dtype=np.float64) for p in parts]) / 1000.0
    check_samples(t_s, "upload")
    acc = np.concatenate([np.asarray(p.acc_m_s2, dtype=np.float64) for p in parts])
    gyr = None
    if all(p.gyr_deg_s for p in parts):
        gyr = np.deg2rad(np.concatenate([np.asarray(p.gyr_deg_s, dtype=np.float64) for p in parts]))
    if t_s.shape[0] < 2:
        raise ImportFileError("upload", "fewer than 2 samples")
    origin = float(t_s[0])
    recording = Recording(
        time_s=t_s - origin,
        acc_m_s2=acc,
        gyr_rad_s=gyr,
        sampling_rate_hz=1.0 / float(np.median(np.diff(t_s))),
        source="browser",
    )
    started_at = parts[0].started_at + timedelta(seconds=origin)
    view = attach_recording(session, log.id, recording, started_at, source="browser")
    _staged(request).pop(log.id, None)
    return view.to_dict()


@router.get("/api/logs/{log_id}/recording", responses=NOT_FOUND)
def read_recording(session: SessionDep, log_id: str) -> dict[str, Any]:
    """The stored recording's summary and per-segment analysis."""
    view = get_recording(session, log_id)
    if view is None:
        raise NotFoundError(f"log {log_id!r} has no motion recording")
    return view.to_dict()


@router.delete("/api/logs/{log_id}/recording", responses=NOT_FOUND)
def remove_recording(session: SessionDep, log_id: str) -> dict[str, Any]:
    """Delete the recording; the session stays."""
    return {"deleted": delete_recording(session, log_id)}


# ------------------------------------------------------------------------------------ pages


def motion_context(session: Session, log_id: str) -> dict[str, Any]:
    """What the log's page shows of its recording: the summary lines, or nothing."""
    view = get_recording(session, log_id)
    if view is None:
        return {"recording": None, "formats": PAGE_FORMATS}
    analysis = view.analysis
    steady = session_steadiness(date.min, analysis)
    return {
        "recording": view.to_dict(),
        "direction": direction_sentence(analysis),
        "steadiness": None if steady is None else steady.step_regularity,
        "formats": PAGE_FORMATS,
    }


def _safe_name(name: str) -> str:
    """The upload's own name, kept only for its letters, digits and suffixes (the readers
    recognise a format by its name)."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name).name).lstrip(".")[-100:]
    return cleaned or "recording.csv"


def _spool(upload: UploadFile, folder: Path) -> Path:
    path = folder / _safe_name(upload.filename or "")
    copied = 0
    with path.open("wb") as out:
        while chunk := upload.file.read(_COPY_CHUNK_BYTES):
            copied += len(chunk)
            if copied > RECORDING_UPLOAD_MAX_BYTES:
                raise ImportFileError(
                    "file", f"larger than {RECORDING_UPLOAD_MAX_BYTES // 2**20} MB"
                )
            out.write(chunk)
    if copied == 0:
        raise ImportFileError("file", "the file is empty")
    return path


@pages.post("/{log_id}/recording")
def attach_page(request: Request, log_id: str, form: CheckedForm, session: SessionDep) -> Response:
    """Attach a sensor-logging app's file to the log; one line on a bad file, log kept."""
    from retrowalk.web.routers.logs import edit_page

    upload = form.get("file")
    fmt = text(form, "format") or "auto"
    try:
        log = get_row(session, log_id)
    except NotFoundError:
        return edit_page(request, session, log_id)
    name = upload.filename if isinstance(upload, UploadFile) and upload.filename else ""
    try:
        if not isinstance(upload, UploadFile) or not name:
            raise InvalidInputError("file", "none", "a recording file (CSV or a phone app export)")
        if fmt not in PAGE_FORMATS or fmt not in FORMATS:
            raise InvalidInputError("format", fmt, ", ".join(PAGE_FORMATS))
        started_at = local_datetime(form, "start") if text(form, "start") else None
        with tempfile.TemporaryDirectory(prefix="retrowalk-recording-") as folder:
            path = _spool(upload, Path(folder))
            with session.begin_nested():
                attach_file(session, log.id, path, fmt=fmt, started_at=started_at)
    except ImportFileError as exc:
        message = f"{Path(name).name or 'file'}: {exc.problem}. The session is kept as it was."
        return edit_page(request, session, log.id, status_code=422, motion_error=message)
    except InvalidInputError as exc:
        return edit_page(
            request,
            session,
            log.id,
            status_code=422,
            motion_error=f"{exc}. The session is kept as it was.",
        )
    return see_other(f"/log/{log.id}/edit#motion")


@pages.post("/{log_id}/recording/delete")
def delete_page(request: Request, log_id: str, _: CheckedForm, session: SessionDep) -> Response:
    """Delete the log's recording; the session stays."""
    return act(
        request,
        lambda: delete_recording(session, log_id),
        then=f"/log/{log_id}/edit#motion",
        what="log",
    )
