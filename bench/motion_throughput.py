"""Throughput and memory of ``retrowalk analyze`` on a long synthetic recording.

Run from the repository root::

    .venv/bin/python bench/motion_throughput.py            # 7 days at 100 Hz (60.5 M samples)
    .venv/bin/python bench/motion_throughput.py --days 1   # quicker

Writes a synthetic tri-axial CSV (``timestamp_ms,ax,ay,az``, m/s², gravity included; every hour
10 minutes of walking at 108 steps/min in 2-minute bouts, the rest standing still with sensor
noise) to a temporary folder, then measures, each in a fresh process:

1. *read*: the reader alone (``iter_chunks``: decompress, parse, scale), the baseline;
2. *read + analyse*: ``analyze_chunks(iter_chunks(...))``, what ``retrowalk analyze`` does.

Prints wall and CPU time, samples per second per core (CPU time), the analysis' own CPU time
(measured in the second process, outside the reader's calls), the peak resident memory of each
process and the steps found against the steps written.
Target (issue 16): under 1 GB of memory, total time close to the time to read the file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

RATE_HZ = 100
CADENCE_SPM = 108.0
WALK_S_PER_HOUR = 600
BOUT_S = 120


def hour_of_acceleration() -> tuple[list[str], int]:
    """One hour of samples as text (without the time column) and its number of steps."""
    n = 3600 * RATE_HZ
    t = np.arange(n) / RATE_HZ
    rng = np.random.default_rng(7)
    f = CADENCE_SPM / 60.0
    walking = np.zeros(n, dtype=bool)
    steps = 0
    slots = 3600 // (WALK_S_PER_HOUR // BOUT_S + 1)  # bouts spread over the hour
    for k in range(WALK_S_PER_HOUR // BOUT_S):
        a = k * slots * RATE_HZ
        walking[a : a + BOUT_S * RATE_HZ] = True
        steps += round(BOUT_S * f)
    phase = 2 * np.pi * f * t
    vertical = 2.0 * (np.sin(phase) + 0.25 * np.sin(phase / 2)) * walking
    acc = np.column_stack(
        [0.8 * np.sin(phase + 1.0) * walking, 0.5 * np.sin(phase / 2) * walking, 9.81 + vertical]
    )
    acc += rng.normal(0.0, 0.05, acc.shape)
    # a phone tilted 30 degrees: the analysis must find the vertical itself
    c, s = np.cos(np.pi / 6), np.sin(np.pi / 6)
    acc = acc @ np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    lines = [f"{x:.3f},{y:.3f},{z:.3f}\n" for x, y, z in acc.tolist()]
    return lines, steps


def write(path: Path, days: float) -> tuple[int, int]:
    lines, steps_per_hour = hour_of_acceleration()
    hours = round(days * 24)
    per_hour = len(lines)
    with path.open("w") as fh:
        fh.write("timestamp_ms,ax,ay,az\n")
        for h in range(hours):
            base = h * per_hour
            fh.write("".join(f"{(base + i) * 10}," + line for i, line in enumerate(lines)))
    return hours * per_hour, hours * steps_per_hour


def child(mode: str, path: str) -> None:
    from retrowalk.motion import analyze_chunks
    from retrowalk.motion.readers import iter_chunks

    wall0, cpu0 = time.perf_counter(), time.process_time()
    samples = 0
    steps = None
    reading_cpu = 0.0
    if mode == "read":
        for chunk in iter_chunks(path):
            samples += chunk.n_samples
    else:

        def counted():  # type: ignore[no-untyped-def]
            nonlocal samples, reading_cpu
            chunks = iter_chunks(path)
            while True:
                started = time.process_time()
                chunk = next(chunks, None)
                reading_cpu += time.process_time() - started
                if chunk is None:
                    return
                samples += chunk.n_samples
                yield chunk

        steps = analyze_chunks(counted()).steps
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "wall": wall,
                "cpu": cpu,
                "samples": samples,
                "rss_mb": rss_mb,
                "steps": steps,
                "reading_cpu": reading_cpu,
            }
        )
    )


def run_child(mode: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", mode, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--child", nargs=2, metavar=("MODE", "PATH"))
    parser.add_argument("--keep", type=Path, help="write the file here and keep it")
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="retrowalk-bench-")) if args.keep is None else args.keep
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic_{args.days:g}d_{RATE_HZ}hz.csv"
    t0 = time.perf_counter()
    samples, steps_written = write(path, args.days)
    size_gb = path.stat().st_size / 1e9
    print(f"# Motion throughput: synthetic {args.days:g} days at {RATE_HZ} Hz")
    print(
        f"file: {samples:,} samples, {size_gb:.2f} GB CSV, written in "
        f"{time.perf_counter() - t0:.0f} s; {steps_written:,} steps written"
    )
    read = run_child("read", path)
    full = run_child("analyze", path)
    analysis_cpu = max(full["cpu"] - full["reading_cpu"], 1e-9)
    print(
        f"read only:        wall {read['wall']:7.1f} s, CPU {read['cpu']:7.1f} s, "
        f"{read['samples'] / read['cpu'] / 1e6:6.2f} M samples/s per core, "
        f"peak memory {read['rss_mb']:.0f} MB"
    )
    print(
        f"read + analyse:   wall {full['wall']:7.1f} s, CPU {full['cpu']:7.1f} s, "
        f"{full['samples'] / full['cpu'] / 1e6:6.2f} M samples/s per core, "
        f"peak memory {full['rss_mb']:.0f} MB"
    )
    print(
        f"analysis alone:   CPU {analysis_cpu:7.1f} s (outside the reader, same process), "
        f"{full['samples'] / analysis_cpu / 1e6:6.2f} M samples/s per core"
    )
    print(
        f"total / read time: wall {full['wall'] / read['wall']:.2f}x, "
        f"CPU {full['cpu'] / read['cpu']:.2f}x (CPU is the steadier figure on a shared machine)"
    )
    print(
        f"steps found: {full['steps']:,} of {steps_written:,} written "
        f"({100 * (full['steps'] - steps_written) / steps_written:+.2f} %)"
    )
    if args.keep is None:
        path.unlink()
        os.rmdir(folder)
    ok = full["rss_mb"] < 1024
    print(f"{'met ' if ok else 'MISSED'}  peak memory under 1 GB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
