"""Initial contacts, walking bouts and cadence against IPOL and mobgap reference annotations.

Run from the repository root::

    .venv/bin/python bench/gait_validation.py

Data: ``data/ipol-healthy-gait-imu`` (19 healthy adults, lower-back IMU, every footstep
annotated; AGPL-3.0 data, see its README) and ``data/mobgap-example-lab`` (Mobilise-D lab
examples: 3 participants, lower-back IMU, INDIP reference initial contacts and walking bouts;
Apache-2.0). Prints per recording and in total:

- step (initial contact) sensitivity and precision within +/- ``TOLERANCE_S``, over the whole
  recording and, as in Mobilise-D's evaluation of initial-contact detection, counting only
  detections inside the reference bouts (+/- the tolerance);
- time-wise bout sensitivity and precision (seconds of walking in both / in the reference /
  in ours);
- cadence relative error per reference bout, against our bout overlapping it most (IPOL's
  reference cadence is computed from its contacts as ours is from our steps: 60 / median step
  time; mobgap's is INDIP's own);
- step count error inside each reference bout (our steps vs reference contacts in its span).

Published anchor (Micó-Amigo et al., JNER 2023, real world): initial-contact sensitivity > 0.79,
precision > 0.89; cadence relative error < 8.5 %; bout sensitivity > 0.73, precision > 0.75.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

import numpy as np

from retrowalk.motion import analyze
from retrowalk.motion.datasets import ReferenceGait, ipol, mobgap
from retrowalk.motion.validation import Agreement, match_bouts, match_events

DATA = Path(__file__).resolve().parents[1] / "data"
#: Tolerance for matching a detected step to a reference initial contact (s).
TOLERANCE_S = 0.25


def add(a: Agreement, b: Agreement) -> Agreement:
    return Agreement(a.tp + b.tp, a.fp + b.fp, a.fn + b.fn)


def inside(times: np.ndarray, bouts: np.ndarray, margin: float) -> np.ndarray:
    keep = np.zeros(times.shape[0], dtype=bool)
    for s, e in bouts:
        keep |= (times >= s - margin) & (times <= e + margin)
    return times[keep]


def evaluate(title: str, refs: list[ReferenceGait]) -> None:
    print(f"\n## {title} (tolerance {TOLERANCE_S} s)")
    print(
        f"{'recording':<26} {'ref IC':>6} {'ours':>5} {'IC sens':>7} {'IC prec':>7} "
        f"{'in-bout prec':>12} {'bout sens':>9} {'bout prec':>9} {'cadence err %':>14}"
    )
    total_ic = total_in = total_bout = Agreement(0, 0, 0)
    cadence_errors: list[float] = []
    count_within: list[float] = []
    offsets: list[float] = []
    for ref in refs:
        summary = analyze(ref.recording)
        steps = summary.step_times_s
        ic = match_events(steps, ref.initial_contacts_s, TOLERANCE_S)
        ic_in = match_events(
            inside(steps, ref.bouts_s, TOLERANCE_S), ref.initial_contacts_s, TOLERANCE_S
        )
        ours = np.array([[b.start_s, b.end_s] for b in summary.bouts]).reshape(-1, 2)
        bout = match_bouts(ours, ref.bouts_s)
        errs = []
        for (s, e), cadence in zip(ref.bouts_s, ref.cadence_spm, strict=True):
            overlap = [max(0.0, min(e, b.end_s) - max(s, b.start_s)) for b in summary.bouts]
            if overlap and max(overlap) > 0:
                ours_cad = summary.bouts[int(np.argmax(overlap))].cadence_spm
                errs.append(100.0 * abs(ours_cad - cadence) / cadence)
        for t in ref.initial_contacts_s:
            if steps.size:
                d = steps - t
                nearest = d[np.argmin(np.abs(d))]
                if abs(nearest) <= TOLERANCE_S:
                    offsets.append(float(nearest))
        for s, e in ref.bouts_s:
            inside_ref = (ref.initial_contacts_s >= s - TOLERANCE_S) & (
                ref.initial_contacts_s <= e + TOLERANCE_S
            )
            n_ref = int(np.sum(inside_ref))
            n_in = int(np.sum((steps >= s - TOLERANCE_S) & (steps <= e + TOLERANCE_S)))
            if n_ref:
                count_within.append(100.0 * abs(n_in - n_ref) / n_ref)
        cadence_errors.extend(errs)
        total_ic, total_in, total_bout = (
            add(total_ic, ic),
            add(total_in, ic_in),
            add(total_bout, bout),
        )
        cad = ", ".join(f"{x:.1f}" for x in errs) if errs else "not detected"
        print(
            f"{ref.name:<26} {ref.initial_contacts_s.size:>6} {steps.size:>5} "
            f"{ic.sensitivity:>7.2f} {ic.precision:>7.2f} {ic_in.precision:>12.2f} "
            f"{bout.sensitivity:>9.2f} {bout.precision:>9.2f} {cad:>14}"
        )
    n_ref_bouts = sum(r.bouts_s.shape[0] for r in refs)
    print(
        f"TOTAL initial contacts: sensitivity {total_ic.sensitivity:.3f}, precision "
        f"{total_ic.precision:.3f} (inside reference bouts: {total_in.precision:.3f}); "
        f"median timing offset {statistics.median(offsets) * 1000:+.0f} ms"
    )
    print(
        f"TOTAL bouts (time-wise): sensitivity {total_bout.sensitivity:.3f}, precision "
        f"{total_bout.precision:.3f}"
    )
    if cadence_errors:
        print(
            f"TOTAL cadence relative error: median {statistics.median(cadence_errors):.1f} %, "
            f"mean {statistics.fmean(cadence_errors):.1f} % over {len(cadence_errors)} of "
            f"{n_ref_bouts} reference bouts found (our bout overlapping each most)"
        )
    if count_within:
        print(
            f"TOTAL step count error inside each reference bout: median "
            f"{statistics.median(count_within):.1f} %, mean {statistics.fmean(count_within):.1f} %"
            f" over {len(count_within)} bouts"
        )


def main() -> int:
    ipol_refs = [
        ipol(p)
        for p in sorted(
            (DATA / "ipol-healthy-gait-imu/GaitData").glob("*.json"),
            key=lambda p: int(p.name.split("-")[0]),
        )
    ]
    mobgap_refs = []
    for mat in sorted((DATA / "mobgap-example-lab/lab").glob("*/*/data.mat")):
        for trial in ("Test5/Trial1", "Test5/Trial2", "Test11/Trial1"):
            ref = mobgap(mat, trial)
            if ref.initial_contacts_s.size:
                mobgap_refs.append(ref)
    print("# Gait events, bouts and cadence from a lower-back IMU")
    evaluate(
        "IPOL: 19 healthy adults, 10 m walk, U-turn, 10 m back (foot strike = contact)", ipol_refs
    )
    evaluate(
        "mobgap lab examples: INDIP reference (Test5 straight walk, Test11 daily life)", mobgap_refs
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
