"""``retrowalk log attach|detach``: a phone's motion recording with a logged session, and the
motion lines ``log show`` prints. Registered on the ``log`` group by :mod:`retrowalk.cli.logs`.
NumPy is imported only when a command runs."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from retrowalk.cli.logs import log_app
from retrowalk.cli.render import console
from retrowalk.services.database import open_database


def _speed(speed: dict[str, float] | None) -> str:
    if not speed:
        return ""
    return (
        f", speed from your steps about {speed['central']:.2f} m/s "
        f"(range {speed['low']:.2f}-{speed['high']:.2f})"
    )


def _steadiness(seg: dict[str, Any]) -> str:
    regularity = seg.get("step_regularity")
    return "" if regularity is None else f", step regularity {regularity:.2f}"


def session_steadiness_line(analysis: dict[str, Any]) -> str | None:
    """ "Steadiness walking backward: step regularity 0.71 (1 = perfectly even steps)"."""
    from retrowalk.progress.steadiness import session_steadiness

    one = session_steadiness(date.min, analysis)
    if one is None:
        return None
    return (
        f"Steadiness walking backward: step regularity {one.step_regularity:.2f} "
        "(1 = perfectly even steps; higher is steadier)"
    )


def print_motion(out: Console, recording: dict[str, Any] | None) -> None:
    """Steps, cadence and the direction check of a log's recording (``log show``)."""
    from retrowalk.services.recordings import direction_sentence

    if recording is None:
        return
    a = recording["analysis"]
    cadence = a.get("cadence_spm")
    minutes = recording["duration_s"] / 60
    size_kb = recording["size_bytes"] / 1024
    out.print(
        f"  Motion: {a.get('steps', 0)} steps"
        + (f", cadence {cadence:.0f} steps/min" if cadence else "")
        + f"; {direction_sentence(a)}"
        + f" ({minutes:.0f} min recorded, {size_kb:.0f} KB)",
        markup=False,
        highlight=False,
    )
    steady = session_steadiness_line(a)
    if steady is not None:
        out.print(f"  {steady}", markup=False, highlight=False)
    for seg in a.get("segments", []):
        if not seg.get("recorded"):
            continue
        detected = seg.get("direction")
        check = ""
        if detected is not None:
            check = f", walked {detected}" + (
                f" ({seg['direction_confidence']:.0%} sure)" if detected != "unknown" else ""
            )
        seg_cadence = seg.get("cadence_spm")
        out.print(
            f"    {seg['position'] + 1}. {seg['planned_direction']}: {seg['steps']} steps"
            + (f", {seg_cadence:.0f}/min" if seg_cadence else "")
            + _speed(seg.get("speed_m_s"))
            + _steadiness(seg)
            + check,
            markup=False,
            highlight=False,
        )
    out.print(
        "  Speed from your steps = cadence x a typical step length (backward steps: a wide "
        "range, the evidence is thin); direction was validated on forward walking only.",
        markup=False,
        highlight=False,
    )


def motion_of(session: Any, log_id: str) -> dict[str, Any] | None:
    """The recording of a log as a JSON-ready dict, or ``None``."""
    from retrowalk.services.recordings import get_recording

    view = get_recording(session, log_id)
    return None if view is None else view.to_dict()


@log_app.command("attach")
def log_attach(
    log_id: Annotated[str, typer.Argument(help="The log's id or a unique prefix (6+ characters).")],
    file: Annotated[
        Path, typer.Argument(help="Recording: CSV, phone-app export or data set file.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="As for 'retrowalk analyze'.")] = "auto",
    start: Annotated[
        str | None,
        typer.Option(
            "--start",
            help="When the file's first sample was taken, for files without clock timestamps.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Attach a motion recording to a logged session: steps, cadence, speed and direction."""
    from retrowalk.cli.logs import parse_start
    from retrowalk.services.recordings import attach_file

    started_at = None if start is None else parse_start(start)
    db = open_database()
    try:
        with db.transaction() as session:
            view, how = attach_file(session, log_id, file, fmt=fmt, started_at=started_at)
    finally:
        db.dispose()
    if as_json:
        typer.echo(json.dumps(view.to_dict() | {"aligned": how}, indent=2))
        return
    console.print(f"Attached to session {view.log_id[:8]}, placed {how}.", highlight=False)
    print_motion(console, view.to_dict())


@log_app.command("detach")
def log_detach(
    log_id: Annotated[str, typer.Argument(help="The log's id or a unique prefix (6+ characters).")],
) -> None:
    """Delete a session's motion recording (the session stays)."""
    from retrowalk.services.recordings import delete_recording

    db = open_database()
    try:
        with db.transaction() as session:
            deleted = delete_recording(session, log_id)
    finally:
        db.dispose()
    console.print(
        "Recording deleted; the session is kept." if deleted else "That session has no recording.",
        highlight=False,
    )
