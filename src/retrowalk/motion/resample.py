"""Resampling of irregular timestamps onto a uniform grid."""

from __future__ import annotations

import numpy as np

from retrowalk.motion.recording import BoolArray, FloatArray

#: A grid point farther than this from any real sample lies in a gap of the recording; it is
#: marked invalid and no step is counted there. Phones pause sensors for a few hundred ms at most
#: in normal logging; 0.5 s is a policy value, not a published one.
MAX_GAP_S = 0.5


def uniform_grid_s(start_s: float, stop_s: float, rate_hz: float) -> FloatArray:
    """Grid times ``k / rate_hz`` (k integer) within ``[start_s, stop_s]``."""
    first = int(np.ceil(start_s * rate_hz - 1e-9))
    last = int(np.floor(stop_s * rate_hz + 1e-9))
    out: FloatArray = np.arange(first, last + 1, dtype=np.float64) / rate_hz
    return out


def resample(
    time_s: FloatArray, values: FloatArray, grid_s: FloatArray
) -> tuple[FloatArray, BoolArray]:
    """Linear interpolation of ``values`` (N, k) at ``grid_s``; also the valid-sample mask."""
    out = np.empty((grid_s.shape[0], values.shape[1]))
    for k in range(values.shape[1]):
        out[:, k] = np.interp(grid_s, time_s, values[:, k])
    n = time_s.shape[0]
    right = np.clip(np.searchsorted(time_s, grid_s), 0, n - 1)
    left = np.clip(right - 1, 0, n - 1)
    nearest = np.minimum(np.abs(grid_s - time_s[left]), np.abs(time_s[right] - grid_s))
    valid: BoolArray = nearest <= MAX_GAP_S
    return out, valid
