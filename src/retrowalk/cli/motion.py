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
    from retrowalk.motion.direction import DirectionResult

#: Files larger than this show a progress bar while they are read and analysed (bytes).
PROGRESS_MIN_BYTES = 32 * 1024 * 1024
_FORMAT_HELP = (
    "auto, csv, phyphox, sensorlogger, oxford, oxford-accelerometer, ipol or mobgap "
    "(default auto: from the name and the first line)."
)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def summary_json(
    summary: MotionSummary, directions: list[DirectionResult] | None = None
) -> dict[str, Any]:
    """The JSON document printed by ``retrowalk analyze --json``.

    With ``directions`` (one per bout, ``--reference-forward``) each bout also gets
    ``direction``, ``direction_confidence`` and, when the direction is known, ``speed_m_s``.
    """
    doc: dict[str, Any] = {
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
    if directions is not None:
        for bout, b, d in zip(doc["bouts"], summary.bouts, directions, strict=True):
            bout["direction"] = d.direction
            bout["direction_confidence"] = round(d.confidence, 3)
            bout["speed_m_s"] = _speed_json(b.cadence_spm, d.direction)
    return doc


def _speed_json(cadence_spm: float, direction: str) -> dict[str, float] | None:
    from retrowalk.motion.speed import CADENCE_SPM_RANGE, speed_from_cadence

    if direction == "unknown" or not CADENCE_SPM_RANGE[0] <= cadence_spm <= CADENCE_SPM_RANGE[1]:
        return None
    est = speed_from_cadence(cadence_spm, direction)
    return {
        "low": round(est.low_m_s, 2),
        "central": round(est.central_m_s, 2),
        "high": round(est.high_m_s, 2),
    }


def _fmt(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def _print(
    summary: MotionSummary, path: Path, directions: list[DirectionResult] | None = None
) -> None:
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
    if directions is not None:
        table.add_column("direction (confidence)")
    for k, b in enumerate(summary.bouts):
        s = b.steadiness
        extra = (
            []
            if directions is None
            else [f"{directions[k].direction} ({directions[k].confidence:.2f})"]
        )
        table.add_row(
            f"{b.start_s:.1f}",
            f"{b.end_s:.1f}",
            str(b.steps),
            f"{b.cadence_spm:.1f}",
            _fmt(s.step_regularity, ".2f"),
            _fmt(s.stride_regularity, ".2f"),
            _fmt(s.step_time_cv_pct, ".1f"),
            _fmt(s.harmonic_ratio_vertical, ".2f"),
            *extra,
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
    reference_forward: Annotated[
        str | None,
        typer.Option(
            "--reference-forward",
            help="START_S-END_S: known forward walking, to tell each bout's direction.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Count steps and find walking bouts, with cadence and steadiness, in an inertial recording."""
    from retrowalk.motion import analyze, analyze_chunks
    from retrowalk.motion.direction import bout_directions, parse_interval_s
    from retrowalk.motion.readers import iter_chunks, read

    if reference_forward is not None:
        # Direction needs the whole signal: the file is read into memory.
        reference = parse_interval_s(reference_forward)
        recording = read(
            file,
            fmt,
            acc_unit=acc_unit,  # type: ignore[arg-type]  # checked by the reader
            rate_hz=sampling_rate,
            trial=trial,
        )
        if reference[1] > recording.duration_s:
            from retrowalk.errors import InvalidInputError

            raise InvalidInputError(
                "--reference-forward",
                reference_forward,
                f"an interval inside the recording (0-{recording.duration_s:.0f} s)",
            )
        whole = analyze(recording)
        _, directions = bout_directions(
            recording, [(b.start_s, b.end_s) for b in whole.bouts], reference
        )
        if as_json:
            typer.echo(json.dumps(summary_json(whole, directions), indent=2))
        else:
            _print(whole, file, directions)
        return

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
