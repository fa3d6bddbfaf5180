"""How long ``retrowalk --help`` and ``--version`` take to start, against bare Python and Typer.

Run from the repository root::

    .venv/bin/python bench/cli_start.py [REPETITIONS]

Each command runs REPETITIONS times (default 20) as a new process, the commands interleaved so that
other work on the machine slows them alike; the median and the 90th percentile of the wall time are
printed. Targets (issue 12): ``retrowalk --help`` at most 0.3 s and at most 2 times
``python -c "import typer"`` (medians). Exits 1 if a target is missed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET_HELP_S = 0.3
TARGET_TIMES_TYPER = 2.0


def retrowalk_command() -> list[str]:
    """The console script beside this Python (what a user runs), else ``python -m retrowalk``."""
    script = Path(sys.executable).parent / "retrowalk"
    found = str(script) if script.exists() else shutil.which("retrowalk")
    return [found] if found else [sys.executable, "-m", "retrowalk"]


def wall_time_s(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    repetitions = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    cli = retrowalk_command()
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import typer'": [sys.executable, "-c", "import typer"],
        "retrowalk --help": [*cli, "--help"],
        "retrowalk --version": [*cli, "--version"],
    }
    for command in commands.values():  # warm the file cache and the bytecode
        wall_time_s(command)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repetitions):
        for name, command in commands.items():
            times[name].append(wall_time_s(command))
    load_1min = os.getloadavg()[0]
    cpus = os.cpu_count()
    print(f"{repetitions} runs each, interleaved; load average {load_1min:.2f} on {cpus} CPUs")
    print(f"{'command':<26} {'median s':>9} {'p90 s':>7}")
    medians = {}
    for name, samples in times.items():
        medians[name] = statistics.median(samples)
        p90 = statistics.quantiles(samples, n=10)[-1]
        print(f"{name:<26} {medians[name]:>9.3f} {p90:>7.3f}")
    help_s = medians["retrowalk --help"]
    typer_s = medians["python -c 'import typer'"]
    times_pass = help_s / medians["python -c pass"]
    times_typer = help_s / typer_s
    version_times_typer = medians["retrowalk --version"] / typer_s
    print(
        f"retrowalk --help: {times_pass:.1f}x python -c pass, {times_typer:.2f}x the Typer import; "
        f"--version: {version_times_typer:.2f}x the Typer import"
    )
    print(
        f"targets: retrowalk --help median <= {TARGET_HELP_S} s and <= {TARGET_TIMES_TYPER:g}x "
        "the Typer import (baseline before issue 12: about 1.5 s, 80x python -c pass)"
    )
    met = help_s <= TARGET_HELP_S and times_typer <= TARGET_TIMES_TYPER
    print("targets met" if met else "TARGET MISSED")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
