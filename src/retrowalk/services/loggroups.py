"""Logs grouped for progress, and the groups kept between reports (SQLite).

Progress reads every log, but as groups of alike logs: same 15-minute UTC slot, status, stop
reason and stored facts (:mod:`retrowalk.services.logfacts`), with counts and sums made by the
database (:func:`grouped_logs`). That query is most of a report's cost, and it must run again
after every change to the logs. So on SQLite the groups are kept per engine, under the logs'
*generation*:

- Triggers of migration 0006 bump the one row of ``log_generation`` whenever a log is inserted
  or deleted, or one of the columns the grouped query reads is updated: in this process or any
  other (CLI, another server), since the database runs them. ``changes`` counts the changes;
  ``stamp`` starts at the time the table is made and moves to the current time in microseconds
  at each change, so neither a database file put back from a copy nor a table made again shows
  a generation already seen.
- A report reads the generation in its own transaction: equal to the kept one, the kept groups
  are the query's answer; otherwise the query runs, and its groups are kept when the transaction
  commits (it may have changed logs of its own, and a generation rolled back can come again
  with other logs). Whether any log lacks its current facts is kept with them.
- A new log (:func:`note_new_log`, called by :func:`retrowalk.services.logs.add_log`) updates the
  kept groups itself when the generation before it is the kept one and the log was the only
  change: its own group is read (one row, by primary key) and added in. The result is kept once
  the transaction commits, and dropped if it rolls back.

PostgreSQL has no such triggers: its groups are never kept. Nor are they on SQLite when a
trigger is missing (for example dropped by a later migration that rebuilds ``session_logs``):
every report then runs the query.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass
from functools import cache
from typing import Any, Final, NamedTuple

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    Integer,
    Select,
    bindparam,
    case,
    cast,
    event,
    extract,
    func,
    select,
    text,
)
from sqlalchemy.orm import Session, SessionTransaction, selectinload

from retrowalk.services.logfacts import FACTS_VERSION, derive_facts, needs_facts
from retrowalk.store import models

__all__ = [
    "GENERATION_TRIGGERS",
    "SLOT_S",
    "LogGroup",
    "clear_kept_groups",
    "grouped_logs",
    "log_generation",
    "note_new_log",
]

#: Length of a time slot, s. Logs are grouped by the 15-minute UTC slot they started in: every
#: real time zone's UTC offset, and every daylight-saving change, is a whole multiple of 15
#: minutes, so local midnight always falls on a slot boundary and each slot lies within one
#: local day in any zone. The database can therefore group logs without knowing the zone, and
#: Python turns each slot's start into the local day.
SLOT_S: Final = 900
#: Slots from year 1 to 1970 (rounded up): SQLite divides ``epoch + shift`` (never negative).
_SLOT_SHIFT: Final = 70_000_000
#: The triggers of migration 0006 that keep ``log_generation`` current (SQLite).
GENERATION_TRIGGERS: Final = (
    "session_logs_generation_insert",
    "session_logs_generation_update",
    "session_logs_generation_delete",
)
#: Group keys: the first fields of :class:`LogGroup`.
_KEYS: Final = 10


def _slot(dialect: str, started_at: Any) -> ColumnElement[Any]:
    """SQL for the 15-minute UTC slot of ``started_at``: its epoch seconds floor-divided by 900."""
    if dialect == "postgresql":
        # timestamptz: the epoch is exact (numeric), whatever the connection's time zone.
        return cast(func.floor(extract("epoch", started_at) / SLOT_S), BigInteger)
    # SQLite holds UTCDateTime as UTC text "YYYY-MM-DD HH:MM:SS.ffffff" without an offset (see
    # retrowalk.store.types). Its first 19 characters are the whole second: parsing the fraction
    # would round it to milliseconds, and 59.9996 s would carry into the next minute (and slot).
    seconds = cast(func.strftime("%s", func.substr(started_at, 1, 19)), Integer)
    # SQLite's integer division truncates toward zero: shifted to positive numbers (year 1 on)
    # it is a floor division also before 1970.
    return (seconds + _SLOT_SHIFT * SLOT_S) // SLOT_S - _SLOT_SHIFT


class LogGroup(NamedTuple):
    """Alike logs of one slot (see :func:`grouped_logs`): ten keys, then a count and sums."""

    slot: int
    status: str
    stop_reason: str | None
    rpe: float | None
    rpe_scale: str | None
    pain_0_10: int | None
    pain_location: str | None
    events: int
    has_range: int
    mets_central: float | None
    logs: int
    walked_s: float
    backward_s: float
    kcal_low: float | None
    kcal_central: float | None
    kcal_high: float | None


@dataclass(frozen=True, slots=True)
class _Kept:
    """Groups of the logs at one generation, with each group's position by its keys, and
    whether every log then had its current facts (no stale log to derive in memory)."""

    generation: tuple[int, int]
    groups: tuple[LogGroup, ...]
    index: dict[tuple[Any, ...], int]
    current: bool

    @classmethod
    def of(cls, generation: tuple[int, int], groups: tuple[LogGroup, ...], current: bool) -> _Kept:
        index = {group[:_KEYS]: i for i, group in enumerate(groups)}
        return cls(generation, groups, index, current)


_kept: weakref.WeakKeyDictionary[Engine, _Kept] = weakref.WeakKeyDictionary()
_kept_lock = threading.Lock()
#: ``session.info`` key of groups to keep when the session's transaction commits.
_PENDING: Final = "retrowalk.loggroups.pending"


def clear_kept_groups() -> None:
    """Forget every kept group (benchmarks time the query this way)."""
    with _kept_lock:
        _kept.clear()


def _kept_for(session: Session) -> _Kept | None:
    """The groups this transaction will keep, else those kept for its engine."""
    pending: _Kept | None = session.info.get(_PENDING)
    if pending is not None:
        return pending
    with _kept_lock:
        return _kept.get(session.get_bind().engine)


def _keep(engine: Engine, kept: _Kept) -> None:
    with _kept_lock:
        _kept[engine] = kept


@cache
def _generation_query() -> Any:
    names = ", ".join(f"'{name}'" for name in GENERATION_TRIGGERS)
    return text(
        "SELECT changes, stamp, (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
        f"AND tbl_name = 'session_logs' AND name IN ({names})) "
        "FROM log_generation WHERE id = 1"
    )


def log_generation(connection: Connection) -> tuple[int, int] | None:
    """The logs' generation ``(changes, stamp)`` in ``connection``'s transaction, or ``None``
    when it can't be trusted: not SQLite, or a trigger or the counter row is missing."""
    if connection.dialect.name != "sqlite":
        return None
    row = connection.execute(_generation_query()).first()
    if row is None or row[2] != len(GENERATION_TRIGGERS):
        return None
    return int(row[0]), int(row[1])


def grouped_logs(session: Session) -> list[LogGroup]:
    """Logs grouped by slot and by every fact progress reads, with counts and sums.

    One row per group of logs that share the 15-minute UTC slot (``slot``), ``status``,
    ``stop_reason`` and the facts of :mod:`retrowalk.services.logfacts`: the latest RPE and its
    scale, the worst pain and its location, the events (bits), whether the log has a kcal range
    and its central METs. Sums: ``logs``, ``walked_s``, ``backward_s`` and the kcal ends.

    On SQLite the groups are kept while the logs' generation stays the same (see the module
    notes). Logs whose facts are missing or out of date (written before migration 0005 and not
    yet derived again when the database was opened) have them derived here, in memory, and come
    as groups of one.
    """
    connection = session.connection()
    generation = log_generation(connection)
    kept = None if generation is None else _kept_for(session)
    if generation is not None and kept is not None and kept.generation == generation:
        groups = list(kept.groups)
        current = kept.current
    else:
        groups = [LogGroup(*row) for row in connection.execute(_grouped_query(_dialect(session)))]
        current = connection.execute(_stale_query()).first() is None
        if generation is not None:
            # Kept once the transaction commits: it may hold changes of its own to the logs,
            # and a rolled-back generation can come again with other logs.
            session.info[_PENDING] = _Kept.of(generation, tuple(groups), current)
    if not current:
        groups.extend(_stale_groups(session))
    return groups


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _stale_groups(session: Session) -> list[LogGroup]:
    """Groups of one for the logs without current facts, derived in memory."""
    stale = session.scalars(
        select(models.SessionLog)
        .where(needs_facts())
        .options(selectinload(models.SessionLog.segments), selectinload(models.SessionLog.symptoms))
    ).all()
    if not stale:
        return []
    found = session.execute(
        select(models.SessionLog.id, _slot(_dialect(session), models.SessionLog.started_at)).where(
            models.SessionLog.id.in_([log.id for log in stale])
        )
    ).all()
    slots: dict[str, int] = {row[0]: row[1] for row in found}
    groups = []
    for log in stale:
        facts = derive_facts(log)
        kcal = facts.kcal
        groups.append(
            LogGroup(
                slots[log.id],
                log.status,
                log.stop_reason,
                facts.rpe,
                facts.rpe_scale,
                facts.pain_0_10,
                facts.pain_location,
                facts.events,
                int(kcal is not None),
                facts.mets_central,
                1,
                facts.walked_s,
                facts.backward_s,
                None if kcal is None else kcal.low,
                None if kcal is None else kcal.central,
                None if kcal is None else kcal.high,
            )
        )
    return groups


def note_new_log(session: Session, before: tuple[int, int] | None, log_id: str) -> None:
    """Update the kept groups with a new log, once the transaction commits.

    ``before`` is :func:`log_generation` read in this transaction before the log was written
    (``None``: nothing is kept). Call it after the log and everything else the transaction
    changes in ``session_logs`` are flushed. Nothing is done unless the kept groups (or those
    an earlier new log of this transaction left to keep) are those of ``before`` and the log was
    the only change since: the next report then runs the query.
    """
    if before is None:
        return
    connection = session.connection()
    kept = _kept_for(session)
    if kept is None or kept.generation != before:
        return
    after = log_generation(connection)
    if after is None or after[0] != before[0] + 1:
        session.info.pop(_PENDING, None)
        return
    rows = connection.execute(_one_log_query(_dialect(session)), {"log_id": log_id}).all()
    # No row: the log has no current facts (it is read as a stale log from now on).
    session.info[_PENDING] = _merged(kept, after, [LogGroup(*row) for row in rows])


def _add(a: float | None, b: float | None) -> float | None:
    """SQL's ``sum`` of two partial sums: NULL only when both are."""
    if a is None:
        return b
    return a if b is None else a + b


def _merged(kept: _Kept, generation: tuple[int, int], rows: list[LogGroup]) -> _Kept:
    groups = list(kept.groups)
    index = dict(kept.index)
    for row in rows:
        key = row[:_KEYS]
        at = index.get(key)
        if at is None:
            index[key] = len(groups)
            groups.append(row)
            continue
        old = groups[at]
        groups[at] = old._replace(
            logs=old.logs + row.logs,
            walked_s=old.walked_s + row.walked_s,
            backward_s=old.backward_s + row.backward_s,
            kcal_low=_add(old.kcal_low, row.kcal_low),
            kcal_central=_add(old.kcal_central, row.kcal_central),
            kcal_high=_add(old.kcal_high, row.kcal_high),
        )
    return _Kept(generation, tuple(groups), index, kept.current and bool(rows))


@event.listens_for(Session, "after_commit")
def _keep_pending(session: Session) -> None:
    pending: _Kept | None = session.info.pop(_PENDING, None)
    if pending is not None:
        _keep(session.get_bind().engine, pending)


@event.listens_for(Session, "after_transaction_end")
def _drop_pending(session: Session, transaction: SessionTransaction) -> None:
    # Rolled back or closed without a commit (a commit has taken them already).
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


@cache
def _stale_query() -> Select[Any]:
    """Whether any log lacks its current facts (nearly always none: they are stored)."""
    return select(models.SessionLog.id).where(needs_facts()).limit(1)


@cache
def _grouped_query(dialect: str) -> Select[Any]:
    """The query of :func:`grouped_logs` for ``dialect`` (built once per dialect)."""
    log = models.SessionLog
    has_range = case((log.kcal_central.is_not(None), 1), else_=0)
    keys = (
        _slot(dialect, log.started_at),
        log.status,
        log.stop_reason,
        log.rpe,
        log.rpe_scale,
        log.pain_0_10,
        log.pain_location,
        log.events,
        has_range,
        log.mets_central,
    )
    return (
        select(
            *keys,
            func.count(),
            func.sum(log.walked_s),
            func.sum(log.backward_s),
            func.sum(log.kcal_low),
            func.sum(log.kcal_central),
            func.sum(log.kcal_high),
        )
        .where(log.facts_version == FACTS_VERSION)
        .group_by(*keys)
    )


@cache
def _one_log_query(dialect: str) -> Select[Any]:
    """:func:`_grouped_query` for the one log ``log_id``."""
    return _grouped_query(dialect).where(models.SessionLog.id == bindparam("log_id"))
