"""Walking bouts: consecutive steps with no break longer than :data:`MAX_BREAK_S`.

The bout rules are those of the Mobilise-D consensus on walking bouts (Kluge et al., PLoS ONE
16(8):e0256541, 2021): a walking bout holds at least two strides (:data:`MIN_STEPS` = 4 steps)
and a rest of more than 3 s between two steps ends it. Start and end are the first and last step;
cadence is 60 / the median step time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from retrowalk.motion.recording import FloatArray
from retrowalk.motion.steadiness import Steadiness

#: A break longer than this (s) between two steps ends a bout (Kluge et al. 2021).
MAX_BREAK_S = 3.0
#: Fewest steps in a bout: two strides (Kluge et al. 2021).
MIN_STEPS = 4


@dataclass(frozen=True)
class Bout:
    """One walking bout; times in seconds from the start of the recording."""

    start_s: float
    end_s: float
    steps: int
    cadence_spm: float
    steadiness: Steadiness

    @property
    def duration_s(self) -> float:
        return self.end_s - self.start_s


def cadence_spm(step_times_s: FloatArray) -> float:
    """Steps per minute of a bout: 60 / the median step time.

    Cadence is 60 s over the step time (Hausdorff 2005 reviews step-time measures); the median
    makes it robust to a missed step (one doubled interval) or an extra one at a bout's edge.
    """
    if step_times_s.shape[0] < 2:
        return 0.0
    median = float(np.median(np.diff(step_times_s)))
    return 60.0 / median if median > 0 else 0.0


@dataclass
class BoutDetector:
    """Groups step times into bouts; call :meth:`detect`, then read ``bouts_s_``.

    ``bouts_s_`` is an (M, 2) array of [first step, last step] times, ``bout_of_step_`` the bout
    number of each step (-1 for steps in no bout). Steadiness needs the signal: see
    :func:`retrowalk.motion.analysis.analyze`.
    """

    max_break_s: float = MAX_BREAK_S
    min_steps: int = MIN_STEPS

    bouts_s_: FloatArray = field(init=False, repr=False)
    bout_of_step_: np.ndarray[tuple[int], np.dtype[np.int64]] = field(init=False, repr=False)

    def detect(self, step_times_s: FloatArray) -> BoutDetector:
        n = step_times_s.shape[0]
        label = np.full(n, -1, dtype=np.int64)
        bounds: list[tuple[float, float]] = []
        if n:
            breaks = np.flatnonzero(np.diff(step_times_s) > self.max_break_s) + 1
            starts = np.concatenate([[0], breaks])
            stops = np.concatenate([breaks, [n]])
            for a, b in zip(starts, stops, strict=True):
                if b - a >= self.min_steps:
                    label[a:b] = len(bounds)
                    bounds.append((float(step_times_s[a]), float(step_times_s[b - 1])))
        self.bouts_s_ = np.asarray(bounds, dtype=np.float64).reshape(-1, 2)
        self.bout_of_step_ = label
        return self
