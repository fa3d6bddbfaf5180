"""Agreement measures between detected and reference steps and bouts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrowalk.motion.recording import FloatArray


@dataclass(frozen=True)
class Agreement:
    """True positives, false positives and false negatives, with the derived rates."""

    tp: float
    fp: float
    fn: float

    @property
    def sensitivity(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")


def match_events(detected_s: FloatArray, reference_s: FloatArray, tolerance_s: float) -> Agreement:
    """One-to-one matching of event times within ``tolerance_s`` (greedy, nearest first)."""
    det = np.sort(detected_s)
    ref = np.sort(reference_s)
    if det.size == 0 or ref.size == 0:
        return Agreement(0, float(det.size), float(ref.size))
    diff = np.abs(det[:, None] - ref[None, :])
    pairs = np.argwhere(diff <= tolerance_s)
    order = np.argsort(diff[pairs[:, 0], pairs[:, 1]], kind="stable")
    used_d: set[int] = set()
    used_r: set[int] = set()
    for i, j in pairs[order]:
        if i not in used_d and j not in used_r:
            used_d.add(int(i))
            used_r.add(int(j))
    tp = len(used_d)
    return Agreement(float(tp), float(det.size - tp), float(ref.size - tp))


def interval_overlap_s(a: FloatArray, b: FloatArray) -> float:
    """Total time covered by both interval lists (each (M, 2), non-overlapping within a list)."""
    total = 0.0
    for s0, e0 in a:
        for s1, e1 in b:
            total += max(0.0, min(e0, e1) - max(s0, s1))
    return total


def match_bouts(detected: FloatArray, reference: FloatArray) -> Agreement:
    """Time-wise agreement of bouts (seconds): TP = time in both, FP/FN = time in one only."""
    both = interval_overlap_s(detected, reference)
    det_total = float(np.sum(detected[:, 1] - detected[:, 0])) if detected.size else 0.0
    ref_total = float(np.sum(reference[:, 1] - reference[:, 0])) if reference.size else 0.0
    return Agreement(both, det_total - both, ref_total - both)
