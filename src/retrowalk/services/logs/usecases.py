"""Session log use cases: validate a walked session, cost it, store it and feed the plan.

The CLI (``retrowalk log ...``, the guided player) and the web app call only these functions.
Every function takes an open SQLAlchemy session (a unit of work from
:meth:`retrowalk.services.database.Database.transaction`) and stores nothing unless all the input
is valid: validation runs before the first write.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrowalk.errors import (
    InvalidInputError,
    NotFoundError,
    StateConflictError,
    UnknownReferenceError,
)
from retrowalk.plans import adapt
from retrowalk.services.logs.duplicates import clear_marks_to, mark_if_duplicate
from retrowalk.services.logs.inputs import (
    UNSET,
    LogInput,
    RatingsInput,
    SegmentInput,
    Unset,
    check_log_input,
)
from retrowalk.services.logs.repository import check_duplicate, get_row, write
from retrowalk.services.logs.views import LogView, log_view, ratings_of
from retrowalk.services.plans import (
    PlanRevision,
    current_plan_row,
    outcome_for_log,
    plan_of,
    record_outcome,
    revise_plan,
)
from retrowalk.services.readiness import current_profile
from retrowalk.sessions import StopReason
from retrowalk.store import models
from retrowalk.vocabulary import WALKED_STATUSES, LogStatus

#: The fields of the rule "segments fit in the session's length" (``check_log_input``).
_LENGTH_FIELD = re.compile(r"duration_s|segments|segments\[\d+\]\.duration_s")


def _validated(session: Session, data: LogInput) -> LogInput:
    checked = check_log_input(data)
    if checked.planned_session_id is not None:
        planned = session.get(models.PlannedSession, checked.planned_session_id)
        if planned is None:
            raise UnknownReferenceError(
                "planned_session_id", checked.planned_session_id, "the id of a planned session"
            )
    return checked


def add_log(session: Session, data: LogInput, *, in_progress_id: str | None = None) -> LogView:
    """Validate, cost and store a walked session, then let the plan adapt to it.

    Parameters
    ----------
    session
        An open unit of work.
    data
        The session (see :class:`LogInput`).
    in_progress_id
        The id of an in-progress guided log to turn into this log (used by
        :mod:`retrowalk.services.guided`); ``None`` stores a new log.

    Returns
    -------
    LogView
        The stored log, with energy per segment and in all (a range, or the reason there is
        none: no stored profile, or a segment without a speed) and the plan change (action and
        reason) made after it, if there is an active plan.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        For any invalid field (nothing is stored), or ``started_at`` when a session at that time
        is already logged; :class:`~retrowalk.errors.UnknownReferenceError` (a subclass) for a
        ``planned_session_id`` no planned session has.
    retrowalk.errors.NotFoundError
        When ``in_progress_id`` is not an in-progress log.
    """
    checked = _validated(session, data)
    profile = current_profile(session)
    if in_progress_id is not None:
        row = session.get(models.SessionLog, in_progress_id)
        if row is None or row.status != "in_progress":
            raise NotFoundError(f"no session in progress with id {in_progress_id}")
        profile_id = row.profile_id
    else:
        profile_id = None if profile is None else profile.id
        # Empty collections: the new row has no children to load or replace.
        row = models.SessionLog(
            id=models.new_id(),  # known before the flush: the plan change refers to it
            profile_id=profile_id,
            started_at=checked.started_at,
            segments=[],
            symptoms=[],
        )
    check_duplicate(session, profile_id, checked.started_at, in_progress_id)
    # Nothing read below depends on this log's own rows before they are written, so they are
    # flushed once at the end rather than before every query.
    with session.no_autoflush:
        write(session, row, checked, profile, new=in_progress_id is None)
        change = record_outcome(session, row)
    session.flush()
    # The same walk logged before (imported and also played, in either order): kept, but left
    # out of progress until the walker chooses (retrowalk.services.duplicates).
    mark_if_duplicate(session, row)
    return log_view(session, row, change)


def _merge_input(row: models.SessionLog) -> LogInput:
    """The stored log as a :class:`LogInput` (for edits)."""
    report = row.symptoms[-1] if row.symptoms else None
    ratings = None
    if report is not None:
        ratings = ratings_of(report)
    return LogInput(
        started_at=row.started_at,
        segments=tuple(SegmentInput.of(s) for s in row.segments),
        ratings=ratings,
        source=row.source,
        status=row.status,
        stop_reason=row.stop_reason,
        planned_session_id=row.planned_session_id,
        notes=row.notes,
        ended_at=row.ended_at,
    )


def edit_log(
    session: Session,
    log_id: str,
    *,
    ratings: RatingsInput | Unset | None = UNSET,
    notes: str | Unset = UNSET,
    segments: Sequence[SegmentInput] | Unset = UNSET,
    started_at: datetime | Unset = UNSET,
    duration_s: float | Unset | None = UNSET,
    status: LogStatus | str | Unset = UNSET,
    stop_reason: StopReason | str | Unset | None = UNSET,
) -> LogView:
    """Change a stored log; fields left :data:`UNSET` stay as they are.

    The whole log is validated again as in :func:`add_log` and its energy recomputed. When the
    current plan adapted to this log, the plan is replayed over its remaining logs as they are now
    (:func:`retrowalk.services.plans.revise_plan`) and ``plan_note`` says what changed (a red
    flag entered by mistake and removed lifts its stop). Otherwise the plan is not adapted twice,
    except for safety: when the edited log now calls for a regression or a stop, that change is
    made and stored with its reason.

    Raises
    ------
    retrowalk.errors.NotFoundError
        When no walked log has this id or prefix.
    retrowalk.errors.StateConflictError
        For a stop reason on a log that is not stopped (without ``status`` stopped), or a
        length or segments that do not fit the stored segments or length.
    retrowalk.errors.InvalidInputError
        As :func:`add_log`; nothing is changed.
    """
    row = get_row(session, log_id)
    if row.status not in WALKED_STATUSES:
        raise NotFoundError(f"log {row.id[:8]} is a session in progress: finish it first")
    data = _merge_input(row)
    changes: dict[str, Any] = {}
    for name, value in (
        ("ratings", ratings),
        ("notes", notes),
        ("started_at", started_at),
        ("duration_s", duration_s),
        ("status", status),
        ("stop_reason", stop_reason),
    ):
        if value is not UNSET:
            changes[name] = value
    if not isinstance(segments, Unset):
        changes["segments"] = tuple(segments)
    if {"segments", "started_at", "duration_s"} & changes.keys():
        changes["ended_at"] = None
    if changes.get("status") == "completed" and "stop_reason" not in changes:
        changes["stop_reason"] = None
    if (
        changes.get("stop_reason") is not None
        and "status" not in changes
        and data.status != "stopped"
    ):
        raise StateConflictError(
            "stop_reason",
            changes["stop_reason"],
            "a stop reason only for a stopped session "
            f"(this one is {data.status}: send status stopped with it)",
        )
    try:
        checked = _validated(session, dataclasses.replace(data, **changes))
    except InvalidInputError as exc:
        # The length and the segments must agree: when only one of them is sent, the other is
        # the stored one, so a disagreement is with what is stored.
        if ("duration_s" in changes) != ("segments" in changes) and _LENGTH_FIELD.fullmatch(
            exc.field
        ):
            sent = "duration_s" if "duration_s" in changes else "segments"
            raise StateConflictError(
                exc.field, exc.value, f"{exc.accepted}, with the stored log (send {sent} to fit)"
            ) from exc
        raise
    check_duplicate(session, row.profile_id, checked.started_at, row.id)
    write(session, row, checked, current_profile(session))
    if _adapted_to(session, row.id):
        revision = revise_plan(session, log_id=row.id, cause="a session was edited")
        view = log_view(session, row)
        return dataclasses.replace(view, plan_note=None if revision is None else revision.message)
    change = None
    note: str | None = (
        "The plan was adapted when this session was logged; the edit does not change it again."
    )
    plan = session.scalars(
        select(models.Plan)
        .where(models.Plan.status == "active")
        .order_by(models.Plan.created_at.desc())
    ).first()
    if plan is not None and row.profile_id is not None and row.status in WALKED_STATUSES:
        state = plan_of(plan).state
        if adapt(state, outcome_for_log(row), ()).action in ("regress", "stop"):
            change = record_outcome(session, row)
            note = None
    view = log_view(session, row)
    return dataclasses.replace(view, plan_note=note) if change is None else view


def _adapted_to(session: Session, log_id: str) -> bool:
    """Whether the current plan adapted to this log (then an edit or deletion replays it)."""
    plan = current_plan_row(session)
    if plan is None:
        return False
    linked = session.scalars(
        select(models.PlanChange.id)
        .where(models.PlanChange.plan_id == plan.id)
        .where(models.PlanChange.session_log_id == log_id)
        .limit(1)
    ).first()
    return linked is not None


def delete_log(session: Session, log_id: str) -> PlanRevision | None:
    """Delete a log (any status) with its segments and ratings, and revise the plan.

    Plan changes it caused stay in the plan's history (their link to the log is cleared). When
    the current plan had adapted to this log, the plan becomes what the remaining logs give
    (:func:`retrowalk.services.plans.revise_plan`): a stop entered by mistake is lifted, a real
    one stays. Its planned session is "planned" again unless another log walked it.

    Returns
    -------
    PlanRevision | None
        What happened to the plan (``message``: one plain sentence), or ``None`` when the plan
        never adapted to this log.

    Raises
    ------
    retrowalk.errors.NotFoundError
        When no log has this id or prefix.
    """
    row = get_row(session, log_id)
    adapted = _adapted_to(session, row.id)
    planned_id = row.planned_session_id
    clear_marks_to(session, row.id)  # a repeat of this walk counts again
    session.delete(row)
    session.flush()
    if planned_id is not None:
        others = session.scalars(
            select(models.SessionLog.id)
            .where(models.SessionLog.planned_session_id == planned_id)
            .where(models.SessionLog.status.in_(WALKED_STATUSES))
            .limit(1)
        ).first()
        planned = session.get(models.PlannedSession, planned_id)
        if others is None and planned is not None and planned.status == "done":
            planned.status = "planned"
            session.flush()
    return revise_plan(session, cause="a session was deleted") if adapted else None


def get_log(session: Session, id_or_prefix: str) -> LogView:
    """One log by id or unique id prefix (at least :data:`ID_PREFIX_MIN_CHARS` characters).

    Raises
    ------
    retrowalk.errors.NotFoundError
        When the prefix is too short, matches nothing or matches more than one log.
    """
    return log_view(session, get_row(session, id_or_prefix))


def list_logs(
    session: Session, *, limit: int | None = None, include_unfinished: bool = False
) -> list[LogView]:
    """Walked sessions, newest first.

    Parameters
    ----------
    limit
        At most this many (``None``: all).
    include_unfinished
        Also list sessions in progress and abandoned ones.
    """
    query = select(models.SessionLog).order_by(models.SessionLog.started_at.desc())
    if not include_unfinished:
        query = query.where(models.SessionLog.status.in_(WALKED_STATUSES))
    if limit is not None:
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidInputError("limit", limit, "a whole number of at least 1")
        query = query.limit(limit)
    return [log_view(session, row) for row in session.scalars(query)]
