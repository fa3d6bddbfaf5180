"""Turning API bodies and page forms into the log service's inputs."""

from __future__ import annotations

from collections.abc import Sequence

from retrowalk.services.logs import LogInput, RatingsInput, SegmentInput
from retrowalk.web.schemas import LogCreate, RatingsCreate, SegmentCreate


def segment_inputs(segments: Sequence[SegmentCreate]) -> tuple[SegmentInput, ...]:
    """API segments as service inputs."""
    return tuple(SegmentInput.of(s) for s in segments)


def ratings_input(ratings: RatingsCreate | None) -> RatingsInput | None:
    """API ratings as a service input."""
    return None if ratings is None else RatingsInput(**ratings.model_dump())


def log_input(body: LogCreate) -> LogInput:
    """An API log as a service input."""
    return LogInput(
        started_at=body.started_at,
        segments=segment_inputs(body.segments),
        ratings=ratings_input(body.ratings),
        source=body.source,
        status=body.status,
        stop_reason=body.stop_reason,
        planned_session_id=body.planned_session_id,
        notes=body.notes,
        duration_s=body.duration_s,
    )
