"""The recording every reader returns: timestamps and acceleration in SI units.

Sensor frame
------------
``acc_m_s2`` is in the device's own frame, exactly as the file gives it (for phones: Android and
the W3C DeviceMotion API use x to the right of the screen, y up the screen, z out of the screen).
The analysis never assumes an axis: it estimates gravity from the signal itself
(:mod:`retrowalk.motion.gravity`) and works on the component along it, so the device may be in any
position and the sign convention of the file (specific force, +9.81 m/s² up at rest, or its
opposite) does not matter. Gravity must be *included* in the acceleration: a file of linear
acceleration (gravity removed) is rejected with a message saying so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from retrowalk.errors import ImportFileError

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

#: Slowest sampling rate accepted: the step band reaches 3.5 Hz, so the Nyquist frequency must be
#: above it with a margin (see docs/evidence.md, Motion).
SAMPLING_RATE_HZ_MIN = 10.0
#: Fastest sampling rate accepted (research IMUs log up to about 1 kHz).
SAMPLING_RATE_HZ_MAX = 1000.0


@dataclass(frozen=True, eq=False)
class Recording:
    """An inertial recording: ``time_s`` (N,), ``acc_m_s2`` (N, 3), optional ``gyr_rad_s`` (N, 3).

    ``time_s`` counts seconds from the start of the recording (the first sample of the first
    chunk is 0) and strictly increases. ``sampling_rate_hz`` is the nominal rate (the median
    interval's inverse); the analysis resamples by timestamp and never trusts it blindly.
    """

    time_s: FloatArray
    acc_m_s2: FloatArray
    sampling_rate_hz: float
    gyr_rad_s: FloatArray | None = None
    source: str = ""

    def __post_init__(self) -> None:
        where = self.source or "recording"
        n = self.time_s.shape[0] if self.time_s.ndim == 1 else -1
        if n < 0:
            raise ImportFileError(where, "time_s must be one column of seconds")
        if self.acc_m_s2.shape != (n, 3):
            raise ImportFileError(
                where, f"acceleration must have 3 columns and {n} rows, got {self.acc_m_s2.shape}"
            )
        if self.gyr_rad_s is not None and self.gyr_rad_s.shape != (n, 3):
            raise ImportFileError(
                where, f"angular rate must have 3 columns and {n} rows, got {self.gyr_rad_s.shape}"
            )
        if n and not (np.all(np.isfinite(self.time_s)) and np.all(np.isfinite(self.acc_m_s2))):
            raise ImportFileError(where, "time and acceleration must be finite numbers")
        if n > 1 and not np.all(np.diff(self.time_s) > 0):
            raise ImportFileError(where, "timestamps must strictly increase")
        if not SAMPLING_RATE_HZ_MIN <= self.sampling_rate_hz <= SAMPLING_RATE_HZ_MAX:
            raise ImportFileError(
                where,
                f"sampling rate {self.sampling_rate_hz:.3g} Hz is outside "
                f"{SAMPLING_RATE_HZ_MIN:g} to {SAMPLING_RATE_HZ_MAX:g} Hz",
            )

    @property
    def n_samples(self) -> int:
        return int(self.time_s.shape[0])

    @property
    def duration_s(self) -> float:
        return float(self.time_s[-1] - self.time_s[0]) if self.n_samples else 0.0


def make_recording(
    time_s: FloatArray,
    acc_m_s2: FloatArray,
    *,
    gyr_rad_s: FloatArray | None = None,
    sampling_rate_hz: float | None = None,
    source: str = "",
    origin_s: float | None = None,
) -> Recording:
    """A :class:`Recording` from raw logger arrays: sorted by time, repeated timestamps dropped.

    Phone loggers write samples slightly out of order or twice (Android sensor batching); the
    first sample of each timestamp is kept. ``origin_s`` is subtracted from the times (default:
    the first time), ``sampling_rate_hz`` defaults to the median interval's inverse.
    """
    time_s = np.asarray(time_s, dtype=np.float64)
    acc_m_s2 = np.asarray(acc_m_s2, dtype=np.float64)
    where = source or "recording"
    if time_s.shape[0] == 0:
        raise ImportFileError(where, "no samples")
    if not np.all(np.isfinite(time_s)):
        raise ImportFileError(where, "time must be finite numbers")
    if time_s.shape[0] > 1 and not np.all(np.diff(time_s) > 0):
        order = np.argsort(time_s, kind="stable")
        time_s = time_s[order]
        acc_m_s2 = acc_m_s2[order]
        gyr_rad_s = None if gyr_rad_s is None else np.asarray(gyr_rad_s)[order]
        first = np.concatenate([[True], np.diff(time_s) > 0])
        time_s, acc_m_s2 = time_s[first], acc_m_s2[first]
        gyr_rad_s = None if gyr_rad_s is None else gyr_rad_s[first]
    origin = float(time_s[0]) if origin_s is None else origin_s
    time_s = time_s - origin
    if sampling_rate_hz is None:
        if time_s.shape[0] < 2:
            raise ImportFileError(where, "fewer than 2 samples: no sampling rate")
        sampling_rate_hz = 1.0 / float(np.median(np.diff(time_s)))
    return Recording(
        time_s=time_s,
        acc_m_s2=acc_m_s2,
        gyr_rad_s=gyr_rad_s,
        sampling_rate_hz=sampling_rate_hz,
        source=source,
    )
