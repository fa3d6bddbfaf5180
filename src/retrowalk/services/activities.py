"""Import recorded walks (FIT, GPX, TCX, Apple Health) as session logs, and correct them.

Each activity in a file becomes one session log (``source="import"``) through
:func:`retrowalk.services.logs.add_log`, so it is validated, costed per segment by direction and
fed to the plan like any other log; an ``activity_imports`` row keeps where it came from (the
file's SHA-256, the device and its energy figure, each lap as recorded and how its direction was
decided).

Never counted twice
    The same file (same SHA-256) is recognised and skipped. An activity that overlaps a walk
    already logged (by the player, by hand or from another file; see
    :func:`retrowalk.activities.matching.same_walk`) is, as the walker chooses: not stored
    (``keep_existing``, the default here), stored instead of it (``replace``), or stored and
    marked as the same walk (``mark``, what the CLI and the web page do): left out of progress
    until the walker keeps one of the two (:mod:`retrowalk.services.duplicates`).

Errors
    A file that cannot be read raises :class:`~retrowalk.errors.ImportFileError` (one line
    naming the file and the problem) before anything is written; the caller's transaction then
    stores nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any, Final, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from retrowalk.activities.matching import LapMatch, PlanMatch, best_plan_match, same_walk
from retrowalk.activities.model import Activity, Lap
from retrowalk.activities.readers import read_activities
from retrowalk.energy.model import SPEED_M_S_MAX
from retrowalk.errors import InvalidInputError, NotFoundError
from retrowalk.segments import PlannedSegment
from retrowalk.services.logs import (
    NOTES_MAX_CHARS,
    LogInput,
    LogView,
    SegmentInput,
    add_log,
    delete_log,
    edit_log,
    get_log,
)
from retrowalk.services.plans import planned_segments
from retrowalk.store import models
from retrowalk.vocabulary import Direction, Environment, SegmentKind, Support

__all__ = [
    "DEFAULT_ENVIRONMENT",
    "DuplicateChoice",
    "DuplicatePair",
    "ImportOptions",
    "ImportResult",
    "ImportedLap",
    "ImportedView",
    "check_options",
    "find_duplicates",
    "get_imported",
    "import_file",
    "set_lap_directions",
    "sha256_of",
]

DuplicateChoice = Literal["keep_existing", "replace", "mark"]
#: Where an imported overground walk is taken to be, unless the plan or the walker says
#: otherwise (only a treadmill changes the energy figure: ``Environment.is_treadmill``).
DEFAULT_ENVIRONMENT: Final = Environment.PARK
#: How far back logs are looked at for an overlap (the longest session accepted is 4 h).
_OVERLAP_LOOKBACK: Final = timedelta(hours=24)
_HASH_CHUNK_BYTES: Final = 1 << 20


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """How to import.

    Parameters
    ----------
    on_duplicate
        ``"keep_existing"``: an activity overlapping a logged walk is not stored;
        ``"replace"``: the overlapping log is deleted and the import stored instead;
        ``"mark"``: the import is stored, marked as the same walk, for the walker to choose.
    environment
        Where the walk was (an :class:`~retrowalk.vocabulary.Environment` value) for laps not
        matched to the plan; ``None``: treadmill when the file says so, else
        :data:`DEFAULT_ENVIRONMENT`.
    support
        What the walker held, for laps not matched to the plan.
    tz
        The walker's time zone, for the calendar day of a walk (which planned sessions it may
        match); ``None``: this computer's.
    """

    on_duplicate: DuplicateChoice = "keep_existing"
    environment: Environment | str | None = None
    support: Support | str = Support.NONE
    tz: tzinfo | None = None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What happened to one activity of a file.

    Attributes
    ----------
    file_name
        The file.
    position
        The activity's index in the file.
    status
        ``"imported"``, ``"replaced"`` (stored, an overlapping log deleted), ``"same_file"``
        (this file was imported before), ``"overlap"`` (overlaps a logged walk; not stored) or
        ``"duplicate"`` (stored, marked as the same walk as a logged one: the walker chooses).
    message
        One line for the walker.
    log
        The stored log (imported or replaced), else ``None``.
    other_log_id
        The log it duplicates or replaced, else ``None``.
    """

    file_name: str
    position: int
    status: Literal["imported", "replaced", "same_file", "overlap", "duplicate"]
    message: str
    log: LogView | None = None
    other_log_id: str | None = None


@dataclass(frozen=True, slots=True)
class ImportedLap:
    """A lap as recorded beside the segment RetroWalk stored for it."""

    number: int
    start: datetime
    duration_s: float
    distance_m: float | None
    speed_m_s: float | None
    grade_pct: float | None
    heart_rate_bpm: float | None
    direction: str
    direction_source: str
    planned_position: int | None
    device_energy_kcal: float | None
    energy_kcal: float | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "number": self.number,
            "start": self.start.isoformat(),
            "duration_s": self.duration_s,
            "distance_m": self.distance_m,
            "speed_m_s": self.speed_m_s,
            "grade_pct": self.grade_pct,
            "heart_rate_bpm": self.heart_rate_bpm,
            "direction": self.direction,
            "direction_source": self.direction_source,
            "planned_position": self.planned_position,
            "device_energy_kcal": self.device_energy_kcal,
            "energy_kcal": self.energy_kcal,
        }


@dataclass(frozen=True, slots=True)
class ImportedView:
    """An imported log with its source and the energy difference from the device.

    Attributes
    ----------
    log
        The session log.
    file_name, file_format, device, sport
        Where it came from.
    device_energy_kcal, device_energy_kind
        The device's figure and whether it is ``total`` (gross) or ``active`` (above rest).
    energy_kcal
        RetroWalk's central figure of the same kind (gross for ``total``, net for ``active``),
        or ``None`` (no profile, or a segment without a speed).
    difference_kcal
        ``energy_kcal`` minus the device's figure, or ``None``.
    laps
        Each lap with its direction and both energy figures.
    """

    log: LogView
    file_name: str
    file_format: str
    device: str | None
    sport: str | None
    device_energy_kcal: float | None
    device_energy_kind: str | None
    energy_kcal: float | None
    difference_kcal: float | None
    laps: tuple[ImportedLap, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "log": self.log.to_dict(),
            "file_name": self.file_name,
            "file_format": self.file_format,
            "device": self.device,
            "sport": self.sport,
            "device_energy_kcal": self.device_energy_kcal,
            "device_energy_kind": self.device_energy_kind,
            "energy_kcal": self.energy_kcal,
            "difference_kcal": self.difference_kcal,
            "laps": [lap.to_dict() for lap in self.laps],
        }


def sha256_of(path: Path) -> str:
    """The file's SHA-256, hex (read in chunks: files reach gigabytes)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _local_day(at: datetime, tz: tzinfo | None) -> date:
    return at.astimezone(tz).date() if tz is not None else at.astimezone().date()


def _candidates(session: Session, day: date) -> list[tuple[str, tuple[PlannedSegment, ...]]]:
    """The active plan's sessions on ``day``, with their parts."""
    rows = session.scalars(
        select(models.PlannedSession)
        .join(models.Plan)
        .where(models.Plan.status == "active")
        .where(models.PlannedSession.scheduled_on == day)
        .order_by(models.PlannedSession.position)
    ).all()
    return [(row.id, planned_segments(row)) for row in rows]


def _segment(
    lap: Lap,
    match: LapMatch,
    planned: Sequence[PlannedSegment],
    activity: Activity,
    options: ImportOptions,
    notes: list[str],
    number: int,
) -> SegmentInput:
    part = None if match.planned_position is None else planned[match.planned_position]
    if part is not None:
        environment: str = part.environment.value
        support: str = part.support.value
        kind: str = part.kind.value
    else:
        if options.environment is not None:
            environment = Environment(options.environment).value
        else:
            environment = (
                Environment.TREADMILL if activity.treadmill else DEFAULT_ENVIRONMENT
            ).value
        support = Support(options.support).value
        kind = (
            SegmentKind.BACKWARD_INTERVAL
            if match.direction is Direction.BACKWARD
            else SegmentKind.FORWARD
        ).value
    speed = lap.speed_m_s
    if speed is not None and not 0 < speed <= SPEED_M_S_MAX:
        notes.append(
            f"lap {number}: {speed:.2f} m/s is outside the {SPEED_M_S_MAX:g} m/s the energy "
            "model accepts; not costed"
        )
        speed = None
    grade = lap.grade_pct
    if Environment(environment).is_treadmill and part is not None:
        grade = part.grade_pct  # a treadmill's incline is not in the recording
    if grade is None:
        grade = 0.0
        if lap.distance_m is not None and not Environment(environment).is_treadmill:
            notes.append(f"lap {number}: no usable elevation; level ground assumed")
    return SegmentInput(
        direction=match.direction.value,
        duration_s=lap.duration_s,
        environment=environment,
        support=support,
        speed_m_s=speed,
        grade_pct=grade,
        kind=kind,
    )


def _overlapping(session: Session, activity: Activity) -> models.SessionLog | None:
    """A walked log that is the same walk as ``activity``, if any."""
    rows = session.scalars(
        select(models.SessionLog)
        .where(models.SessionLog.status.in_(("completed", "stopped")))
        .where(models.SessionLog.started_at <= activity.end)
        .where(models.SessionLog.started_at >= activity.start - _OVERLAP_LOOKBACK)
        .order_by(models.SessionLog.started_at)
    ).all()
    for row in rows:
        end = row.ended_at or row.started_at + timedelta(seconds=row.walked_s or 0.0)
        if same_walk(activity.start, activity.end, row.started_at, end):
            return row
    return None


def _notes(source: str, notes: list[str]) -> str:
    """The log's notes: where it came from, then what was assumed, cut to the notes' limit."""
    text = "; ".join([source, *notes])
    if len(text) <= NOTES_MAX_CHARS:
        return text
    return text[: NOTES_MAX_CHARS - 1] + "…"


def _lap_json(lap: Lap, match: LapMatch) -> dict[str, Any]:
    return {
        "start": lap.start.isoformat(),
        "duration_s": lap.duration_s,
        "distance_m": lap.distance_m,
        "speed_m_s": lap.speed_m_s,
        "grade_pct": lap.grade_pct,
        "heart_rate_bpm": lap.heart_rate_bpm,
        "device_energy_kcal": lap.energy_kcal,
        "direction": match.direction.value,
        "direction_source": match.source,
        "planned_position": match.planned_position,
    }


def _describe(row: models.SessionLog) -> str:
    when = row.started_at.strftime("%Y-%m-%d %H:%M UTC")
    return f"log {row.id[:8]} ({row.source}, {when})"


def _import_one(
    session: Session,
    activity: Activity,
    *,
    file_name: str,
    digest: str,
    options: ImportOptions,
) -> ImportResult:
    label = (
        file_name if activity.position == 0 else f"{file_name} (activity {activity.position + 1})"
    )
    same = session.scalars(
        select(models.ActivityImport)
        .where(models.ActivityImport.file_sha256 == digest)
        .where(models.ActivityImport.position == activity.position)
    ).first()
    if same is not None:
        return ImportResult(
            file_name,
            activity.position,
            "same_file",
            f"{label}: already imported (log {same.session_log_id[:8]}); not counted twice",
            other_log_id=same.session_log_id,
        )
    overlapping = _overlapping(session, activity)
    replaced: str | None = None
    if overlapping is not None and options.on_duplicate != "mark":
        if options.on_duplicate != "replace":
            return ImportResult(
                file_name,
                activity.position,
                "overlap",
                f"{label}: the same walk as {_describe(overlapping)}; kept that one and stored "
                "nothing (import again with replace to keep this file's instead)",
                other_log_id=overlapping.id,
            )
        replaced = overlapping.id
        delete_log(session, overlapping.id)
    candidates = _candidates(session, _local_day(activity.start, options.tz))
    match: PlanMatch = best_plan_match(activity.laps, candidates)
    planned = dict(candidates).get(match.planned_session_id or "", ())
    notes: list[str] = []
    segments = tuple(
        _segment(lap, lap_match, planned, activity, options, notes, number)
        for number, (lap, lap_match) in enumerate(
            zip(activity.laps, match.laps, strict=True), start=1
        )
    )
    source = f"Imported from {file_name}" + (f" ({activity.device})" if activity.device else "")
    log = add_log(
        session,
        LogInput(
            started_at=activity.start,
            segments=segments,
            source="import",
            planned_session_id=match.planned_session_id,
            notes=_notes(source, notes),
            ended_at=activity.end,
        ),
    )
    kind = "active" if activity.file_format == "apple_health" else "total"
    session.add(
        models.ActivityImport(
            session_log_id=log.id,
            file_sha256=digest,
            position=activity.position,
            file_name=file_name[:255],
            file_format=activity.file_format,
            sport=None if activity.sport is None else activity.sport[:32],
            device=None if activity.device is None else activity.device[:100],
            device_energy_kcal=activity.lap_energy_kcal,
            device_energy_kind=None if activity.lap_energy_kcal is None else kind,
            laps=[_lap_json(lap, m) for lap, m in zip(activity.laps, match.laps, strict=True)],
        )
    )
    session.flush()
    matched = match.backward_matched
    plan_note = f", {matched} backward lap(s) matched to the plan" if matched else ""
    if replaced is not None:
        return ImportResult(
            file_name,
            activity.position,
            "replaced",
            f"{label}: imported as log {log.id[:8]} ({len(segments)} laps{plan_note}); "
            f"log {replaced[:8]} deleted",
            log=log,
            other_log_id=replaced,
        )
    stored = session.get(models.SessionLog, log.id)
    if stored is not None and stored.duplicate_of is not None:
        other = stored.duplicate_of
        return ImportResult(
            file_name,
            activity.position,
            "duplicate",
            f"{label}: imported as log {log.id[:8]}, the same walk as log {other[:8]}: counted "
            f"once; choose which to keep on the Log page or with 'retrowalk log keep ID'",
            log=log,
            other_log_id=other,
        )
    return ImportResult(
        file_name,
        activity.position,
        "imported",
        f"{label}: imported as log {log.id[:8]} ({len(segments)} laps{plan_note})",
        log=log,
    )


def check_options(options: ImportOptions) -> ImportOptions:
    """``options`` if valid.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        Naming ``environment``, ``support`` or ``on_duplicate``.
    """
    if options.environment is not None:
        try:
            Environment(options.environment)
        except ValueError:
            accepted = ", ".join(e.value for e in Environment)
            raise InvalidInputError("environment", options.environment, accepted) from None
    try:
        Support(options.support)
    except ValueError:
        accepted = ", ".join(s.value for s in Support)
        raise InvalidInputError("support", options.support, accepted) from None
    if options.on_duplicate not in ("keep_existing", "replace", "mark"):
        raise InvalidInputError(
            "on_duplicate", options.on_duplicate, "keep_existing, replace or mark"
        )
    return options


def import_file(
    session: Session,
    path: Path,
    *,
    display_name: str | None = None,
    options: ImportOptions | None = None,
) -> list[ImportResult]:
    """Import every walk of one file.

    Parameters
    ----------
    session
        An open unit of work (one per file: an error stores nothing of the file).
    path
        The file (FIT, GPX, TCX, Apple Health ``export.zip`` or ``export.xml``).
    display_name
        The name shown (an uploaded file's own name); default the file's name.
    options
        See :class:`ImportOptions`.

    Raises
    ------
    retrowalk.errors.ImportFileError
        The file cannot be read, is not an activity or holds no walk (nothing read).
    retrowalk.errors.InvalidInputError
        A walk cannot be logged as it is (e.g. in the future); the caller's transaction must
        then be rolled back.
    """
    options = check_options(options or ImportOptions())
    name = display_name or path.name
    activities = read_activities(path, display_name=name)
    digest = sha256_of(path)
    return [
        _import_one(session, activity, file_name=name, digest=digest, options=options)
        for activity in activities
    ]


def _import_row(session: Session, log_id: str) -> models.ActivityImport:
    row = session.scalars(
        select(models.ActivityImport).where(models.ActivityImport.session_log_id == log_id)
    ).first()
    if row is None:
        raise NotFoundError(f"log {log_id[:8]} was not imported from a file")
    return row


def _central(energy: Mapping[str, Any] | None, key: str) -> float | None:
    if not energy:
        return None
    value = energy.get(key)
    if isinstance(value, Mapping) and isinstance(value.get("central"), int | float):
        return float(value["central"])
    return None


def _imported_view(log: LogView, row: models.ActivityImport) -> ImportedView:
    key = "energy_net_kcal" if row.device_energy_kind == "active" else "energy_kcal"
    ours = _central(log.energy, key)
    laps = []
    for number, (lap, segment) in enumerate(zip(row.laps, log.segments, strict=False), start=1):
        laps.append(
            ImportedLap(
                number=number,
                start=datetime.fromisoformat(lap["start"]),
                duration_s=lap["duration_s"],
                distance_m=lap.get("distance_m"),
                speed_m_s=lap.get("speed_m_s"),
                grade_pct=lap.get("grade_pct"),
                heart_rate_bpm=lap.get("heart_rate_bpm"),
                direction=segment.direction,
                direction_source=lap.get("direction_source", "default"),
                planned_position=lap.get("planned_position"),
                device_energy_kcal=lap.get("device_energy_kcal"),
                energy_kcal=_central(segment.energy, key),
            )
        )
    device = row.device_energy_kcal
    return ImportedView(
        log=log,
        file_name=row.file_name,
        file_format=row.file_format,
        device=row.device,
        sport=row.sport,
        device_energy_kcal=device,
        device_energy_kind=row.device_energy_kind,
        energy_kcal=ours,
        difference_kcal=None if ours is None or device is None else ours - device,
        laps=tuple(laps),
    )


def get_imported(session: Session, log_id: str) -> ImportedView:
    """An imported log (id or unique prefix) with its laps and the device's energy.

    Raises
    ------
    retrowalk.errors.NotFoundError
        No such log, or a log that was not imported.
    """
    log = get_log(session, log_id)
    return _imported_view(log, _import_row(session, log.id))


def set_lap_directions(
    session: Session, log_id: str, directions: Mapping[int, Direction | str]
) -> ImportedView:
    """Correct the direction of laps (numbered from 1) of an imported log; its energy is costed
    again (:func:`retrowalk.services.logs.edit_log`) and the laps are marked as set by the
    walker.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        ``lap`` outside 1..number of laps, or ``direction`` not forward/backward.
    retrowalk.errors.NotFoundError
        No such imported log.
    """
    log = get_log(session, log_id)
    row = _import_row(session, log.id)
    count = len(log.segments)
    segments = [SegmentInput.of(s) for s in log.segments]
    laps = [dict(lap) for lap in row.laps]
    for number, value in directions.items():
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= count:
            raise InvalidInputError("lap", number, f"a lap number from 1 to {count}")
        try:
            direction = Direction(value)
        except ValueError:
            raise InvalidInputError("direction", value, "forward or backward") from None
        old = segments[number - 1]
        kind = old.kind
        if direction is Direction.BACKWARD and kind != SegmentKind.BACKWARD_INTERVAL.value:
            kind = SegmentKind.BACKWARD_INTERVAL.value
        elif direction is Direction.FORWARD and kind == SegmentKind.BACKWARD_INTERVAL.value:
            kind = SegmentKind.FORWARD.value
        segments[number - 1] = SegmentInput(
            direction=direction.value,
            duration_s=old.duration_s,
            environment=old.environment,
            support=old.support,
            speed_m_s=old.speed_m_s,
            grade_pct=old.grade_pct,
            completed=old.completed,
            kind=kind,
        )
        if number - 1 < len(laps):
            laps[number - 1]["direction"] = direction.value
            laps[number - 1]["direction_source"] = "walker"
    edited = edit_log(session, log.id, segments=segments)
    row.laps = laps
    session.flush()
    return _imported_view(edited, row)


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two logged walks that are the same walk (at least one imported)."""

    first_id: str
    second_id: str
    first_source: str
    second_source: str
    started_at: datetime


def find_duplicates(session: Session) -> list[DuplicatePair]:
    """Walks logged twice (e.g. imported, then played again by the player): pairs of walked
    logs that are the same walk, where at least one was imported. The walker keeps one with
    ``retrowalk log keep ID`` (:func:`retrowalk.services.duplicates.keep_log`)."""
    rows = session.execute(
        select(
            models.SessionLog.id,
            models.SessionLog.source,
            models.SessionLog.started_at,
            models.SessionLog.ended_at,
            models.SessionLog.walked_s,
        )
        .where(models.SessionLog.status.in_(("completed", "stopped")))
        .order_by(models.SessionLog.started_at)
    ).all()
    spans = [
        (
            r.id,
            r.source,
            r.started_at,
            r.ended_at or r.started_at + timedelta(seconds=r.walked_s or 0),
        )
        for r in rows
    ]
    pairs = []
    for index, (a_id, a_source, a_start, a_end) in enumerate(spans):
        for b_id, b_source, b_start, b_end in spans[index + 1 :]:
            if b_start > a_end:
                break
            if "import" in (a_source, b_source) and same_walk(a_start, a_end, b_start, b_end):
                pairs.append(DuplicatePair(a_id, b_id, a_source, b_source, a_start))
    return pairs
