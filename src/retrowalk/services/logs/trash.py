"""Recoverable deletion of a session log: "Undo" restores it exactly (issue 13).

Deleting keeps the whole log in one row of ``deleted_logs``: the log row, its segments, symptom
reports, import record and motion recording exactly as stored (encoded as an export encodes them,
:mod:`retrowalk.services.backup`), the ids of the plan changes that referred to it and its planned
session's status. Then the log is deleted as :func:`~retrowalk.services.logs.delete_log` does
(the plan becomes what the remaining logs give). Restoring writes the same rows back, with the
same ids, links the plan changes again and revises the plan the same way, so the plan is again
what the logs give with this one back.

A deleted log is kept for :data:`UNDO_KEEP_DAYS` days (older ones are dropped at the next
deletion); deleted logs are not exported.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import Table

from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.services.logs.repository import check_duplicate, get_row
from retrowalk.services.logs.usecases import delete_log
from retrowalk.services.logs.views import LogView, log_view
from retrowalk.services.plans import PlanRevision, current_plan_row, revise_plan
from retrowalk.store import models
from retrowalk.timeutil import utcnow

__all__ = [
    "UNDO_KEEP_DAYS",
    "Deletion",
    "Restored",
    "delete_recoverably",
    "get_deletion",
    "restore_log",
]

#: Days a deleted log can be restored (product rule: long enough to notice a mistake).
UNDO_KEEP_DAYS: Final = 7

#: The tables that hold a log and its parts, parents first, with the column naming the log.
_PARTS: Final[tuple[tuple[type[models.Base], str], ...]] = (
    (models.SessionLog, "id"),
    (models.SessionSegment, "session_log_id"),
    (models.SymptomReport, "session_log_id"),
    (models.ActivityImport, "session_log_id"),
    (models.MotionRecording, "session_log_id"),
)


@dataclass(frozen=True)
class Deletion:
    """A deleted log that can be restored.

    Attributes
    ----------
    id
        The deletion's id (what "Undo" names).
    log_id, started_at, source, status, duration_s, backward_s
        The deleted log (times aware UTC, durations in s).
    deleted_at
        When it was deleted.
    plan_message
        What the deletion did to the plan, in one plain sentence, or ``None``.
    """

    id: str
    log_id: str
    started_at: datetime
    source: str
    status: str
    duration_s: float
    backward_s: float
    deleted_at: datetime
    plan_message: str | None

    @classmethod
    def of(cls, row: models.DeletedLog) -> Deletion:
        """The deletion stored in ``row``."""
        return cls(
            id=row.id,
            log_id=row.session_log_id,
            started_at=row.started_at,
            source=row.source,
            status=row.status,
            duration_s=row.duration_s,
            backward_s=row.backward_s,
            deleted_at=row.deleted_at,
            plan_message=row.plan_message,
        )


def _table(model: type[models.Base]) -> Table:
    table = model.__table__
    assert isinstance(table, Table)
    return table


def _snapshot(session: Session, row: models.SessionLog) -> dict[str, Any]:
    """Every stored row of the log, encoded, with what refers to it."""
    from retrowalk.services.backup import _encode  # one encoding for exports and deletions

    tables: dict[str, list[dict[str, Any]]] = {}
    for model, key in _PARTS:
        table = _table(model)
        found = session.execute(select(table).where(table.c[key] == row.id)).mappings().all()
        tables[table.name] = [
            {column.name: _encode(column, one[column.name]) for column in table.columns}
            for one in found
        ]
    planned = (
        None
        if row.planned_session_id is None
        else session.get(models.PlannedSession, row.planned_session_id)
    )
    changes = session.scalars(
        select(models.PlanChange.id).where(models.PlanChange.session_log_id == row.id)
    ).all()
    return {
        "tables": tables,
        "plan_change_ids": list(changes),
        "planned_session_status": None if planned is None else planned.status,
    }


def delete_recoverably(session: Session, log_id: str) -> Deletion:
    """Delete a log (any status) as :func:`~retrowalk.services.logs.delete_log` does, keeping it
    whole so that :func:`restore_log` can bring it back; drop deletions older than
    :data:`UNDO_KEEP_DAYS`.

    Raises
    ------
    retrowalk.errors.NotFoundError
        When no log has this id or prefix.
    """
    row = get_row(session, log_id)
    session.flush()
    rows = _snapshot(session, row)
    kept = models.DeletedLog(
        session_log_id=row.id,
        deleted_at=utcnow(),
        started_at=row.started_at,
        source=row.source,
        status=row.status,
        duration_s=float(sum(s.duration_s for s in row.segments)),
        backward_s=float(sum(s.duration_s for s in row.segments if s.direction == "backward")),
        rows=rows,
    )
    revision = delete_log(session, row.id)
    kept.plan_message = None if revision is None else revision.message
    session.execute(
        delete(models.DeletedLog).where(
            models.DeletedLog.deleted_at < utcnow() - timedelta(days=UNDO_KEEP_DAYS)
        )
    )
    session.add(kept)
    session.flush()
    return Deletion.of(kept)


def get_deletion(session: Session, deletion_id: str) -> Deletion:
    """A deleted log that can still be restored.

    Raises
    ------
    retrowalk.errors.NotFoundError
        When there is no such deletion (restored already, or dropped after
        :data:`UNDO_KEEP_DAYS` days).
    """
    row = session.get(models.DeletedLog, deletion_id)
    if row is None:
        raise NotFoundError(
            f"no deleted session {deletion_id[:8]} to restore: it was restored already, or "
            f"deleted more than {UNDO_KEEP_DAYS} days ago"
        )
    return Deletion.of(row)


def _decoded(table: Table, encoded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from retrowalk.services.backup import _decode

    out = []
    for index, one in enumerate(encoded):
        try:
            out.append(
                {c.name: _decode(table.name, index, c, one.get(c.name)) for c in table.columns}
            )
        except ValueError as exc:
            raise InvalidInputError("undo", table.name, f"a stored log: {exc}") from None
    return out


@dataclass(frozen=True)
class Restored:
    """A restored log and what restoring it did to the plan (``None``: nothing)."""

    log: LogView
    revision: PlanRevision | None


def restore_log(session: Session, deletion_id: str) -> Restored:
    """Write a deleted log back exactly as it was (same id, segments, reports, import record
    and recording), link its plan changes again and make the plan what the logs now give.

    A profile or planned session deleted since is no longer referred to.

    Raises
    ------
    retrowalk.errors.NotFoundError
        When there is no such deletion (see :func:`get_deletion`).
    retrowalk.errors.InvalidInputError
        ``started_at`` when another session at the same time was logged since (nothing is
        changed).
    """
    kept = session.get(models.DeletedLog, deletion_id)
    if kept is None:
        get_deletion(session, deletion_id)  # raises
        raise AssertionError  # pragma: no cover
    log_id = kept.session_log_id
    tables: dict[str, list[dict[str, Any]]] = kept.rows["tables"]
    decoded = {
        _table(model).name: _decoded(_table(model), tables.get(_table(model).name, []))
        for model, _key in _PARTS
    }
    (log,) = decoded[_table(models.SessionLog).name]
    if log["profile_id"] is not None and session.get(models.Profile, log["profile_id"]) is None:
        log["profile_id"] = None
    planned_id = log["planned_session_id"]
    planned = None if planned_id is None else session.get(models.PlannedSession, planned_id)
    if planned is None:
        log["planned_session_id"] = None
    check_duplicate(session, log["profile_id"], log["started_at"], None)
    try:
        with session.begin_nested():
            for model, _key in _PARTS:
                table = _table(model)
                if decoded[table.name]:
                    session.execute(insert(table), decoded[table.name])
    except IntegrityError:
        raise InvalidInputError(
            "undo",
            log_id[:8],
            "a session that is not stored again since (its file was imported again?)",
        ) from None
    change_ids = list(kept.rows.get("plan_change_ids", []))
    if change_ids:
        session.execute(
            update(models.PlanChange)
            .where(models.PlanChange.id.in_(change_ids))
            .values(session_log_id=log_id)
        )
    if planned is not None and kept.rows.get("planned_session_status") == "done":
        planned.status = "done"
    session.delete(kept)
    session.flush()
    session.expire_all()
    plan = current_plan_row(session)
    adapted = plan is not None and (
        session.scalars(
            select(models.PlanChange.id)
            .where(models.PlanChange.plan_id == plan.id)
            .where(models.PlanChange.session_log_id == log_id)
            .limit(1)
        ).first()
        is not None
    )
    revision = revise_plan(session, cause="a deleted session was restored") if adapted else None
    row = get_row(session, log_id)
    return Restored(log=log_view(session, row), revision=revision)
