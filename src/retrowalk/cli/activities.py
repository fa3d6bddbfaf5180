"""``retrowalk import-activity FILE...`` and ``retrowalk activity show|mark|duplicates``: walks
from watches in (the plan goes back out with ``retrowalk plan export-workout|calendar``, in
:mod:`retrowalk.cli.plans`).

Parsing libraries are imported only when a file is read (the command line starts fast).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from retrowalk.cli.app import app
from retrowalk.cli.render import console, minutes
from retrowalk.errors import ImportFileError, InvalidInputError
from retrowalk.services.activities import (
    ImportedView,
    ImportOptions,
    ImportResult,
    check_options,
    find_duplicates,
    get_imported,
    import_file,
    set_lap_directions,
)
from retrowalk.services.database import open_database
from retrowalk.vocabulary import Direction

activity_app = typer.Typer(
    help="Walks imported from watches and apps: show, mark laps, find duplicates.",
    no_args_is_help=True,
)
app.add_typer(activity_app, name="activity")

#: Exit status when some files of a batch were refused (the others were imported).
EXIT_SOME_REFUSED = 1


def _error_line(err: Console, text: str) -> None:
    err.print("error: " + " ".join(text.split()), markup=False, highlight=False, soft_wrap=True)


@app.command("import-activity")
def import_activity(
    files: Annotated[
        list[Path], typer.Argument(help="FIT, GPX or TCX files, or an Apple Health export.zip.")
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="When a walk is already logged at that time, keep this file's instead "
            "(default: store it, count the walk once and let you choose: 'retrowalk log keep').",
        ),
    ] = False,
    environment: Annotated[
        str | None,
        typer.Option(help="Where you walked, for laps not matched to the plan (e.g. track)."),
    ] = None,
    support: Annotated[
        str, typer.Option(help="What you held, for laps not matched to the plan.")
    ] = "none",
    as_json: Annotated[bool, typer.Option("--json", help="Print results as JSON.")] = False,
) -> None:
    """Import recorded walks as session logs, one line per file (bad files are skipped)."""
    from rich.progress import Progress

    options = check_options(
        ImportOptions(
            on_duplicate="replace" if replace else "mark",
            environment=environment,
            support=support,
        )
    )
    err = Console(stderr=True)
    results: list[ImportResult] = []
    refused: list[dict[str, str]] = []
    db = open_database()
    try:
        with Progress(console=err, transient=True, disable=len(files) < 2 or as_json) as bar:
            task = bar.add_task("Importing", total=len(files))
            for path in files:
                try:
                    with db.transaction() as session:
                        found = import_file(session, path, options=options)
                except ImportFileError as exc:
                    refused.append({"file": path.name, "problem": exc.problem})
                    _error_line(err, str(exc))
                except InvalidInputError as exc:
                    refused.append({"file": path.name, "problem": str(exc)})
                    _error_line(err, f"{path.name}: nothing stored: {exc}")
                else:
                    results.extend(found)
                    if not as_json:
                        for result in found:
                            console.print(
                                result.message, markup=False, highlight=False, soft_wrap=True
                            )
                bar.advance(task)
    finally:
        db.dispose()
    if as_json:
        payload = {
            "results": [
                {
                    "file": r.file_name,
                    "position": r.position,
                    "status": r.status,
                    "message": r.message,
                    "log_id": None if r.log is None else r.log.id,
                    "other_log_id": r.other_log_id,
                }
                for r in results
            ],
            "refused": refused,
        }
        typer.echo(json.dumps(payload, indent=2))
    else:
        stored = sum(1 for r in results if r.log is not None)
        skipped = len(results) - stored
        console.print(
            f"{stored} imported, {skipped} not counted twice, {len(refused)} file(s) refused",
            highlight=False,
            soft_wrap=True,
        )
    if refused:
        raise typer.Exit(EXIT_SOME_REFUSED)


def _kcal(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _print_imported(view: ImportedView) -> None:
    log = view.log
    console.print(
        f"Log {log.id[:8]} from {view.file_name} ({view.file_format}"
        f"{', ' + view.device if view.device else ''}), {log.started_at:%Y-%m-%d %H:%M} UTC",
        highlight=False,
        markup=False,
    )
    table = Table(
        "lap", "time", "m", "m/s", "grade %", "bpm", "direction", "from", "kcal", "device"
    )
    for lap in view.laps:
        table.add_row(
            str(lap.number),
            minutes(lap.duration_s),
            "-" if lap.distance_m is None else f"{lap.distance_m:.0f}",
            "-" if lap.speed_m_s is None else f"{lap.speed_m_s:.2f}",
            "-" if lap.grade_pct is None else f"{lap.grade_pct:.1f}",
            "-" if lap.heart_rate_bpm is None else f"{lap.heart_rate_bpm:.0f}",
            lap.direction,
            lap.direction_source,
            _kcal(lap.energy_kcal),
            _kcal(lap.device_energy_kcal),
        )
    console.print(table)
    kind = "net (above rest)" if view.device_energy_kind == "active" else "gross"
    if view.device_energy_kcal is None:
        console.print("The device gave no energy figure.")
    elif view.energy_kcal is None:
        reason = log.energy.get("reason") or "no estimate"
        console.print(f"Device: {view.device_energy_kcal:.0f} kcal. RetroWalk: {reason}")
    else:
        console.print(
            f"Energy, {kind}: RetroWalk {view.energy_kcal:.0f} kcal (central), device "
            f"{view.device_energy_kcal:.0f} kcal: {view.difference_kcal or 0.0:+.0f} kcal "
            "(the device counts backward laps as forward walking)",
            highlight=False,
            soft_wrap=True,
        )


def _emit(view: ImportedView, as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(view.to_dict(), indent=2))
    else:
        _print_imported(view)


@activity_app.command("show")
def activity_show(
    log_id: Annotated[str, typer.Argument(help="Log id or unique prefix.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """An imported walk, lap by lap, with RetroWalk's energy beside the device's."""
    db = open_database()
    try:
        with db.transaction() as session:
            view = get_imported(session, log_id)
    finally:
        db.dispose()
    _emit(view, as_json)


@activity_app.command("mark")
def activity_mark(
    log_id: Annotated[str, typer.Argument(help="Log id or unique prefix.")],
    laps: Annotated[list[int], typer.Option("--lap", help="Lap number (repeat for several).")],
    backward: Annotated[
        bool, typer.Option("--backward/--forward", help="The direction walked in these laps.")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Correct the direction of laps; their energy is costed again."""
    direction = Direction.BACKWARD if backward else Direction.FORWARD
    db = open_database()
    try:
        with db.transaction() as session:
            view = set_lap_directions(session, log_id, dict.fromkeys(laps, direction))
    finally:
        db.dispose()
    _emit(view, as_json)


@activity_app.command("duplicates")
def activity_duplicates(
    as_json: Annotated[bool, typer.Option("--json", help="Print as JSON.")] = False,
) -> None:
    """Walks logged twice (imported and also played or typed in): keep one with
    'retrowalk log keep ID' (the other is deleted)."""
    db = open_database()
    try:
        with db.transaction() as session:
            pairs = find_duplicates(session)
    finally:
        db.dispose()
    if as_json:
        rows: list[dict[str, Any]] = [
            {
                "first_id": p.first_id,
                "first_source": p.first_source,
                "second_id": p.second_id,
                "second_source": p.second_source,
                "started_at": p.started_at.isoformat(),
            }
            for p in pairs
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    if not pairs:
        console.print("No walk is logged twice.")
        return
    for p in pairs:
        console.print(
            f"{p.started_at:%Y-%m-%d %H:%M} UTC: log {p.first_id[:8]} ({p.first_source}) and "
            f"log {p.second_id[:8]} ({p.second_source}) are the same walk; keep one with "
            f"'retrowalk log keep ID'",
            highlight=False,
            soft_wrap=True,
        )
