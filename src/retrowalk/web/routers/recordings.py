"""``/api/logs/{log_id}/recording``: the browser player's motion recording, uploaded in
resumable chunks, and its removal (the session stays).

The player keeps every sample in IndexedDB until the upload is complete, so chunks are staged in
memory here: after a lost connection or a server restart the player asks which chunks arrived
(``GET …/chunks``) and sends the others again. ``POST …/complete`` joins them, checks them
(order, motion, length, time range: :mod:`retrowalk.services.recordings`) and stores the
recording with its analysis; a refusal leaves the session as it was.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Annotated, Any

import numpy as np
from fastapi import APIRouter, HTTPException, Request
from pydantic import AfterValidator, BaseModel, Field

from retrowalk.errors import ImportFileError, InvalidInputError, NotFoundError
from retrowalk.motion.recording import Recording
from retrowalk.services.logs.repository import get_row
from retrowalk.services.recordings import (
    attach_recording,
    check_samples,
    delete_recording,
    get_recording,
)
from retrowalk.web.deps import SessionDep
from retrowalk.web.schemas import ERROR_RESPONSES, NOT_FOUND

router = APIRouter(tags=["recordings"])

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
