"""``retrowalk log add|edit|list|show|delete``: manual entry and editing of walked sessions."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import datetime, time, timedelta
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from retrowalk.cli.app import app
from retrowalk.cli.render import console, safe_text
from retrowalk.errors import InvalidInputError
from retrowalk.formatting import format_duration, format_range
from retrowalk.services.database import open_database
from retrowalk.services.logs import (
    UNSET,
    LogInput,
    LogView,
    RatingsInput,
    SegmentInput,
    SpecFields,
    add_log,
    check_moment,
    delete_log,
    edit_log,
    get_log,
    list_logs,
    resolve_planned_session_id,
    segments_from_spec,
)
from retrowalk.timeutil import local_zone, utcnow

log_app = typer.Typer(help="Your session log: add, edit, list, show, delete.", no_args_is_help=True)
app.add_typer(log_app, name="log")

_DURATION_RE = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(s|sec|secs|m|min|mins|h|hr|hrs)\s*$", re.I)
_DURATION_FACTOR = {"s": 1, "sec": 1, "secs": 1, "m": 60, "min": 60, "mins": 60}
_DURATION_FACTOR |= {"h": 3600, "hr": 3600, "hrs": 3600}
#: "backward 2m" -> "2m backward" (the quick grammar puts the duration first).
_WORD_FIRST_RE = re.compile(r"^\s*([A-Za-z]+)\s+(\d[^,()]*?)\s*$")
_RPE_SCALES = {"borg": "borg6_20", "borg6_20": "borg6_20", "cr10": "cr10"}


# -- parsing at the edge -----------------------------------------------------------------------


def parse_start(value: str, field: str = "--start") -> datetime:
    """An ISO date or date-time typed by the user, as aware UTC.

    A time without an offset is local time; a date alone means 12:00 local time.
    """
    accepted = "a date YYYY-MM-DD or a date and time YYYY-MM-DDTHH:MM (local, or with an offset)"
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInputError(field, value, accepted) from None
    if len(value.strip()) == 10:  # a date alone
        parsed = datetime.combine(parsed.date(), time(12, 0))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=local_zone())  # the walker's local time (DST-aware)
    return check_moment(parsed, field)


def parse_duration_s(value: str, field: str) -> float:
    """A duration with a unit (``20m``, ``90s``, ``1.5h``) in seconds."""
    match = _DURATION_RE.match(value)
    if match is None or float(match.group(1)) <= 0:
        raise InvalidInputError(field, value, "a duration with a unit, e.g. '20m', '90s', '1h'")
    return float(match.group(1)) * _DURATION_FACTOR[match.group(2).lower()]


def _segments(
    quick: str | None,
    segment_specs: list[str] | None,
    environment: str,
    support: str | None,
    speed: str | None,
    grade: str | None,
) -> tuple[SegmentInput, ...] | None:
    specs = [quick] if quick else []
    specs += [_WORD_FIRST_RE.sub(r"\2 \1", spec) for spec in segment_specs or []]
    if not specs:
        return None
    return segments_from_spec(
        ", ".join(specs),
        environment=environment,
        support=support,
        speed=speed,
        grade=grade,
        fields=SpecFields(
            spec="--quick" if quick else "--segment",
            environment="--environment",
            support="--support",
            speed="--speed",
            grade="--grade",
        ),
    )


def _rpe_scale(value: str | None) -> str | None:
    if value is None:
        return None
    if value.lower() not in _RPE_SCALES:
        raise InvalidInputError("--rpe-scale", value, "borg (6-20) or cr10 (0-10)")
    return _RPE_SCALES[value.lower()]


# -- printing ------------------------------------------------------------------------------------


def _kcal(energy: dict[str, Any] | None, key: str = "energy_kcal") -> str:
    if not energy or not energy.get(key):
        return "-"
    r = energy[key]
    return format_range(r["low"], r["central"], r["high"], "kcal", word="range")


def print_log_view(out: Console, view: LogView) -> None:
    """A stored log: when, what was walked, energy with its range, ratings, the plan's change."""
    local = view.started_at.astimezone(local_zone())
    status = view.status + (f" ({view.stop_reason})" if view.stop_reason else "")
    out.print(
        f"[bold]Session {view.id[:8]}[/bold] {local:%a %d %b %Y %H:%M}, {view.source}, {status}",
        highlight=False,
    )
    out.print(
        f"  {format_duration(view.backward_s)} backward, {format_duration(view.duration_s)} in all",
        highlight=False,
    )
    for segment in view.segments:
        done = "" if segment.completed else " (not finished)"
        if segment.energy and segment.energy.get("speed_source") == "assumed":
            done += " (assumed speed)"
        line = (
            f"  - {segment.direction} {format_duration(segment.duration_s)}, "
            f"{segment.environment.replace('_', ' ')}, {segment.support.replace('_', ' ')}{done}: "
            f"{_kcal(segment.energy)}"
        )
        out.print(line, markup=False, highlight=False)
    energy = view.energy
    if energy.get("energy_kcal"):
        out.print(f"  Energy: {_kcal(energy)}; above rest {_kcal(energy, 'energy_net_kcal')}")
    else:
        out.print(f"  Energy: {energy.get('reason')}", markup=False, highlight=False)
    note = energy.get("speed_note")
    if note:
        out.print(f"    {note}", markup=False, highlight=False)
    for warning in energy.get("warnings", []):
        if warning != note:
            out.print(f"    note: {warning}", markup=False, highlight=False)
    if view.ratings is not None:
        r = view.ratings
        parts = []
        if r.rpe is not None:
            parts.append(f"RPE {r.rpe:g} ({'Borg 6-20' if r.rpe_scale == 'borg6_20' else 'CR10'})")
        if r.pain_0_10 is not None:
            parts.append(
                f"pain {r.pain_0_10}/10"
                + (f" ({safe_text(r.pain_location)})" if r.pain_location else "")
            )
        if r.form_steady is not None:
            parts.append("form steady" if r.form_steady else "form unsteady")
        # User text (notes, pain location) goes through safe_text: markup on, escapes shown.
        out.print("  Ratings: " + (", ".join(parts) or "none"), highlight=False)
        if r.notes:
            out.print(f"  How it went: {safe_text(r.notes)}", highlight=False)
    flags = view.symptoms
    out.print(
        "  Red flags: " + (", ".join(s.label for s in flags) if flags else "none reported"),
        markup=False,
        highlight=False,
        style="bold red" if flags else None,
    )
    if view.notes:
        out.print("  Notes: " + safe_text(view.notes.replace("\n", "; ")), highlight=False)
    if view.plan_change is not None:
        out.print(
            f"[bold]Plan: {view.plan_change.action}[/bold] - {view.plan_change.reason}",
            highlight=False,
        )
    if view.plan_note:
        out.print(f"  Plan: {view.plan_note}", markup=False, highlight=False)


def _emit(view: LogView, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(view.to_dict(), indent=2))
    else:
        print_log_view(console, view)


# -- options shared by add and edit ----------------------------------------------------------------

QuickOpt = Annotated[
    str | None,
    typer.Option("--quick", help="Segments as a quick spec, e.g. '5x(1m back, 1m fwd)'."),
]
SegmentOpt = Annotated[
    list[str] | None,
    typer.Option("--segment", help="One segment (repeatable), e.g. 'backward 2m' or '2m back'."),
]
EnvironmentOpt = Annotated[
    str, typer.Option(help="Where: treadmill, hallway, open_room, track or park.")
]
SupportOpt = Annotated[
    str | None,
    typer.Option(help="none, wall_or_rail, treadmill_rails or spotter (default: a rail or wall)."),
]
SpeedOpt = Annotated[str | None, typer.Option(help="Speed with a unit, e.g. 1mph or 1.6km/h.")]
GradeOpt = Annotated[str | None, typer.Option(help="Grade in percent, e.g. 2%.")]
DurationOpt = Annotated[
    str | None, typer.Option("--duration", help="Session length, e.g. 20m (checks the segments).")
]
RpeOpt = Annotated[float | None, typer.Option(help="Perceived exertion: Borg 6-20 or CR10 0-10.")]
RpeScaleOpt = Annotated[str | None, typer.Option("--rpe-scale", help="borg (default) or cr10.")]
PainOpt = Annotated[int | None, typer.Option("--pain", help="Worst pain, 0-10.")]
PainWhereOpt = Annotated[str | None, typer.Option("--pain-location", help="Where it hurt.")]
FlagOpt = Annotated[bool | None, typer.Option()]
FormOpt = Annotated[
    bool | None,
    typer.Option("--form-steady/--form-unsteady", help="Whether your form felt steady."),
]
NotesOpt = Annotated[str | None, typer.Option(help="Notes.")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _word(name: str) -> str:
    return name.replace("_", "-")


def _flag_option(name: str, what: str) -> Any:
    return typer.Option(f"--{_word(name)}/--no-{_word(name)}", help=what)


@log_app.command("add")
def log_add(
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            "--date",
            help="When it started: YYYY-MM-DD[THH:MM], local time unless an offset is given "
            "(default: it just ended).",
        ),
    ] = None,
    quick: QuickOpt = None,
    segment: SegmentOpt = None,
    environment: EnvironmentOpt = "hallway",
    support: SupportOpt = None,
    speed: SpeedOpt = None,
    grade: GradeOpt = None,
    duration: DurationOpt = None,
    status: Annotated[str, typer.Option(help="completed or stopped.")] = "completed",
    stop_reason: Annotated[
        str | None,
        typer.Option("--stop-reason", help="pain, dizziness, near_fall, tired or other."),
    ] = None,
    planned: Annotated[
        str | None, typer.Option("--planned", help="Id of the planned session this was.")
    ] = None,
    rpe: RpeOpt = None,
    rpe_scale: RpeScaleOpt = None,
    pain: PainOpt = None,
    pain_location: PainWhereOpt = None,
    dizziness: Annotated[bool, typer.Option("--dizziness", help="You felt dizzy.")] = False,
    near_fall: Annotated[bool, typer.Option("--near-fall", help="You nearly fell.")] = False,
    fall: Annotated[bool, typer.Option("--fall", help="You fell.")] = False,
    chest_pain: Annotated[bool, typer.Option("--chest-pain", help="You had chest pain.")] = False,
    fainting: Annotated[bool, typer.Option("--fainting", help="You fainted.")] = False,
    form_steady: FormOpt = None,
    notes: NotesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Log a session you walked (nothing is stored unless every value is valid)."""
    segments = _segments(quick, segment, environment, support, speed, grade)
    if segments is None:
        raise InvalidInputError("--segment", None, "the segments walked: --quick or --segment")
    duration_s = None if duration is None else parse_duration_s(duration, "--duration")
    length_s = duration_s if duration_s is not None else sum(s.duration_s for s in segments)
    started_at = parse_start(start) if start else utcnow() - timedelta(seconds=length_s)
    given = (rpe, rpe_scale, pain, pain_location, form_steady)
    flags = (dizziness, near_fall, fall, chest_pain, fainting)
    ratings = None
    if any(v is not None for v in given) or any(flags):
        ratings = RatingsInput(
            rpe=rpe,
            rpe_scale=_rpe_scale(rpe_scale) or "borg6_20",
            pain_0_10=pain,
            pain_location=pain_location,
            dizziness=dizziness,
            near_fall=near_fall,
            fall=fall,
            chest_pain=chest_pain,
            fainting=fainting,
            form_steady=form_steady,
        )
    db = open_database()
    try:
        with db.transaction() as session:
            planned_id = None if planned is None else resolve_planned_session_id(session, planned)
            view = add_log(
                session,
                LogInput(
                    started_at=started_at,
                    segments=segments,
                    ratings=ratings,
                    source="manual",
                    status=status,
                    stop_reason=stop_reason,
                    planned_session_id=planned_id,
                    notes=notes or "",
                    duration_s=duration_s,
                ),
            )
    finally:
        db.dispose()
    _emit(view, as_json)


@log_app.command("edit")
def log_edit(
    log_id: Annotated[str, typer.Argument(help="The log's id or a unique prefix (6+ characters).")],
    start: Annotated[
        str | None, typer.Option("--start", "--date", help="New start, as for 'log add'.")
    ] = None,
    quick: QuickOpt = None,
    segment: SegmentOpt = None,
    environment: EnvironmentOpt = "hallway",
    support: SupportOpt = None,
    speed: SpeedOpt = None,
    grade: GradeOpt = None,
    duration: DurationOpt = None,
    rpe: RpeOpt = None,
    rpe_scale: RpeScaleOpt = None,
    pain: PainOpt = None,
    pain_location: PainWhereOpt = None,
    dizziness: Annotated[bool | None, _flag_option("dizziness", "You felt dizzy.")] = None,
    near_fall: Annotated[bool | None, _flag_option("near_fall", "You nearly fell.")] = None,
    fall: Annotated[bool | None, _flag_option("fall", "You fell.")] = None,
    chest_pain: Annotated[bool | None, _flag_option("chest_pain", "You had chest pain.")] = None,
    fainting: Annotated[bool | None, _flag_option("fainting", "You fainted.")] = None,
    form_steady: FormOpt = None,
    notes: NotesOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Change a logged session: only the options given change; the rest is checked again."""
    segments = _segments(quick, segment, environment, support, speed, grade)
    changes: dict[str, Any] = {
        "rpe": rpe,
        "rpe_scale": _rpe_scale(rpe_scale),
        "pain_0_10": pain,
        "pain_location": pain_location,
        "dizziness": dizziness,
        "near_fall": near_fall,
        "fall": fall,
        "chest_pain": chest_pain,
        "fainting": fainting,
        "form_steady": form_steady,
    }
    changes = {k: v for k, v in changes.items() if v is not None}
    db = open_database()
    try:
        with db.transaction() as session:
            current = get_log(session, log_id)
            ratings: Any = UNSET
            if changes:
                ratings = dataclasses.replace(current.ratings or RatingsInput(), **changes)
            view = edit_log(
                session,
                current.id,
                ratings=ratings,
                notes=UNSET if notes is None else notes,
                segments=UNSET if segments is None else segments,
                started_at=UNSET if start is None else parse_start(start),
                duration_s=UNSET if duration is None else parse_duration_s(duration, "--duration"),
            )
    finally:
        db.dispose()
    _emit(view, as_json)


@log_app.command("list")
def log_list(
    limit: Annotated[int | None, typer.Option(help="Show at most this many.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Your logged sessions, newest first."""
    db = open_database()
    try:
        with db.transaction() as session:
            views = list_logs(session, limit=limit)
    finally:
        db.dispose()
    if as_json:
        typer.echo(json.dumps([v.to_dict() for v in views], indent=2))
        return
    if not views:
        console.print("No sessions logged yet: 'retrowalk session start' or 'retrowalk log add'.")
        return
    rows = [_list_row(v) for v in views]
    if console.width < _TABLE_MIN_WIDTH:
        # A narrow terminal: one block per session, so no red flag is ever cut short.
        for row in rows:
            when, status = row["when"], row["status"]
            console.print(
                f"[bold]{row['id']}[/bold] {when}  {status}  {row['backward']} backward  "
                f"RPE {row['RPE']}  kcal {row['kcal']}",
                highlight=False,
            )
            console.print(
                f"  symptoms: {row['symptoms']}; pain: {row['pain']}", markup=False, highlight=False
            )
        return
    table = Table(title="Your sessions")
    for column in rows[0]:
        table.add_column(column, justify="right" if column == "backward" else "left")
    for row in rows:
        table.add_row(*row.values())
    console.print(table)


#: Below this many columns ``log list`` prints a block per session instead of a table.
_TABLE_MIN_WIDTH = 120


def _list_row(v: LogView) -> dict[str, str]:
    r = v.ratings
    energy = v.energy.get("energy_kcal")
    return {
        "id": v.id[:8],
        "when": f"{v.started_at.astimezone(local_zone()):%a %d %b %H:%M}",
        "status": v.status + (f" ({v.stop_reason})" if v.stop_reason else ""),
        "backward": format_duration(v.backward_s),
        "total": format_duration(v.duration_s),
        "RPE": "-" if r is None or r.rpe is None else f"{r.rpe:g}",
        "pain": _pain(v),
        "symptoms": ", ".join(s.label for s in v.symptoms) or "none",
        "kcal": "-"
        if not energy
        else format_range(energy["low"], energy["central"], energy["high"]),
    }


def _pain(view: LogView) -> str:
    r = view.ratings
    if r is None or (r.pain_0_10 is None and not r.pain_location):
        return "-"
    score = "-" if r.pain_0_10 is None else f"{r.pain_0_10}/10"
    return score + (f" ({r.pain_location})" if r.pain_location else "")


@log_app.command("show")
def log_show(
    log_id: Annotated[str, typer.Argument(help="The log's id or a unique prefix (6+ characters).")],
    as_json: JsonOpt = False,
) -> None:
    """One logged session with its energy per segment and the plan's change."""
    from retrowalk.cli.recordings import motion_of, print_motion

    db = open_database()
    try:
        with db.transaction() as session:
            view = get_log(session, log_id)
            motion = motion_of(session, view.id)
    finally:
        db.dispose()
    if as_json:
        typer.echo(json.dumps(view.to_dict() | {"motion": motion}, indent=2))
    else:
        print_log_view(console, view)
        print_motion(console, motion)


@log_app.command("delete")
def log_delete(
    log_id: Annotated[str, typer.Argument(help="The log's id or a unique prefix (6+ characters).")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation.")] = False,
) -> None:
    """Delete a logged session; the plan becomes what your remaining sessions give."""
    db = open_database()
    try:
        with db.transaction() as session:
            view = get_log(session, log_id)
            if not yes:
                typer.confirm(
                    f"Delete the session of "
                    f"{view.started_at.astimezone(local_zone()):%Y-%m-%d %H:%M}?",
                    abort=True,
                )
            revision = delete_log(session, view.id)
    finally:
        db.dispose()
    console.print(f"Deleted session {view.id[:8]}.", highlight=False)
    if revision is not None:
        _print_revision(revision.message, stopped=revision.stopped)


def _print_revision(message: str, *, stopped: bool) -> None:
    console.print(f"Plan: {message}", markup=False, highlight=False)
    if stopped:
        console.print(
            "Once a health professional has seen you: 'retrowalk plan resume --seen-professional'.",
            markup=False,
            highlight=False,
        )


# ``log attach`` and ``log detach`` live in their own module (motion recordings).
# ``log duplicates`` and ``log keep`` too (a walk logged twice).
import retrowalk.cli.duplicates  # noqa: E402
import retrowalk.cli.recordings  # noqa: E402, F401
