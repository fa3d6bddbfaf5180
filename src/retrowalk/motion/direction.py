"""Walking direction: was a bout walked forward or backward?

Principle (see ``docs/motion.md``, "Direction"): the joint kinematics of backward walking are
close to those of forward walking played in reverse (Lee, Kim, Son & Kim, Gait & Posture
38:674-678, 2013). Reversing time leaves an acceleration unchanged but flips the sign of its
derivative, so a statistic that pairs an acceleration with the *derivative* of another changes
sign between a walk and the same walk played backwards, where magnitude and frequency features
do not. The statistic used here is, per window, the normalised cross-covariance between the
horizontal acceleration (device frame, gravity component removed) and the jerk (time
derivative) of the vertical acceleration: a horizontal 3-vector that, for a device carried on
the body, points along the walker's fore-aft axis, one way in forward walking and the other way
in its time reversal.

Calibration on known forward walking (:func:`calibrate`) gives that vector's direction in the
device frame (so the phone's axes need not be known) and the spread of its per-window values for
this person and carriage. Each bout (:func:`classify`) is then scored along the calibrated axis:
a mean near the forward mean is forward, near its mirror image backward. The confidence is the
posterior probability of the chosen side under two equal-prior normal models (forward mean vs.
its mirror, the calibration's spread); below :data:`MIN_CONFIDENCE`, or when the bout resembles
neither side (:data:`MIN_RESEMBLANCE`), the answer is ``unknown``.

**What this has been validated on**: forward walking only (the only labelled data available);
see ``docs/motion.md``. That real backward walking gives the mirror image is the hypothesis
drawn from Lee et al. 2013, not a measured result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy import signal

from retrowalk.errors import InvalidInputError
from retrowalk.motion.gravity import (
    gravity_m_s2,
    horizontal_acceleration_m_s2,
    vertical_acceleration_m_s2,
)
from retrowalk.motion.recording import BoolArray, FloatArray, Recording
from retrowalk.motion.resample import resample, uniform_grid_s

Direction = Literal["forward", "backward", "unknown"]

#: Rate the direction signals are computed at (Hz), as the step analysis.
DIRECTION_RATE_HZ = 50.0
#: Band kept in both signals (Hz): the step band (0.6-3.5 Hz) widened to keep the second and
#: third step harmonics, where the asymmetry between heel strike and push-off lives. A design
#: choice checked on the forward data (docs/motion.md), not a published value.
DIRECTION_BAND_HZ = (0.5, 6.0)
#: Length of the non-overlapping scoring windows (s): several strides, so that the left-right
#: (medio-lateral) part of the statistic averages out.
DIRECTION_WINDOW_S = 4.0
#: A window is scored when at least this share of it lies on real samples (not a gap).
WINDOW_VALID_FRACTION = 0.9
#: A bout's last, partial window is scored when it is at least this share of a window.
PARTIAL_WINDOW_FRACTION = 0.5
#: Fewest scored windows for a calibration (12 s of forward walking).
CALIBRATION_MIN_WINDOWS = 3
#: A calibration is usable when its mean score is at least this many of its SDs from zero.
CALIBRATION_MIN_SEPARATION = 1.0
#: Floor of the calibration SD, as a share of its mean (guards against over-confidence when
#: the reference windows happen to be alike). Policy value.
SD_FLOOR_FRACTION = 0.25
#: Below this posterior probability the direction is ``unknown``. Policy value.
MIN_CONFIDENCE = 0.8
#: A bout whose mean score is under this share of the calibrated mean (either sign) resembles
#: neither forward nor reversed walking: ``unknown``. Policy value.
MIN_RESEMBLANCE = 0.4


@dataclass(frozen=True, eq=False)
class DirectionSignals:
    """The signals scored: uniform ``grid_s``, horizontal acceleration (N, 3), vertical jerk."""

    grid_s: FloatArray
    horizontal_m_s2: FloatArray
    vertical_jerk_m_s3: FloatArray
    valid: BoolArray
    rate_hz: float = DIRECTION_RATE_HZ


@dataclass(frozen=True, eq=False)
class DirectionCalibration:
    """Calibration on known forward walking.

    ``axis`` is the unit horizontal vector (device frame) the statistic points along in forward
    walking; ``mean_score`` and ``sd_score`` describe its per-window values; ``usable`` says
    whether forward and reversed walking can be told apart for this person and carriage.
    """

    axis: FloatArray
    mean_score: float
    sd_score: float
    windows: int

    @property
    def usable(self) -> bool:
        return (
            self.windows >= CALIBRATION_MIN_WINDOWS
            and self.mean_score > 0
            and self.mean_score >= CALIBRATION_MIN_SEPARATION * self.sd_score
        )


@dataclass(frozen=True)
class DirectionResult:
    """Direction of one stretch of walking, with the posterior probability of that answer."""

    direction: Direction
    confidence: float
    mean_score: float | None
    windows: int
    reason: str = ""


def direction_signals(recording: Recording) -> DirectionSignals:
    """Resample, remove gravity and band-pass: the signals :func:`calibrate` and :func:`classify`
    score."""
    rate = DIRECTION_RATE_HZ
    t = recording.time_s
    grid = uniform_grid_s(float(t[0]), float(t[-1]), rate)
    if grid.shape[0] < 32:
        empty = np.zeros(grid.shape[0])
        return DirectionSignals(grid, np.zeros((grid.shape[0], 3)), empty, empty > 0, rate)
    acc, valid = resample(t, recording.acc_m_s2, grid)
    g = gravity_m_s2(acc, rate)
    sos = signal.butter(4, DIRECTION_BAND_HZ, "band", fs=rate, output="sos")
    horizontal = signal.sosfiltfilt(sos, horizontal_acceleration_m_s2(acc, g), axis=0)
    vertical = signal.sosfiltfilt(sos, vertical_acceleration_m_s2(acc, g))
    jerk = np.gradient(vertical) * rate
    return DirectionSignals(grid, horizontal, jerk, valid, rate)


def _windows(sig: DirectionSignals, start_s: float, end_s: float) -> list[slice]:
    if end_s <= start_s:
        return []
    n = round(DIRECTION_WINDOW_S * sig.rate_hz)
    lo = int(np.searchsorted(sig.grid_s, start_s))
    hi = int(np.searchsorted(sig.grid_s, end_s, side="right"))
    out: list[slice] = []
    for a in range(lo, hi, n):
        b = min(a + n, hi)
        if b - a < PARTIAL_WINDOW_FRACTION * n:
            break
        if np.mean(sig.valid[a:b]) >= WINDOW_VALID_FRACTION:
            out.append(slice(a, b))
    return out


def _window_vectors(sig: DirectionSignals, windows: list[slice]) -> FloatArray:
    """Normalised cross-covariance vector per window, (W, 3)."""
    out = np.zeros((len(windows), 3))
    for k, w in enumerate(windows):
        h = sig.horizontal_m_s2[w]
        j = sig.vertical_jerk_m_s3[w]
        h = h - h.mean(axis=0)
        j = j - j.mean()
        scale = float(np.sqrt(np.mean(np.sum(h**2, axis=1)) * np.mean(j**2)))
        if scale > 0:
            out[k] = (h * j[:, None]).mean(axis=0) / scale
    return out


def calibrate(sig: DirectionSignals, start_s: float, end_s: float) -> DirectionCalibration:
    """Calibrate on ``[start_s, end_s]``, known forward walking."""
    if not end_s > start_s:
        raise InvalidInputError("reference interval", f"{start_s}-{end_s}", "start before end")
    return calibrate_intervals(sig, [(start_s, end_s)])


def calibrate_intervals(
    sig: DirectionSignals, intervals_s: list[tuple[float, float]]
) -> DirectionCalibration:
    """Calibrate on several stretches of known forward walking (a session's forward parts)."""
    windows = [w for a, b in intervals_s for w in _windows(sig, a, b)]
    vectors = _window_vectors(sig, windows)
    total = vectors.sum(axis=0) if vectors.shape[0] else np.zeros(3)
    norm = float(np.linalg.norm(total))
    axis = total / norm if norm > 0 else np.zeros(3)
    scores = vectors @ axis
    sd = float(np.std(scores, ddof=1)) if scores.shape[0] >= 2 else float("inf")
    mean = float(np.mean(scores)) if scores.shape[0] else 0.0
    return DirectionCalibration(axis=axis, mean_score=mean, sd_score=sd, windows=len(scores))


def classify(
    sig: DirectionSignals, calibration: DirectionCalibration, start_s: float, end_s: float
) -> DirectionResult:
    """Direction of the walking in ``[start_s, end_s]`` against a forward calibration."""
    if not calibration.usable:
        return DirectionResult(
            "unknown", 0.0, None, 0, "the forward reference does not separate the two directions"
        )
    vectors = _window_vectors(sig, _windows(sig, start_s, end_s))
    n = vectors.shape[0]
    if n == 0:
        return DirectionResult("unknown", 0.0, None, 0, "shorter than one scoring window")
    score = float(np.mean(vectors @ calibration.axis))
    mu = calibration.mean_score
    sd = max(calibration.sd_score, SD_FLOOR_FRACTION * mu)
    # Two normal models for the window mean: N(+mu, sd²/n) forward, N(-mu, sd²/n) backward.
    llr = float(np.clip(2.0 * mu * score * n / sd**2, -700.0, 700.0))
    p_forward = 1.0 / (1.0 + np.exp(-llr))
    side: Direction = "forward" if score >= 0 else "backward"
    confidence = float(max(p_forward, 1.0 - p_forward))
    if abs(score) < MIN_RESEMBLANCE * mu:
        return DirectionResult(
            "unknown", confidence, score, n, "the walking resembles neither direction's pattern"
        )
    if confidence < MIN_CONFIDENCE:
        return DirectionResult("unknown", confidence, score, n, "not enough evidence")
    return DirectionResult(side, confidence, score, n)


def reversed_in_time(recording: Recording) -> Recording:
    """The recording played backwards (development aid; **not** evidence about real backward
    walking)."""
    t = recording.time_s
    return Recording(
        time_s=(t[-1] - t[::-1]).copy(),
        acc_m_s2=recording.acc_m_s2[::-1].copy(),
        gyr_rad_s=None if recording.gyr_rad_s is None else -recording.gyr_rad_s[::-1].copy(),
        sampling_rate_hz=recording.sampling_rate_hz,
        source=recording.source + " (reversed)",
    )


def parse_interval_s(text: str, field: str = "--reference-forward") -> tuple[float, float]:
    """``"START-END"`` in seconds (e.g. ``"5-45"``) as a pair with START < END."""
    accepted = "START_S-END_S in seconds with START_S < END_S, e.g. 5-45"
    parts = text.strip().split("-")
    if len(parts) != 2:
        raise InvalidInputError(field, text, accepted)
    try:
        start, end = float(parts[0]), float(parts[1])
    except ValueError:
        raise InvalidInputError(field, text, accepted) from None
    if not (np.isfinite(start) and np.isfinite(end) and 0 <= start < end):
        raise InvalidInputError(field, text, accepted)
    return start, end


def bout_directions(
    recording: Recording, bouts_s: list[tuple[float, float]], reference_s: tuple[float, float]
) -> tuple[DirectionCalibration, list[DirectionResult]]:
    """Calibrate on ``reference_s`` (known forward walking) and classify each bout."""
    sig = direction_signals(recording)
    cal = calibrate(sig, *reference_s)
    return cal, [classify(sig, cal, a, b) for a, b in bouts_s]
