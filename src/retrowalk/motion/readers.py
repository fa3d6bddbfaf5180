"""Readers for inertial recordings: generic CSV, phone logger apps and the validation data sets.

Every reader returns :class:`~retrowalk.motion.recording.Recording` objects in SI units
(seconds, m/s², rad/s). :func:`read` reads a whole file, :func:`iter_chunks` yields consecutive
chunks of a long CSV file with bounded memory. Files ending in ``.gz`` are decompressed on the fly.

Formats (``--format``):

``csv``
    A header line, then one sample per line, comma, semicolon or tab separated. Columns:
    ``time_s`` (s) or ``timestamp``/``time`` (unit told by ``_s``/``_ms``/``_us``/``_ns`` in the
    name, else inferred from the median interval), ``ax, ay, az`` (m/s² or g: ``--acc-unit``, or
    inferred from the median magnitude), optional ``gx, gy, gz`` (rad/s; ``gx_deg_s`` … for
    deg/s). Without a time column, ``--sampling-rate`` gives the rate.
``phyphox``
    The CSV export of phyphox's "Acceleration with g" experiment: ``Time (s)``,
    ``Acceleration x (m/s^2)`` … (decimal point, any of the separators phyphox offers).
``sensorlogger``
    Sensor Logger's ``TotalAcceleration.csv`` (``time`` in ns, ``seconds_elapsed``, ``z, y, x``
    in m/s², gravity included). Its ``Accelerometer.csv`` has gravity removed; give
    ``TotalAcceleration.csv`` instead.
``oxford``
    Oxford Step Counter validation files (no header: ns timestamp, x, y, z m/s², 3 step counts).
``oxford-accelerometer``
    Oxford Step Counter ``accelerometer.csv`` (no header: ns timestamp, accuracy, x, y, z m/s²).
``ipol``
    IPOL healthy-gait ``*_lb.txt`` / ``*_lf.txt`` / ``*_rf.txt`` (Xsens text export, 100 Hz).
``mobgap``
    mobgap / Mobilise-D ``data.mat`` (lower-back sensor, acc in g, gyro in deg/s); pick the test
    with ``trial="Test11/Trial1"``.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal, cast

import numpy as np

from retrowalk.errors import ImportFileError, InvalidInputError
from retrowalk.motion.gravity import STANDARD_GRAVITY_M_S2
from retrowalk.motion.recording import FloatArray, Recording, make_recording

Format = Literal[
    "auto", "csv", "phyphox", "sensorlogger", "oxford", "oxford-accelerometer", "ipol", "mobgap"
]
FORMATS: tuple[str, ...] = (
    "auto",
    "csv",
    "phyphox",
    "sensorlogger",
    "oxford",
    "oxford-accelerometer",
    "ipol",
    "mobgap",
)
AccUnit = Literal["auto", "m/s2", "g"]
ACC_UNITS: tuple[str, ...] = ("auto", "m/s2", "g")

#: Gravity read as g (0.5-2) or as m/s² (5-20) when no unit is given (see infer_acc_scale).
#: Gravity is 1 g = 9.80665 m/s²; the ranges leave room for sensor offsets and a device that
#: turns, and they do not overlap. Gravity-free (linear) acceleration is near 0 and refused.
G_MAGNITUDE_RANGE = (0.5, 2.0)
M_S2_MAGNITUDE_RANGE = (5.0, 20.0)
#: Bytes of text parsed per chunk by :func:`iter_chunks` (about 400,000 samples of a 4-column CSV).
CHUNK_BYTES = 16 * 1024 * 1024
#: Samples averaged per block when looking for gravity in the acceleration.
GRAVITY_BLOCK_SAMPLES = 50
_DEG = np.pi / 180.0
_TIME_SCALE = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "ns": 1e-9}


@dataclass(frozen=True)
class Layout:
    """Where the columns of a text file are and how to scale them to SI."""

    delimiter: str | None
    skip_rows: int
    time_col: int | None
    time_scale: float | None  # None: infer from the median interval
    acc_cols: tuple[int, int, int]
    acc_scale: float | None  # None: infer from the magnitude
    gyr_cols: tuple[int, int, int] | None = None
    gyr_scale: float = 1.0
    rate_hz: float | None = None  # a fixed rate when there is no time column


def _open_text(path: Path) -> IO[str]:
    if path.suffix == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace")
    return path.open("r", encoding="utf-8", errors="replace", newline="")


def _base_name(path: Path) -> str:
    name = path.name.lower()
    return name[:-3] if name.endswith(".gz") else name


def detect_format(path: Path) -> str:
    """The format of ``path`` from its name and first lines (one of :data:`FORMATS`)."""
    name = _base_name(path)
    if name.endswith(".mat"):
        return "mobgap"
    try:
        with _open_text(path) as fh:
            head = [fh.readline() for _ in range(3)]
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ImportFileError(str(path), f"cannot be read ({exc})") from None
    first = head[0].strip().lower()
    if first.startswith("acquisition frequency"):
        return "ipol"
    if "acceleration x" in first and "time" in first:
        return "phyphox"
    if "seconds_elapsed" in first:
        return "sensorlogger"
    if first and first[0] in "0123456789-":
        cells = [c for c in re.split(r"[,;\t ]+", first) if c]
        if len(cells) == 7:
            return "oxford"
        if len(cells) == 5:
            return "oxford-accelerometer"
        raise ImportFileError(
            str(path),
            f"no header line and {len(cells)} columns: not a known layout "
            "(a generic CSV needs a header with ax, ay, az)",
        )
    return "csv"


def _sniff_delimiter(line: str) -> str | None:
    for delim in (",", ";", "\t"):
        if delim in line:
            return delim
    return None if line.strip() else ","


def _split_header(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return [c.strip().strip('"').lower() for c in line.split()]
    row = next(csv.reader([line], delimiter=delimiter))
    return [c.strip().strip('"').lower() for c in row]


def _find(names: list[str], *candidates: str) -> int | None:
    for cand in candidates:
        if cand in names:
            return names.index(cand)
    return None


def _three(cols: list[int | None]) -> tuple[int, int, int] | None:
    """Three column indices, or ``None`` if any is missing."""
    a, b, c = cols
    return None if a is None or b is None or c is None else (a, b, c)


def _generic_layout(path: Path, header: str, acc_unit: AccUnit, rate_hz: float | None) -> Layout:
    delim = _sniff_delimiter(header)
    names = _split_header(header, delim)
    acc_cols = _three(
        [_find(names, f"a{k}", f"acc_{k}", f"acc{k}", f"a{k}_m_s2", f"a{k}_g") for k in "xyz"]
    )
    if acc_cols is None:
        raise ImportFileError(
            str(path),
            f"header {names!r} lacks acceleration columns: expected ax, ay, az "
            "(and time_s or timestamp)",
        )
    scale: float | None = {"m/s2": 1.0, "g": STANDARD_GRAVITY_M_S2, "auto": None}[acc_unit]
    if scale is None and names[acc_cols[0]].endswith("_g"):
        scale = STANDARD_GRAVITY_M_S2
    elif scale is None and names[acc_cols[0]].endswith("_m_s2"):
        scale = 1.0
    time_col: int | None = None
    time_scale: float | None = None
    for unit, factor in _TIME_SCALE.items():
        for base in ("time", "timestamp", "t"):
            col = _find(names, f"{base}_{unit}")
            if col is not None and time_col is None:
                time_col, time_scale = col, factor
    if time_col is None:
        time_col = _find(names, "timestamp", "time", "t")
    if time_col is None and rate_hz is None:
        raise ImportFileError(
            str(path), "no time column (time_s or timestamp): give the sampling rate"
        )
    gyr_scale = 1.0
    gyr_cols = _three([_find(names, f"g{k}", f"gyr_{k}", f"g{k}_rad_s") for k in "xyz"])
    if gyr_cols is None:
        gyr_cols = _three([_find(names, f"g{k}_deg_s") for k in "xyz"])
        gyr_scale = _DEG
    return Layout(
        delimiter=delim,
        skip_rows=1,
        time_col=time_col,
        time_scale=time_scale,
        acc_cols=acc_cols,
        acc_scale=scale,
        gyr_cols=gyr_cols,
        gyr_scale=gyr_scale,
        rate_hz=rate_hz if time_col is None else None,
    )


def _phyphox_layout(path: Path, header: str, acc_unit: AccUnit) -> Layout:
    delim = _sniff_delimiter(header)
    names = _split_header(header, delim)
    t = next((i for i, n in enumerate(names) if n.startswith("time")), None)
    acc = _three(
        [
            next((i for i, n in enumerate(names) if n.startswith(f"acceleration {k}")), None)
            for k in "xyz"
        ]
    )
    if t is None or acc is None:
        raise ImportFileError(
            str(path), f"phyphox header {names!r} lacks Time and Acceleration x/y/z"
        )
    unit = 1.0 if acc_unit in ("auto", "m/s2") else STANDARD_GRAVITY_M_S2
    return Layout(delim, 1, t, 1.0, acc, unit)


def _sensorlogger_layout(path: Path, header: str) -> Layout:
    names = _split_header(header, ",")
    time_col = _find(names, "time")
    acc = _three([_find(names, k) for k in ("x", "y", "z")])
    if time_col is None or acc is None:
        raise ImportFileError(str(path), f"Sensor Logger header {names!r} lacks time, x, y, z")
    return Layout(",", 1, time_col, 1e-9, acc, 1.0)


def layout_for(
    path: Path, fmt: str, *, acc_unit: AccUnit = "auto", rate_hz: float | None = None
) -> Layout:
    """The column layout of a text recording in format ``fmt`` (not ``mobgap``)."""
    if fmt == "oxford":
        return Layout(",", 0, 0, 1e-9, (1, 2, 3), 1.0)
    if fmt == "oxford-accelerometer":
        return Layout(",", 0, 0, 1e-9, (2, 3, 4), 1.0)
    if fmt == "ipol":
        return Layout(None, 2, None, None, (1, 2, 3), 1.0, (4, 5, 6), 1.0, rate_hz=100.0)
    with _open_text(path) as fh:
        header = fh.readline()
    if fmt == "phyphox":
        return _phyphox_layout(path, header, acc_unit)
    if fmt == "sensorlogger":
        return _sensorlogger_layout(path, header)
    if fmt == "csv":
        return _generic_layout(path, header, acc_unit, rate_hz)
    raise InvalidInputError("--format", fmt, "one of " + ", ".join(FORMATS))


def _check_path(path: Path) -> None:
    if not path.is_file():
        raise ImportFileError(str(path), "no such file")


def _resolve(path: Path, fmt: str) -> str:
    if fmt not in FORMATS:
        raise InvalidInputError("--format", fmt, "one of " + ", ".join(FORMATS))
    return detect_format(path) if fmt == "auto" else fmt


def _parse_block(text: str, layout: Layout, path: Path) -> FloatArray:
    cols = [*layout.acc_cols]
    if layout.time_col is not None:
        cols.append(layout.time_col)
    if layout.gyr_cols is not None:
        cols.extend(layout.gyr_cols)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "input contained no data": handled later
        try:
            data = np.loadtxt(
                io.StringIO(text),
                delimiter=layout.delimiter,
                usecols=cols,
                dtype=np.float64,
                ndmin=2,
                comments="#",
                quotechar='"',
            )
        except ValueError as exc:
            raise ImportFileError(str(path), f"not a numeric recording: {exc}") from None
    return data


class _Scaler:
    """Turns parsed blocks into chunks, inferring units from the first block."""

    def __init__(self, layout: Layout, path: Path) -> None:
        self.layout = layout
        self.path = path
        self.time_scale = layout.time_scale
        self.acc_scale = layout.acc_scale
        self.checked = False
        self.origin: float | None = None
        self.samples = 0
        self.last_time = -np.inf

    def __call__(self, data: FloatArray) -> Recording | None:
        lay = self.layout
        acc = data[:, 0:3]
        k = 3
        if lay.time_col is not None:
            raw_t = data[:, 3]
            k = 4
            if self.time_scale is None:
                self.time_scale = infer_time_scale(raw_t, str(self.path))
            t = raw_t * self.time_scale
        else:
            assert lay.rate_hz is not None
            t = (self.samples + np.arange(data.shape[0])) / lay.rate_hz
        if not self.checked:
            # The gravity check runs even when the unit is known: a gravity-free export (phone
            # "linear acceleration") or a wrong --acc-unit would otherwise give nonsense.
            found = infer_acc_scale(acc, str(self.path))
            if self.acc_scale is not None and found != self.acc_scale:
                given = "g" if self.acc_scale != 1.0 else "m/s²"
                seen = "g" if found != 1.0 else "m/s²"
                raise ImportFileError(
                    str(self.path),
                    f"acceleration was given in {given} but its gravity reads as {seen}",
                )
            self.acc_scale = found
            self.checked = True
        acc = acc * (self.acc_scale or 1.0)
        gyr = data[:, k : k + 3] * lay.gyr_scale if lay.gyr_cols is not None else None
        if self.origin is None:
            self.origin = float(t[0])
        t = t - self.origin
        # drop samples that go back in time across a chunk boundary
        ahead = t > self.last_time
        if not np.all(ahead):
            t, acc = t[ahead], acc[ahead]
            gyr = None if gyr is None else gyr[ahead]
        self.samples += data.shape[0]
        if np.unique(t).shape[0] < 2:
            return None  # nothing new in this block (repeated or backward timestamps)
        rec = make_recording(
            t, acc, gyr_rad_s=gyr, sampling_rate_hz=lay.rate_hz, source=str(self.path), origin_s=0.0
        )
        self.last_time = float(rec.time_s[-1])
        return rec


def infer_time_scale(raw: FloatArray, where: str) -> float:
    """Seconds per unit of a time column, from its median interval (rates 5 Hz to 1 kHz)."""
    if raw.shape[0] < 2:
        raise ImportFileError(where, "fewer than 2 samples: cannot tell the time unit")
    step = float(np.median(np.diff(raw)))
    for factor in (1.0, 1e-3, 1e-6, 1e-9):
        if 1e-3 <= step * factor <= 0.2:
            return factor
    raise ImportFileError(
        where,
        f"median time step {step:g} fits no time unit (s, ms, µs, ns) at 5 Hz to 1 kHz",
    )


def infer_acc_scale(acc: FloatArray, where: str) -> float:
    """m/s² per unit of the acceleration columns (g or m/s²), from the gravity it contains.

    Gravity is the median norm of the means of blocks of :data:`GRAVITY_BLOCK_SAMPLES` samples:
    about 1 in g, about 9.8 in m/s², near 0 for linear acceleration (gravity removed), which is
    refused because the analysis needs gravity to find the vertical.
    """
    n = acc.shape[0]
    block = min(GRAVITY_BLOCK_SAMPLES, n)
    usable = (n // block) * block
    means = acc[:usable].reshape(-1, block, 3).mean(axis=1)
    gravity = float(np.median(np.linalg.norm(means, axis=1)))
    if G_MAGNITUDE_RANGE[0] <= gravity <= G_MAGNITUDE_RANGE[1]:
        return STANDARD_GRAVITY_M_S2
    if M_S2_MAGNITUDE_RANGE[0] <= gravity <= M_S2_MAGNITUDE_RANGE[1]:
        return 1.0
    raise ImportFileError(
        where,
        f"the gravity in the acceleration columns is {gravity:.3g}: neither about 1 (g) nor "
        "about 9.8 (m/s²); gravity must be included (linear acceleration is not accepted; "
        "from Sensor Logger use TotalAcceleration.csv)",
    )


def iter_chunks(
    path: Path | str,
    fmt: str = "auto",
    *,
    acc_unit: AccUnit = "auto",
    rate_hz: float | None = None,
    trial: str | None = None,
    chunk_bytes: int | None = None,
    on_bytes: Callable[[int], None] | None = None,
    on_origin: Callable[[float], None] | None = None,
) -> Iterator[Recording]:
    """Consecutive chunks of a recording; ``on_bytes`` gets the bytes read so far (progress),
    ``on_origin`` once the file's own time (s) of the first sample (0 without a time column;
    Unix time for loggers that write wall-clock timestamps)."""
    path = Path(path)
    _check_path(path)
    if acc_unit not in ACC_UNITS:
        raise InvalidInputError("--acc-unit", acc_unit, "one of " + ", ".join(ACC_UNITS))
    if rate_hz is not None and not 10.0 <= rate_hz <= 1000.0:
        raise InvalidInputError("--sampling-rate", rate_hz, "10 to 1000 Hz")
    fmt = _resolve(path, fmt)
    if fmt == "mobgap":
        yield read_mobgap(path, trial=trial)
        return
    layout = layout_for(path, fmt, acc_unit=acc_unit, rate_hz=rate_hz)
    scaler = _Scaler(layout, path)
    raw = path.open("rb")
    stream = cast(IO[bytes], gzip.GzipFile(fileobj=raw)) if path.suffix == ".gz" else raw
    produced = False
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8", errors="replace")
        for _ in range(layout.skip_rows):
            text.readline()
        carry = ""
        while True:
            lines = text.readlines(CHUNK_BYTES if chunk_bytes is None else chunk_bytes)
            if not lines:
                break
            block = carry + "".join(lines)
            carry = ""
            if on_bytes is not None:
                on_bytes(raw.tell())
            data = _parse_block(block, layout, path)
            if data.shape[0] == 0:
                continue
            if data.shape[0] < 2:
                carry = block
                continue
            rec = scaler(data)
            if rec is not None:
                if not produced and on_origin is not None:
                    on_origin(scaler.origin or 0.0)
                produced = True
                yield rec
        if carry and not produced:
            raise ImportFileError(str(path), "fewer than 2 samples")
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ImportFileError(str(path), f"cannot be read ({exc})") from None
    finally:
        raw.close()
    if not produced:
        raise ImportFileError(str(path), "no samples")


def read(
    path: Path | str,
    fmt: str = "auto",
    *,
    acc_unit: AccUnit = "auto",
    rate_hz: float | None = None,
    trial: str | None = None,
    on_origin: Callable[[float], None] | None = None,
) -> Recording:
    """The whole recording in memory (``on_origin``: as for :func:`iter_chunks`)."""
    chunks = list(
        iter_chunks(
            path,
            fmt,
            acc_unit=acc_unit,
            rate_hz=rate_hz,
            trial=trial,
            chunk_bytes=1 << 40,
            on_origin=on_origin,
        )
    )
    if len(chunks) == 1:
        return chunks[0]
    gyr = (
        np.concatenate([c.gyr_rad_s for c in chunks if c.gyr_rad_s is not None])
        if all(c.gyr_rad_s is not None for c in chunks)
        else None
    )
    return make_recording(
        np.concatenate([c.time_s for c in chunks]),
        np.concatenate([c.acc_m_s2 for c in chunks]),
        gyr_rad_s=gyr,
        source=str(path),
        origin_s=0.0,
    )


def read_csv(
    path: Path | str, *, acc_unit: AccUnit = "auto", rate_hz: float | None = None
) -> Recording:
    """A generic CSV recording (see the module docstring)."""
    return read(path, "csv", acc_unit=acc_unit, rate_hz=rate_hz)


def mobgap_trials(path: Path | str) -> list[str]:
    """The ``Test/Trial`` names in a mobgap ``data.mat``."""
    data = _load_mat(Path(path))
    out: list[str] = []
    tm = data.TimeMeasure1
    for test in tm._fieldnames:
        for trial in getattr(tm, test)._fieldnames:
            out.append(f"{test}/{trial}")
    return out


def _load_mat(path: Path) -> Any:
    from scipy import io as sio

    try:
        mat = sio.loadmat(str(path), squeeze_me=True, struct_as_record=False)
    except (ValueError, OSError, TypeError, NotImplementedError, IndexError, KeyError) as exc:
        raise ImportFileError(str(path), f"not a MATLAB file ({exc})") from None
    if "data" not in mat or not hasattr(mat["data"], "TimeMeasure1"):
        raise ImportFileError(str(path), "not a mobgap data.mat (no data.TimeMeasure1)")
    return mat["data"]


def mobgap_trial_struct(path: Path | str, trial: str | None = None) -> tuple[str, Any]:
    """The MATLAB struct of one trial (default: the longest) and its ``Test/Trial`` name."""
    path = Path(path)
    data = _load_mat(path)
    names = mobgap_trials(path)
    if trial is None:

        def length(name: str) -> int:
            t, r = name.split("/")
            lower_back = getattr(getattr(data.TimeMeasure1, t), r).SU.LowerBack
            return int(np.size(lower_back.Timestamp))

        trial = max(names, key=length)
    if trial not in names:
        raise InvalidInputError("--trial", trial, "one of " + ", ".join(names))
    test_name, trial_name = trial.split("/")
    return trial, getattr(getattr(data.TimeMeasure1, test_name), trial_name)


def read_mobgap(path: Path | str, *, trial: str | None = None) -> Recording:
    """The lower-back recording of one trial of a mobgap ``data.mat`` (acc g -> m/s²)."""
    path = Path(path)
    name, rec = mobgap_trial_struct(path, trial)
    lb = rec.SU.LowerBack
    acc = np.asarray(lb.Acc, dtype=np.float64) * STANDARD_GRAVITY_M_S2
    gyr = np.asarray(lb.Gyr, dtype=np.float64) * _DEG
    fs = float(np.atleast_1d(lb.Fs.Acc if hasattr(lb.Fs, "Acc") else lb.Fs)[0])
    t = np.arange(acc.shape[0]) / fs
    return make_recording(t, acc, gyr_rad_s=gyr, sampling_rate_hz=fs, source=f"{path}:{name}")
