"""Steadiness measures of a walking bout, each with its source.

- **Step and stride regularity** (Moe-Nilssen & Helbostad, J Biomech 37:121-126, 2004): the
  unbiased autocorrelation of the vertical trunk acceleration, normalised to 1 at lag 0, at the
  first dominant peak (one step) and the second (one stride). 1 is a perfectly repeated step.
- **Step-time variability**: the standard deviation and coefficient of variation of the
  step-to-step intervals (Hausdorff, J NeuroEng Rehabil 2:19, 2005, reviews the measure).
- **Harmonic ratio** of the vertical acceleration (Menz, Lord & Fitzpatrick, Gait Posture
  18:35-46, 2003): per stride, the sum of the amplitudes of the even harmonics of the stride
  frequency over the sum of the odd ones, first :data:`HARMONICS` harmonics; averaged over
  strides. Higher is smoother.

The regularity sums are additive, so a bout that spans chunks of a long recording gets the same
value as if it had been analysed whole.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from retrowalk.motion.recording import FloatArray

#: Harmonics of the stride frequency in the harmonic ratio (Menz et al. 2003 use 20).
HARMONICS = 20
#: Longest lag kept for the regularity autocorrelation (s): a stride at 50 steps/min.
MAX_LAG_S = 2.4
#: Peaks of the autocorrelation are searched within this share of the expected lag.
LAG_TOLERANCE_FRACTION = 0.25


@dataclass(frozen=True)
class Steadiness:
    """Steadiness of one bout; ``None`` where the bout is too short for the measure."""

    step_regularity: float | None
    stride_regularity: float | None
    step_time_sd_s: float | None
    step_time_cv_pct: float | None
    harmonic_ratio_vertical: float | None


def lag_products(x: FloatArray, start: int, stop: int, max_lag: int) -> FloatArray:
    """``sum(x[n] * x[n + k])``, n in [start, stop), k = 0..max_lag (x beyond stop is used)."""
    stop_ext = min(x.shape[0], stop + max_lag)
    seg = x[start:stop]
    ext = x[start:stop_ext]
    if ext.shape[0] < seg.shape[0] + max_lag:
        ext = np.concatenate([ext, np.zeros(seg.shape[0] + max_lag - ext.shape[0])])
    out: FloatArray = np.correlate(ext, seg, mode="valid")
    return out


def harmonic_ratio(stride: FloatArray) -> float | None:
    """Menz et al. (2003) harmonic ratio of one stride of vertical acceleration."""
    n = stride.shape[0]
    harmonics = min(HARMONICS, (n - 1) // 2)
    if harmonics < 2:
        return None
    spectrum = np.abs(np.fft.rfft(stride - stride.mean()))[1 : harmonics + 1]
    even = float(spectrum[1::2].sum())
    odd = float(spectrum[0::2].sum())
    return even / odd if odd > 0 else None


def regularity(sums: FloatArray, step_period_samples: float) -> tuple[float | None, float | None]:
    """Step and stride regularity from accumulated lag products (Moe-Nilssen & Helbostad 2004)."""
    if sums.shape[0] == 0 or sums[0] <= 0:
        return None, None
    ac = sums / sums[0]
    return _peak_near(ac, step_period_samples), _peak_near(ac, 2 * step_period_samples)


def _peak_near(ac: FloatArray, lag: float) -> float | None:
    lo = max(1, int(np.floor(lag * (1 - LAG_TOLERANCE_FRACTION))))
    hi = min(ac.shape[0], int(np.ceil(lag * (1 + LAG_TOLERANCE_FRACTION))) + 1)
    if hi <= lo:
        return None
    return float(np.max(ac[lo:hi]))


def step_time_variability(intervals_s: FloatArray) -> tuple[float | None, float | None]:
    """(SD in s, CV in %) of step intervals; ``None`` for fewer than 3 intervals."""
    if intervals_s.shape[0] < 3:
        return None, None
    sd = float(np.std(intervals_s, ddof=1))
    return sd, 100.0 * sd / float(np.mean(intervals_s))
