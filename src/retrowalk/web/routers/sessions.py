"""``/api/logs`` (walked sessions) and ``/api/guided`` (sessions played in the browser)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from retrowalk.services.guided import (
    GuidedSession,
    abandon_guided,
    checkpoint,
    find_unfinished,
    finish_guided,
    log_partial,
    start_guided,
)
from retrowalk.services.logs import UNSET, add_log, delete_log, edit_log, get_log, list_logs
from retrowalk.sessions import RunSnapshot
from retrowalk.web.deps import SessionDep, TransactionDep
from retrowalk.web.logforms import log_input, ratings_input, segment_inputs
from retrowalk.web.preferences import load_preferences
from retrowalk.web.routers.treadmill import belt_speeds_for
from retrowalk.web.schemas import (
    ERROR_RESPONSES,
    NOT_FOUND,
    CheckpointCreate,
    CheckpointPublic,
    GuidedCreate,
    GuidedFinish,
    GuidedPartial,
    LogCreate,
    LogUpdate,
    MessageBody,
)
from retrowalk.web.views import local_today

router = APIRouter(tags=["sessions"])


@router.get("/api/logs")
def read_logs(
    session: SessionDep, limit: Annotated[int, Query(ge=1, le=1000)] = 100
) -> list[dict[str, Any]]:
    """Walked sessions, newest first."""
    return [log.to_dict() for log in list_logs(session, limit=limit)]


@router.post("/api/logs", status_code=201, responses=ERROR_RESPONSES)
async def create_log(db: TransactionDep, body: LogCreate) -> dict[str, Any]:
    """Log a walked session; the energy is estimated and the plan adapts to it."""
    data = log_input(body)
    return await db.write(lambda session: add_log(session, data).to_dict())


@router.get("/api/logs/{log_id}", responses=NOT_FOUND)
def read_log(session: SessionDep, log_id: str) -> dict[str, Any]:
    """One log, by id or unique id prefix."""
    return get_log(session, log_id).to_dict()


@router.patch("/api/logs/{log_id}", responses={**ERROR_RESPONSES, **NOT_FOUND})
def update_log(session: SessionDep, log_id: str, body: LogUpdate) -> dict[str, Any]:
    """Change a log; fields not sent stay as they are."""
    sent = body.model_fields_set
    view = edit_log(
        session,
        log_id,
        ratings=ratings_input(body.ratings) if "ratings" in sent else UNSET,
        notes=body.notes if "notes" in sent and body.notes is not None else UNSET,
        segments=segment_inputs(body.segments)
        if "segments" in sent and body.segments is not None
        else UNSET,
        started_at=body.started_at
        if "started_at" in sent and body.started_at is not None
        else UNSET,
        duration_s=body.duration_s if "duration_s" in sent else UNSET,
        status=body.status if "status" in sent and body.status is not None else UNSET,
        stop_reason=body.stop_reason if "stop_reason" in sent else UNSET,
    )
    return view.to_dict()


@router.delete("/api/logs/{log_id}", status_code=204, responses=NOT_FOUND)
def remove_log(session: SessionDep, log_id: str) -> Response:
    """Delete a log with its segments and ratings."""
    delete_log(session, log_id)
    return Response(status_code=204)


# ------------------------------------------------------------------------------------ guided
_IN_PROGRESS: dict[int | str, dict[str, Any]] = {
    409: {"model": MessageBody, "description": "Plan stopped or a session in progress"}
}


def _guided_view(guided: GuidedSession) -> dict[str, Any]:
    return {"timeline_id": guided.timeline.fingerprint(), **guided.to_dict()}


@router.post("/api/guided", status_code=201, responses={**ERROR_RESPONSES, **_IN_PROGRESS})
def create_guided(session: SessionDep, body: GuidedCreate) -> dict[str, Any]:
    """Start a guided session: its schedule is stored as a session in progress."""
    guided = start_guided(
        session,
        planned_session_id=body.planned_session_id,
        quick_spec=body.quick_spec,
        units=load_preferences(session).units,
        environment=body.environment,
        support=body.support,
        on=local_today(),
    )
    return _guided_view(guided)


@router.get("/api/guided/unfinished")
def read_unfinished(session: SessionDep) -> dict[str, Any]:
    """The session still in progress (``{"session": null}`` when there is none)."""
    guided = find_unfinished(session)
    return {"session": None if guided is None else _guided_view(guided)}


@router.post(
    "/api/guided/{log_id}/checkpoint",
    response_model=CheckpointPublic,
    responses={**ERROR_RESPONSES, **NOT_FOUND},
)
def store_checkpoint(session: SessionDep, log_id: str, body: CheckpointCreate) -> dict[str, Any]:
    """Store the player's state (every few seconds while it runs)."""
    return {"checkpoint_at": checkpoint(session, log_id, RunSnapshot.from_dict(body.snapshot))}


@router.post("/api/guided/{log_id}/finish", responses={**ERROR_RESPONSES, **NOT_FOUND})
def finish(
    request: Request, session: SessionDep, log_id: str, body: GuidedFinish
) -> dict[str, Any]:
    """Log the session with the segments actually walked and the walker's ratings (on a
    treadmill driven by the server: the belt speeds it measured)."""
    snapshot = RunSnapshot.from_dict(body.snapshot)
    view = finish_guided(
        session,
        log_id,
        snapshot,
        ratings_input(body.ratings),
        notes=body.notes,
        belt_speeds_m_s=belt_speeds_for(request, log_id),
    )
    return view.to_dict()


@router.post("/api/guided/{log_id}/log-partial", responses={**ERROR_RESPONSES, **NOT_FOUND})
def log_part_done(session: SessionDep, log_id: str, body: GuidedPartial) -> dict[str, Any]:
    """Log the part done up to the last checkpoint (after a crash or a lost phone)."""
    return log_partial(session, log_id, ratings_input(body.ratings), notes=body.notes).to_dict()


@router.post("/api/guided/{log_id}/abandon", status_code=204, responses=NOT_FOUND)
def abandon(session: SessionDep, log_id: str) -> Response:
    """Keep the session for the record but do not count it."""
    abandon_guided(session, log_id)
    return Response(status_code=204)
