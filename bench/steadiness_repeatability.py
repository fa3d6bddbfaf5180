"""Test-retest variability of the steadiness measures: SEM and MDC95 on repeated walks.

Run from the repository root::

    .venv/bin/python bench/steadiness_repeatability.py

The smallest change the data can detect in a steadiness measure is its minimal detectable
change, MDC95 = 1.96 x sqrt(2) x SEM, where the standard error of measurement SEM is estimated
from two repeated walks of the same person as SD(difference) / sqrt(2) (Weir, J Strength Cond
Res 19:231-240, 2005; Haley & Fragala-Pinkham, Phys Ther 86:735-743, 2006). Repeated walks:

- ``data/ipol-healthy-gait-imu``: 19 healthy adults, lower-back IMU; the 10 m walked out and the
  10 m walked back after the U-turn are two walks of the same person in the same trial (the
  U-turn itself is left out): 19 pairs.
- ``data/oxford-step-counter``: 2 people x 6 phone positions, about 3.3 min of walking each
  (validation) and 2-3.7 min (optimisation): the first and second halves of each recording are
  two walks of the same person with the phone in the same place: 24 pairs.

Both are repeats within one session: they leave out day-to-day variation, so the MDC printed
is a lower bound of the change between weeks (docs/evidence.md says so). Prints for each measure
and data set: pairs, mean, SD between people, SEM, MDC95 and the ICC(3,1) (consistency).
The figure RetroWalk uses is ``STEP_REGULARITY_MDC95`` in ``retrowalk.progress.steadiness``
(the Oxford one); the script exits 1 when it no longer matches what it measures.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np

from retrowalk.motion import analyze
from retrowalk.motion.datasets import IPOL_RATE_HZ, oxford_optimisation, oxford_validation
from retrowalk.motion.readers import read
from retrowalk.motion.recording import Recording
from retrowalk.progress.steadiness import STEP_REGULARITY_MDC95

DATA = Path(__file__).resolve().parents[1] / "data"
MEASURES = ("step_regularity", "stride_regularity", "step_time_cv_pct", "harmonic_ratio_vertical")


def piece(rec: Recording, start_s: float, end_s: float) -> Recording:
    keep = (rec.time_s >= start_s) & (rec.time_s < end_s)
    return Recording(
        time_s=rec.time_s[keep],
        acc_m_s2=rec.acc_m_s2[keep],
        sampling_rate_hz=rec.sampling_rate_hz,
        source=rec.source,
    )


def measures(rec: Recording) -> dict[str, float | None]:
    """Step-weighted mean of each measure over the walking bouts (as a session's segment)."""
    bouts = analyze(rec).bouts
    out: dict[str, float | None] = {}
    for name in MEASURES:
        pairs = [(getattr(b.steadiness, name), b.steps) for b in bouts]
        pairs = [(v, n) for v, n in pairs if v is not None]
        out[name] = (
            float(np.average([v for v, _ in pairs], weights=[n for _, n in pairs]))
            if pairs
            else None
        )
    return out


def ipol_pairs() -> list[tuple[dict[str, float | None], dict[str, float | None]]]:
    pairs = []
    for meta_path in sorted((DATA / "ipol-healthy-gait-imu" / "GaitData").glob("*.json")):
        meta = json.loads(meta_path.read_text())
        stem = meta_path.name.removesuffix(".json")
        rec = read(next(meta_path.parent.glob(f"{stem}_lb.txt*")), "ipol")
        start, end = (v / IPOL_RATE_HZ for v in meta["TrialBoundaries"])
        turn_start, turn_end = (v / IPOL_RATE_HZ for v in meta["UTurnBoundaries"])
        pairs.append((measures(piece(rec, start, turn_start)), measures(piece(rec, turn_end, end))))
    return pairs


def oxford_pairs() -> list[tuple[dict[str, float | None], dict[str, float | None]]]:
    folder = DATA / "oxford-step-counter"
    recs = [oxford_validation(p).recording for p in sorted((folder / "validation").glob("*.csv*"))]
    recs += [
        oxford_optimisation(p).recording
        for p in sorted((folder / "optimisation" / "data").iterdir())
        if p.is_dir()
    ]
    pairs = []
    for rec in recs:
        middle = rec.time_s[0] + rec.duration_s / 2
        pairs.append(
            (
                measures(piece(rec, rec.time_s[0], middle)),
                measures(piece(rec, middle, rec.time_s[-1] + 1)),
            )
        )
    return pairs


def repeatability(first: np.ndarray, second: np.ndarray) -> dict[str, float]:
    """SEM = SD(diff)/sqrt(2); MDC95 = 1.96 sqrt(2) SEM; ICC(3,1) from the two-way ANOVA."""
    diff = second - first
    sem = float(np.std(diff, ddof=1)) / math.sqrt(2)
    both = np.stack([first, second], axis=1)
    n, k = both.shape
    grand = both.mean()
    ms_rows = k * float(np.sum((both.mean(axis=1) - grand) ** 2)) / (n - 1)
    ss_cols = n * float(np.sum((both.mean(axis=0) - grand) ** 2))
    ss_total = float(np.sum((both - grand) ** 2))
    ms_error = (ss_total - ms_rows * (n - 1) - ss_cols) / ((n - 1) * (k - 1))
    icc = (ms_rows - ms_error) / (ms_rows + (k - 1) * ms_error)
    return {
        "n": n,
        "mean": float(both.mean()),
        "sd_between": float(np.std(both.mean(axis=1), ddof=1)),
        "mean_diff": float(diff.mean()),
        "sem": sem,
        "mdc95": 1.96 * math.sqrt(2) * sem,
        "icc": icc,
    }


def report(
    title: str, pairs: list[tuple[dict[str, float | None], dict[str, float | None]]]
) -> dict[str, dict[str, float]]:
    print(f"\n## {title}")
    print(
        f"{'measure':<24} {'pairs':>5} {'mean':>7} {'SD betw':>8} {'bias':>7} "
        f"{'SEM':>7} {'MDC95':>7} {'ICC':>5}"
    )
    out = {}
    for name in MEASURES:
        ok = [(a[name], b[name]) for a, b in pairs if a[name] is not None and b[name] is not None]
        if len(ok) < 3:
            print(f"{name:<24} {len(ok):>5}  (too few pairs)")
            continue
        r = repeatability(np.array([a for a, _ in ok]), np.array([b for _, b in ok]))
        out[name] = r
        print(
            f"{name:<24} {r['n']:>5} {r['mean']:>7.3f} {r['sd_between']:>8.3f} "
            f"{r['mean_diff']:>+7.3f} {r['sem']:>7.3f} {r['mdc95']:>7.3f} {r['icc']:>5.2f}"
        )
    return out


def main() -> int:
    ipol_r = report("IPOL: 10 m out vs 10 m back (19 adults, lower back)", ipol_pairs())
    oxford_r = report(
        "Oxford: first vs second half (2 people x 12 recordings, phone)", oxford_pairs()
    )
    used = oxford_r["step_regularity"]["mdc95"]
    print(
        f"\nRetroWalk uses STEP_REGULARITY_MDC95 = {STEP_REGULARITY_MDC95:g}: the Oxford figure "
        f"({used:.3f}), whose walks (about 1-2 min) are as long as a session's backward walking "
        f"(sessions with less are left out); the IPOL 10 m walks give "
        f"{ipol_r['step_regularity']['mdc95']:.3f}"
    )
    return 0 if math.isclose(round(used, 2), STEP_REGULARITY_MDC95) else 1


if __name__ == "__main__":
    sys.exit(main())
