"""Validate the energy model against every measured condition in ``energy_reference.csv``.

Run from the repository root::

    .venv/bin/python bench/energy_validation.py

The CSV is the repository's ``data/energy-reference/energy_reference.csv`` (see its README for
sources and licence). Exits 1 if a target (backward MAE <= 10 %, coverage 100 %, better than
both baselines) is missed.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from retrowalk import __version__
from retrowalk.energy.validation import (
    TARGET_COVERAGE,
    TARGET_MAE_PCT,
    MethodResult,
    ValidationReport,
    validate,
)

REFERENCE_CSV = (
    Path(__file__).resolve().parents[1] / "data" / "energy-reference" / "energy_reference.csv"
)


def print_method(method: MethodResult) -> None:
    print(f"\n## {method.name}")
    print(
        f"{'condition':<13} {'dir':<8} {'m/s':>6} {'grade':>6} {'measured':>9} "
        f"{'central':>8} {'low':>7} {'high':>7} {'error%':>7}  inside"
    )
    for p in method.predictions:
        c = p.condition
        grade = f"{c.grade_pct:g}{'*' if c.grade_assumed else ''}"
        print(
            f"{c.row_id:<13} {c.direction.value:<8} {c.speed_m_s:>6.3f} {grade:>6} "
            f"{c.measured_vo2_ml_kg_min:>9.2f} {p.predicted.central:>8.2f} "
            f"{p.predicted.low:>7.2f} {p.predicted.high:>7.2f} {p.error_pct:>+7.1f}  "
            f"{'yes' if p.inside else 'NO'}"
        )


def print_summary(report: ValidationReport) -> None:
    n = len(report.model.backward)
    print(f"\n## Summary on the {n} backward conditions (VO2, mL/kg/min)")
    print(f"{'method':<50} {'MAE %':>7} {'coverage':>9}")
    for method in (report.model, report.forward_baseline, report.met_baseline):
        print(f"{method.name:<50} {method.mae_pct:>7.1f} {method.coverage:>9.0%}")
    print(
        f"targets: MAE <= {TARGET_MAE_PCT:g}%, coverage {TARGET_COVERAGE:.0%}, beat both baselines"
    )


def main() -> int:
    path = REFERENCE_CSV
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    report = validate(rows)
    print(f"# RetroWalk {__version__} energy validation against {path.name}")
    print("* grade not stated in the source; taken as level")
    print_method(report.model)
    print_method(report.forward_baseline)
    print_method(report.met_baseline)
    print(f"\n## Rows not scored ({len(report.skipped)})")
    for skipped in report.skipped:
        print(f"{skipped.row_id:<17} {skipped.reason}")
    print_summary(report)
    failures = report.failures()
    if failures:
        print("TARGETS MISSED: " + "; ".join(failures))
        return 1
    print("all targets met (in-sample: the ratio band was synthesised from these conditions)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
