"""Direction check and step-length figures on the repository's data (forward walking only).

    .venv/bin/python bench/direction_validation.py

1. Oxford Step Counter, validation (12) and optimisation (12) recordings, phone in six positions:
   calibrate on 5-45 s (known forward walking), then classify every following 10 s stretch.
   All truth is *forward*: the figure is how often forward walking is called forward, unknown
   or (wrongly) backward.
2. IPOL healthy gait (19 adults, lower back): calibrate on the walk out (first 10 m), classify
   the walk back after the U-turn (forward again, device turned with the body).
3. Development aid only, NOT evidence about backward walking: the same stretches played
   backwards in time, scored against the forward calibration.
4. Forward step length from IPOL: 10 m / footsteps on each leg (speed.FORWARD_STEP_LENGTH_M).

Baseline: the only published anchor is that none exists (docs/motion.md): no accuracy figure for
backward-vs-forward classification from a single body-worn IMU was found.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from retrowalk.motion import datasets
from retrowalk.motion.direction import calibrate, classify, direction_signals, reversed_in_time
from retrowalk.motion.recording import Recording

DATA = Path(__file__).resolve().parents[1] / "data"
REFERENCE_S = (5.0, 45.0)
STRETCH_S = 10.0


def _score(rec: Recording, ref: tuple[float, float], stretches: list[tuple[float, float]]):
    sig = direction_signals(rec)
    cal = calibrate(sig, *ref)
    fwd = [classify(sig, cal, a, b) for a, b in stretches]
    rev_sig = direction_signals(reversed_in_time(rec))
    d = rec.duration_s
    rev = [classify(rev_sig, cal, d - b, d - a) for a, b in stretches]
    return cal, fwd, rev


def _line(label: str, results: list) -> str:
    c = Counter(r.direction for r in results)
    n = len(results)
    conf = [r.confidence for r in results if r.direction != "unknown"]
    med = f"{np.median(conf):.3f}" if conf else "-"
    return (
        f"{label:<44} n={n:4d}  forward {c['forward']:4d} ({100 * c['forward'] / n:5.1f} %)  "
        f"backward {c['backward']:4d} ({100 * c['backward'] / n:5.1f} %)  "
        f"unknown {c['unknown']:4d} ({100 * c['unknown'] / n:5.1f} %)  median confidence {med}"
    )


def oxford() -> None:
    files = sorted((DATA / "oxford-step-counter" / "validation").glob("*.csv*"))
    recs = [datasets.oxford_validation(f) for f in files]
    recs += [
        datasets.oxford_optimisation(f)
        for f in sorted((DATA / "oxford-step-counter" / "optimisation" / "data").iterdir())
        if f.is_dir()
    ]
    fwd_all, rev_all = [], []
    per_position: dict[str, list] = {}
    unusable = 0
    for o in recs:
        end = o.recording.duration_s - 5.0
        stretches = [
            (s, s + STRETCH_S) for s in np.arange(REFERENCE_S[1], end - STRETCH_S, STRETCH_S)
        ]
        cal, fwd, rev = _score(o.recording, REFERENCE_S, stretches)
        unusable += not cal.usable
        fwd_all += fwd
        rev_all += rev
        per_position.setdefault(o.position, []).extend(fwd)
    print(f"Oxford: {len(recs)} recordings, calibration unusable in {unusable}")
    print(_line("forward stretches (truth: forward)", fwd_all))
    for pos, res in sorted(per_position.items()):
        print(_line(f"  {pos}", res))
    print(_line("time-reversed stretches (dev aid only)", rev_all))


def ipol() -> None:
    fwd_all, rev_all, lengths = [], [], []
    unusable = 0
    for j in sorted((DATA / "ipol-healthy-gait-imu" / "GaitData").glob("*-1.json")):
        meta = json.loads(j.read_text())
        rate = datasets.IPOL_RATE_HZ
        u0, u1 = (x / rate for x in meta["UTurnBoundaries"])
        ev = (
            np.sort(np.asarray(meta["LeftFootEvents"] + meta["RightFootEvents"], dtype=float)[:, 0])
            / rate
        )
        lengths += [10.0 / np.sum(ev < u0), 10.0 / np.sum(ev > u1)]
        rec = datasets.ipol(j).recording
        start, stop = ev[0], ev[-1]
        cal, fwd, rev = _score(rec, (start, u0), [(u1, stop)])
        unusable += not cal.usable
        fwd_all += fwd
        rev_all += rev
    print(f"IPOL: 19 walks, calibration (walk out, about 8-12 s) unusable in {unusable}")
    print(_line("walk back after the U-turn (truth: forward)", fwd_all))
    print(_line("time-reversed walk back (dev aid only)", rev_all))
    p = np.percentile(lengths, [5, 50, 95])
    print(
        f"IPOL forward step length (10 m / footsteps, {len(lengths)} legs): "
        f"5th {p[0]:.3f} m, median {p[1]:.3f} m, 95th {p[2]:.3f} m"
    )


if __name__ == "__main__":
    oxford()
    ipol()
