"""Compact, checked storage of a recording: the bytes RetroWalk keeps with a session.

Layout (version 1): the magic line ``RWMOTION1\\n``, then an xz stream (LZMA2 with a CRC-64
check, so truncation and corruption are detected) holding a JSON header line and the samples as
little-endian integers, each column delta-encoded (consecutive samples differ little, which is
what the compressor exploits):

- time in :data:`TIME_TICK_S` ticks (int64 first value in the header, int32 deltas);
- acceleration in :data:`ACC_TICK_M_S2` (int32, deltas);
- angular rate, when present, in :data:`GYR_TICK_RAD_S` (int32, deltas).

The ticks are well below phone sensor resolution (browsers round DeviceMotion to 0.1 m/s² and
0.1 °/s), so storing is lossless for phone data; research IMUs lose nothing the analysis uses.
Decoding the stored bytes and encoding them again gives the same bytes.
"""

from __future__ import annotations

import json
import lzma

import numpy as np

from retrowalk.errors import ImportFileError
from retrowalk.motion.recording import FloatArray, Recording

MAGIC = b"RWMOTION1\n"
#: Storage resolution of time (s): 1 µs.
TIME_TICK_S = 1e-6
#: Storage resolution of acceleration (m/s²): 1 mm/s².
ACC_TICK_M_S2 = 1e-3
#: Storage resolution of angular rate (rad/s): 0.1 mrad/s (0.006 °/s).
GYR_TICK_RAD_S = 1e-4
#: Largest recording accepted (samples): 24 h at 200 Hz.
MAX_SAMPLES = 24 * 3600 * 200
#: xz preset: 6 is the library's default balance of size and speed.
XZ_PRESET = 6


def _quantise(values: FloatArray, tick: float, where: str) -> np.ndarray:
    q = np.rint(values / tick)
    if np.any(np.abs(q) > 2**31 - 1):
        raise ImportFileError(where, "a value is out of range for storage")
    return q.astype(np.int64)


def _deltas(q: np.ndarray) -> bytes:
    d = np.diff(q, axis=0, prepend=np.zeros((1, *q.shape[1:]), dtype=np.int64))
    if np.any(np.abs(d) > 2**31 - 1):
        raise ImportFileError("recording", "a jump between samples is too large to store")
    return d.astype("<i4").tobytes()


def encode(recording: Recording) -> bytes:
    """The stored bytes of ``recording`` (times relative to its first sample)."""
    where = recording.source or "recording"
    n = recording.n_samples
    if n > MAX_SAMPLES:
        raise ImportFileError(where, f"{n} samples is more than {MAX_SAMPLES} (24 h at 200 Hz)")
    ticks = np.rint((recording.time_s - recording.time_s[0]) / TIME_TICK_S).astype(np.int64)
    if n > 1 and not np.all(np.diff(ticks) > 0):
        raise ImportFileError(where, "timestamps must strictly increase (1 µs apart at least)")
    header = {
        "samples": n,
        "gyro": recording.gyr_rad_s is not None,
        "sampling_rate_hz": recording.sampling_rate_hz,
    }
    parts = [json.dumps(header, sort_keys=True).encode() + b"\n", _deltas(ticks)]
    parts.append(_deltas(_quantise(recording.acc_m_s2, ACC_TICK_M_S2, where)))
    if recording.gyr_rad_s is not None:
        parts.append(_deltas(_quantise(recording.gyr_rad_s, GYR_TICK_RAD_S, where)))
    return MAGIC + lzma.compress(b"".join(parts), preset=XZ_PRESET, check=lzma.CHECK_CRC64)


def decode(data: bytes, where: str = "stored recording") -> Recording:
    """The recording in ``data``; a corrupt or truncated one raises :class:`ImportFileError`."""
    if not data.startswith(MAGIC):
        raise ImportFileError(where, "not a RetroWalk motion recording (bad magic)")
    try:
        raw = lzma.decompress(data[len(MAGIC) :], format=lzma.FORMAT_XZ)
    except (lzma.LZMAError, EOFError) as exc:
        raise ImportFileError(where, f"corrupt or truncated ({exc})") from None
    line, _, body = raw.partition(b"\n")
    try:
        header = json.loads(line)
        n = int(header["samples"])
        gyro = bool(header["gyro"])
        rate = float(header["sampling_rate_hz"])
    except (ValueError, KeyError, TypeError):
        raise ImportFileError(where, "corrupt header") from None
    cols = 7 if gyro else 4
    if not 1 <= n <= MAX_SAMPLES or len(body) != 4 * n * cols:
        raise ImportFileError(where, "corrupt or truncated (sample count does not match)")
    ints = np.frombuffer(body, dtype="<i4").astype(np.int64)
    t: FloatArray = np.cumsum(ints[:n]).astype(np.float64) * TIME_TICK_S
    acc: FloatArray = np.cumsum(ints[n : 4 * n].reshape(n, 3), axis=0).astype(np.float64)
    acc *= ACC_TICK_M_S2
    gyr: FloatArray | None = None
    if gyro:
        gyr = np.cumsum(ints[4 * n :].reshape(n, 3), axis=0).astype(np.float64) * GYR_TICK_RAD_S
    return Recording(time_s=t, acc_m_s2=acc, gyr_rad_s=gyr, sampling_rate_hz=rate, source=where)
