"""Walking detection and step detection from the vertical acceleration.

:class:`StepDetector` works on the vertical acceleration (gravity removed, see
:mod:`retrowalk.motion.gravity`) sampled uniformly:

1. a band-pass filter keeps the step band (:data:`STEP_BAND_HZ`);
2. sliding windows (:data:`WINDOW_S`, hop :data:`HOP_S`) are called *walking* when the signal is
   periodic (the normalised autocorrelation's highest peak at a stride lag is above
   :data:`STRIDE_REGULARITY_MIN`) and strong enough (RMS above :data:`RMS_MIN_M_S2`), the
   windowed-periodicity idea of Brajdic & Harle (UbiComp 2013) and of the autocorrelation
   walking detectors that followed; the stride lag, halved, gives the local step period;
3. steps are the band-passed signal's peaks inside walking time that rise at least
   :data:`PEAK_MIN_RMS_FRACTION` of the local RMS, at least :data:`MIN_SPACING_FRACTION` of the
   local step period apart (the larger peak wins).

Taking the stride lag and halving it (rather than the first autocorrelation peak) makes the count
right for a phone in a trouser pocket, where one leg's steps dominate the signal.

The thresholds were tuned on the Oxford step counter *optimisation* recordings and are reported
on the separate *validation* recordings (the split used by Salvi et al., EMBC 2018); see
``docs/motion.md`` and ``docs/evidence.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from scipy import signal

from retrowalk.motion.recording import BoolArray, FloatArray, IntArray

#: Band-pass of the step signal (Hz): 0.6 Hz is a step every 1.7 s, 3.5 Hz is 210 steps/min.
STEP_BAND_HZ = (0.6, 3.5)
#: Order of the Butterworth band-pass (applied forward and backward: zero phase).
STEP_BAND_ORDER = 4
#: Length and hop of the walking-detection windows (s).
WINDOW_S = 4.0
HOP_S = 1.0
#: Stride lags searched in the autocorrelation (s): 0.7-2.4 s is 50-171 steps/min.
STRIDE_LAG_S = (0.7, 2.4)
#: Autocorrelation at half the chosen lag above which that lag is a stride (else a step).
HALF_LAG_AC_MIN = 0.0
#: Local step periods accepted as walking (s): 60-240 steps/min.
STEP_PERIOD_S = (0.25, 1.0)
#: Minimum normalised autocorrelation at the stride lag for a window to count as walking.
STRIDE_REGULARITY_MIN = 0.3
#: Minimum RMS of the band-passed vertical acceleration in a walking window (m/s²).
RMS_MIN_M_S2 = 0.5
#: Share of each walking window's edges also marked as walking: the centre 75 % of the window.
WINDOW_CORE_FRACTION = 0.75
#: Two steps are at least this share of the local step period apart.
MIN_SPACING_FRACTION = 0.7
#: A step's peak rises at least this share of the local RMS (of the window around it) above 0.
PEAK_MIN_RMS_FRACTION = 0.3
#: Absolute minimum interval between candidate peaks (s): 240 steps/min.
MIN_PEAK_INTERVAL_S = 0.25


@dataclass(frozen=True)
class StepPreset:
    """The detector's parameters; :data:`OXFORD_TUNED` is the default (see module docstring)."""

    band_hz: tuple[float, float] = STEP_BAND_HZ
    window_s: float = WINDOW_S
    hop_s: float = HOP_S
    stride_lag_s: tuple[float, float] = STRIDE_LAG_S
    step_period_s: tuple[float, float] = STEP_PERIOD_S
    stride_regularity_min: float = STRIDE_REGULARITY_MIN
    rms_min_m_s2: float = RMS_MIN_M_S2
    window_core_fraction: float = WINDOW_CORE_FRACTION
    min_spacing_fraction: float = MIN_SPACING_FRACTION
    min_peak_interval_s: float = MIN_PEAK_INTERVAL_S
    half_lag_ac_min: float = HALF_LAG_AC_MIN
    peak_min_rms_fraction: float = PEAK_MIN_RMS_FRACTION


OXFORD_TUNED = StepPreset()


def band_pass(vertical_m_s2: FloatArray, rate_hz: float, preset: StepPreset) -> FloatArray:
    """The step-band signal (zero-phase Butterworth band-pass)."""
    sos = signal.butter(STEP_BAND_ORDER, preset.band_hz, "band", fs=rate_hz, output="sos")
    padlen = min(vertical_m_s2.shape[0] - 1, 3 * (2 * sos.shape[0] + 1))
    out: FloatArray = signal.sosfiltfilt(sos, vertical_m_s2, padlen=max(padlen, 0))
    return out


@dataclass
class StepDetector:
    """Detects walking and steps; call :meth:`detect`, then read the attributes ending in ``_``.

    Results: ``step_index_`` (sample index of each step), ``walking_`` (mask per sample),
    ``step_period_s_`` (local step period per sample, NaN where unknown), ``filtered_m_s2_``.
    """

    preset: StepPreset = OXFORD_TUNED

    step_index_: IntArray = field(init=False, repr=False)
    walking_: BoolArray = field(init=False, repr=False)
    step_period_s_: FloatArray = field(init=False, repr=False)
    filtered_m_s2_: FloatArray = field(init=False, repr=False)

    def detect(
        self, vertical_m_s2: FloatArray, rate_hz: float, valid: BoolArray | None = None
    ) -> StepDetector:
        p = self.preset
        n = vertical_m_s2.shape[0]
        x = band_pass(vertical_m_s2, rate_hz, p) if n > 16 else np.zeros(n)
        self.filtered_m_s2_ = x
        period, walking, local_rms = _walking_windows(x, rate_hz, p)
        if valid is not None:
            walking &= valid
        self.step_period_s_ = period
        self.walking_ = walking
        self.step_index_ = _pick_steps(x, rate_hz, period, walking, local_rms, p)
        return self


def _walking_windows(
    x: FloatArray, rate_hz: float, p: StepPreset
) -> tuple[FloatArray, BoolArray, FloatArray]:
    n = x.shape[0]
    win = round(p.window_s * rate_hz)
    hop = max(1, round(p.hop_s * rate_hz))
    period = np.full(n, np.nan)
    local_rms = np.zeros(n)
    walking = np.zeros(n, dtype=bool)
    if n < win:
        return period, walking, local_rms
    windows = sliding_window_view(x, win)[::hop]
    starts = np.arange(windows.shape[0]) * hop
    centred = windows - windows.mean(axis=1, keepdims=True)
    rms = np.sqrt(np.mean(centred**2, axis=1))
    nfft = 1 << int(np.ceil(np.log2(2 * win)))
    spectrum = np.fft.rfft(centred, n=nfft, axis=1)
    lag_max = min(win - 2, round(p.stride_lag_s[1] * rate_hz) + 1)
    ac = np.fft.irfft(spectrum * np.conj(spectrum), n=nfft, axis=1)[:, : lag_max + 1]
    zero = ac[:, :1]
    ac = np.divide(ac, zero, out=np.zeros_like(ac), where=zero > 0)
    lag_min = max(1, round(p.stride_lag_s[0] * rate_hz))
    mid = ac[:, lag_min:lag_max]
    is_peak = (mid > ac[:, lag_min - 1 : lag_max - 1]) & (mid >= ac[:, lag_min + 1 : lag_max + 1])
    scored = np.where(is_peak, mid, -np.inf)
    best = np.argmax(scored, axis=1)
    rows = np.arange(ac.shape[0])
    height = scored[rows, best]
    lag = best + lag_min
    y0, y1, y2 = ac[rows, lag - 1], ac[rows, lag], ac[rows, lag + 1]
    den = y0 - 2 * y1 + y2
    shift = np.divide(0.5 * (y0 - y2), den, out=np.zeros_like(den), where=den != 0)
    refined = lag + np.clip(shift, -0.5, 0.5)
    # Is the chosen lag a stride or, in slow walking, a single step? Half a stride is a step,
    # where the autocorrelation is positive (even from a thigh pocket); half a step is the
    # opposite phase, where it is negative.
    half = np.rint(refined / 2).astype(np.int64)
    near_half = np.max(
        np.stack([ac[rows, np.clip(half + d, 0, ac.shape[1] - 1)] for d in (-1, 0, 1)]), axis=0
    )
    step_period = np.where(near_half > p.half_lag_ac_min, refined / 2.0, refined) / rate_hz
    has_peak = np.isfinite(height)
    ok = (
        has_peak
        & (height > p.stride_regularity_min)
        & (rms > p.rms_min_m_s2)
        & (step_period > p.step_period_s[0])
        & (step_period < p.step_period_s[1])
    )
    # Each window's period holds around its centre; the first and last windows extend to the ends.
    centre = starts + win // 2
    lo = np.clip(centre - hop // 2, 0, n)
    hi = np.clip(centre + hop - hop // 2, 0, n)
    lo[0] = 0
    hi[-1] = n
    edge = round((1 - p.window_core_fraction) / 2 * win)
    for i in range(starts.shape[0]):
        local_rms[lo[i] : hi[i]] = rms[i]
    for j in np.flatnonzero(has_peak).tolist():
        period[lo[j] : hi[j]] = step_period[j]
    for k in np.flatnonzero(ok).tolist():
        walking[starts[k] + edge : starts[k] + win - edge] = True
        walking[lo[k] : hi[k]] = True
    return period, walking, local_rms


def _pick_steps(
    x: FloatArray,
    rate_hz: float,
    period: FloatArray,
    walking: BoolArray,
    local_rms: FloatArray,
    p: StepPreset,
) -> IntArray:
    distance = max(1, round(p.min_peak_interval_s * rate_hz))
    peaks, _ = signal.find_peaks(x, distance=distance)
    strong = x[peaks] >= p.peak_min_rms_fraction * local_rms[peaks]
    peaks = peaks[walking[peaks] & np.isfinite(period[peaks]) & strong]
    if peaks.size == 0:
        return np.zeros(0, dtype=np.int64)
    spacing = (p.min_spacing_fraction * rate_hz) * period[peaks]
    keep: list[int] = []
    last = -np.inf
    heights = x[peaks]
    for j in range(peaks.size):
        at = peaks[j]
        if at - last >= spacing[j]:
            keep.append(j)
            last = at
        elif heights[j] > heights[keep[-1]]:
            keep[-1] = j
            last = at
    out: IntArray = peaks[np.asarray(keep, dtype=np.int64)].astype(np.int64)
    return out
