"""Step counts on the Oxford Step Counter recordings: ours, the Oxford app's and the phone's.

Run from the repository root::

    .venv/bin/python bench/steps_validation.py

Reads ``data/oxford-step-counter`` (CC BY 4.0, see its README). Prints, per recording and phone
position, the true steps (foot switches), RetroWalk's count, the Oxford app's own count and the
phone's hardware step counter (user 2 of the validation set only), the absolute % errors and
their median and mean per counter. The *validation* set is the test set; the *optimisation*
set was used to choose the detector's thresholds and is shown separately.

Targets (issue 16): median absolute error <= 3 % on the validation set, lower than the Oxford
app's and the hardware counter's on the same files, no position over 10 %. Exits 1 if missed.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from retrowalk.motion import analyze
from retrowalk.motion.datasets import OxfordRecording, oxford_optimisation, oxford_validation

DATA = Path(__file__).resolve().parents[1] / "data" / "oxford-step-counter"
TARGET_MEDIAN_PCT = 3.0
TARGET_MAX_PCT = 10.0


def pct(count: int | None, true: int) -> float | None:
    return None if count is None else 100.0 * abs(count - true) / true


def cell(count: int | None, true: int) -> str:
    e = pct(count, true)
    return f"{'-':>5} {'':>6}" if count is None or e is None else f"{count:>5} {e:>5.1f}%"


def stats(errors: list[float]) -> str:
    if not errors:
        return "n/a"
    return f"median {statistics.median(errors):.2f} %, mean {statistics.fmean(errors):.2f} %"


def table(title: str, recordings: list[OxfordRecording]) -> dict[str, list[float]]:
    print(f"\n## {title}")
    print(
        f"{'recording':<22} {'position':<12} {'true':>5} {'ours':>12} {'oxford app':>12} "
        f"{'hardware':>12}"
    )
    errors: dict[str, list[float]] = {"ours": [], "app": [], "hw": [], "ours_hw_files": []}
    for rec in recordings:
        ours = analyze(rec.recording).steps
        print(
            f"{rec.name:<22} {rec.position:<12} {rec.true_steps:>5} "
            f"{cell(ours, rec.true_steps)} {cell(rec.app_steps, rec.true_steps)} "
            f"{cell(rec.hardware_steps, rec.true_steps)}"
        )
        e = pct(ours, rec.true_steps)
        assert e is not None
        errors["ours"].append(e)
        if (a := pct(rec.app_steps, rec.true_steps)) is not None:
            errors["app"].append(a)
        if (h := pct(rec.hardware_steps, rec.true_steps)) is not None:
            errors["hw"].append(h)
            errors["ours_hw_files"].append(e)
    print(f"ours:                        {stats(errors['ours'])}")
    if errors["app"]:
        print(f"Oxford app (same files):     {stats(errors['app'])}")
    if errors["hw"]:
        print(f"hardware counter (user 2):   {stats(errors['hw'])}")
        print(f"ours on the same 6 files:    {stats(errors['ours_hw_files'])}")
    return errors


def main() -> int:
    started = time.perf_counter()
    validation = [oxford_validation(p) for p in sorted((DATA / "validation").glob("*.csv*"))]
    optimisation = [oxford_optimisation(p) for p in sorted((DATA / "optimisation/data").iterdir())]
    print("# Step counting, Oxford Step Counter data (phone, 6 positions, foot-switch truth)")
    val = table("validation set (test: 2 users x 6 positions)", validation)
    table("optimisation subset (used to choose thresholds: 2 users x 6 positions)", optimisation)
    med = statistics.median(val["ours"])
    worst = max(val["ours"])
    checks = {
        f"median <= {TARGET_MEDIAN_PCT} %": med <= TARGET_MEDIAN_PCT,
        "median below the Oxford app's": med < statistics.median(val["app"]),
        "mean below the Oxford app's": statistics.fmean(val["ours"]) < statistics.fmean(val["app"]),
        "median below the hardware counter's (same files)": statistics.median(val["ours_hw_files"])
        < statistics.median(val["hw"]),
        "mean below the hardware counter's (same files)": statistics.fmean(val["ours_hw_files"])
        < statistics.fmean(val["hw"]),
        f"no position over {TARGET_MAX_PCT} %": worst <= TARGET_MAX_PCT,
    }
    print("\n## targets (validation set)")
    for name, ok in checks.items():
        print(f"{'met ' if ok else 'MISSED'}  {name}")
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
