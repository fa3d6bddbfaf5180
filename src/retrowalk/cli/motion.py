"""``retrowalk analyze``: steps, cadence, walking bouts and steadiness of a motion recording.

NumPy and SciPy are imported inside the command, so that ``retrowalk --help`` stays fast.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn
from rich.table import Table

from retrowalk.cli.app import app
from retrowalk.cli.render import console

if TYPE_CHECKING:
    from retrowalk.motion import MotionSummary

#: Files larger than this show a progress bar while they are read and analysed (bytes).
PROGRESS_MIN_BYTES = 32 * 1024 * 1024
_FORMAT_HELP = (
    "auto, csv, phyphox, sensorlogger, oxford, oxford-accelerometer, ipol or mobgap "
    "(default auto: from the name and the first line)."
)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def summary_json(summary: MotionSummary) -> dict[str, Any]:
    """The JSON document printed by ``retrowalk analyze --json``."""
    return {
        "steps": summary.steps,
        "duration_s": round(summary.duration_s, 3),
        "walking_s": round(summary.walking_s, 3),
        "cadence_spm": _round(summary.cadence_spm, 2),
        "bouts": [
            {
                "start_s": round(b.start_s, 3),
                "end_s": round(b.end_s, 3),
                "steps": b.steps,
                "cadence_spm": round(b.cadence_spm, 2),
                "step_regularity": _round(b.steadiness.step_regularity, 3),
                "stride_regularity": _round(b.steadiness.stride_regularity, 3),
                "step_time_sd_s": _round(b.steadiness.step_time_sd_s, 4),
                "step_time_cv_pct": _round(b.steadiness.step_time_cv_pct, 2),
                "harmonic_ratio_vertical": _round(b.steadiness.harmonic_ratio_vertical, 3),
            }
            for b in summary.bouts
        ],
    }


def _fmt(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def _print(summary: MotionSummary, path: Path) -> None:
    table = Table(title=f"Walking bouts in {path.name}")
    for column in (
        "start s",
        "end s",
        "steps",
        "cadence /min",
        "step reg.",
        "stride reg.",
        "step time CV %",
        "harmonic ratio",
    ):
        table.add_column(column, justify="right")
    for b in summary.bouts:
        s = b.steadiness
        table.add_row(
            f"{b.start_s:.1f}",
            f"{b.end_s:.1f}",
            str(b.steps),
            f"{b.cadence_spm:.1f}",
            _fmt(s.step_regularity, ".2f"),
            _fmt(s.stride_regularity, ".2f"),
            _fmt(s.step_time_cv_pct, ".1f"),
            _fmt(s.harmonic_ratio_vertical, ".2f"),
        )
    console.print(table)
    cadence = summary.cadence_spm
    console.print(
        f"Total: {summary.steps} steps in {len(summary.bouts)} bouts, "
        f"{summary.walking_s:.0f} s of walking in {summary.duration_s:.0f} s"
        + (f", mean cadence {cadence:.1f} steps/min." if cadence is not None else ".")
    )
    console.print(
        "Regularity: 1 = every step alike (Moe-Nilssen & Helbostad 2004); harmonic ratio: higher "
        "is smoother (Menz et al. 2003). Validated on forward walking only."
    )


@app.command("analyze")
def analyze_command(
    file: Annotated[
        Path, typer.Argument(help="The recording: CSV, phone-app export or data set file.")
    ],
    fmt: Annotated[str, typer.Option("--format", help=_FORMAT_HELP)] = "auto",
    acc_unit: Annotated[
        str, typer.Option("--acc-unit", help="Acceleration unit: auto, m/s2 or g.")
    ] = "auto",
    sampling_rate: Annotated[
        float | None,
        typer.Option("--sampling-rate", help="Rate in Hz, for a CSV without a time column."),
    ] = None,
    trial: Annotated[
        str | None,
        typer.Option("--trial", help="mobgap data.mat only: Test/Trial, e.g. Test11/Trial1."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count steps and find walking bouts, with cadence and steadiness, in an inertial recording."""
    from retrowalk.motion import analyze_chunks
    from retrowalk.motion.readers import iter_chunks

    size = file.stat().st_size if file.is_file() else 0
    show = size >= PROGRESS_MIN_BYTES and not as_json
    progress = Progress(
        "[progress.description]{task.description}",
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=console,
        disable=not show,
        transient=True,
    )
    with progress:
        task = progress.add_task("analysing", total=size)
        chunks = iter_chunks(
            file,
            fmt,
            acc_unit=acc_unit,  # type: ignore[arg-type]  # checked by the reader
            rate_hz=sampling_rate,
            trial=trial,
            on_bytes=lambda done: progress.update(task, completed=done),
        )
        summary = analyze_chunks(chunks)
    if as_json:
        typer.echo(json.dumps(summary_json(summary), indent=2))
    else:
        _print(summary, file)
