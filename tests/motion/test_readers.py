"""The readers: generic CSV, phone-app exports, data-set files, and clear errors for the rest."""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrowalk.errors import ImportFileError, InvalidInputError, RetroWalkError
from retrowalk.motion import readers
from retrowalk.motion.gravity import STANDARD_GRAVITY_M_S2

DATA = Path(__file__).resolve().parents[2] / "data"
SETTINGS = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TIME_UNITS = {"time_s": 1.0, "timestamp_ms": 1e3, "timestamp_ns": 1e9, "timestamp": 1e3}


def _samples(n: int, rate: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = np.arange(n) / rate
    acc = rng.normal(0, 1.0, (n, 3)) + np.array([0.0, 0.0, 9.81])
    return t, acc


@SETTINGS
@given(
    n=st.integers(20, 300),
    rate=st.floats(20.0, 500.0),
    delimiter=st.sampled_from([",", ";", "\t"]),
    time_col=st.sampled_from(sorted(TIME_UNITS)),
    in_g=st.booleans(),
    with_gyro=st.booleans(),
    seed=st.integers(0, 1000),
)
def test_generic_csv_round_trip(
    tmp_path: Path,
    n: int,
    rate: float,
    delimiter: str,
    time_col: str,
    in_g: bool,
    with_gyro: bool,
    seed: int,
):
    t, acc = _samples(n, rate, seed)
    scale = 1.0 / STANDARD_GRAVITY_M_S2 if in_g else 1.0
    gyr = np.random.default_rng(seed).normal(0, 1, (n, 3))
    header = [time_col, "ax", "ay", "az"] + (["gx", "gy", "gz"] if with_gyro else [])
    lines = [delimiter.join(header)]
    for i in range(n):
        row = [t[i] * TIME_UNITS[time_col] + 1000.0, *(acc[i] * scale)]
        if with_gyro:
            row += list(gyr[i])
        lines.append(delimiter.join(repr(float(v)) for v in row))
    path = tmp_path / "walk.csv"
    path.write_text("\n".join(lines) + "\n")
    rec = readers.read(path)
    np.testing.assert_allclose(rec.time_s, t, atol=1e-6 + 1e-9 * rate)
    np.testing.assert_allclose(rec.acc_m_s2, acc, rtol=1e-9, atol=1e-9)
    assert rec.sampling_rate_hz == pytest.approx(rate, rel=1e-3)
    assert (rec.gyr_rad_s is not None) == with_gyro


@SETTINGS
@given(text=st.text(max_size=400))
def test_any_text_is_a_recording_or_a_clear_error(tmp_path: Path, text: str):
    path = tmp_path / "x.csv"
    path.write_text(text, encoding="utf-8")
    message = ""
    try:
        rec = readers.read(path)
    except RetroWalkError as exc:
        message = str(exc)
    if message:
        assert str(path) in message
    else:
        assert rec.n_samples >= 2


def test_chunks_join_to_the_whole_file(tmp_path: Path):
    t, acc = _samples(5000, 100.0, 1)
    path = tmp_path / "long.csv.gz"
    body = "time_s,ax,ay,az\n" + "".join(
        f"{t[i]:.17g},{acc[i, 0]:.17g},{acc[i, 1]:.17g},{acc[i, 2]:.17g}\n"
        for i in range(t.shape[0])
    )
    path.write_bytes(gzip.compress(body.encode()))
    seen: list[int] = []
    chunks = list(readers.iter_chunks(path, chunk_bytes=20_000, on_bytes=seen.append))
    assert len(chunks) > 5
    np.testing.assert_allclose(np.concatenate([c.time_s for c in chunks]), t)
    np.testing.assert_allclose(np.concatenate([c.acc_m_s2 for c in chunks]), acc)
    assert seen == sorted(seen)


def test_phyphox_export(tmp_path: Path):
    t, acc = _samples(200, 100.0, 2)
    lines = [
        '"Time (s)","Acceleration x (m/s^2)","Acceleration y (m/s^2)",'
        '"Acceleration z (m/s^2)","Absolute acceleration (m/s^2)"'
    ]
    for i in range(200):
        lines.append(",".join(f"{v:.9E}" for v in (t[i], *acc[i], np.linalg.norm(acc[i]))))
    path = tmp_path / "Raw Data.csv"
    path.write_text("\n".join(lines) + "\n")
    assert readers.detect_format(path) == "phyphox"
    rec = readers.read(path)
    np.testing.assert_allclose(rec.acc_m_s2, acc, rtol=1e-8)


def test_sensor_logger_total_acceleration(tmp_path: Path):
    t, acc = _samples(200, 100.0, 3)
    lines = ["time,seconds_elapsed,z,y,x"]
    for i in range(200):
        ns = 1_700_000_000_000_000_000 + round(t[i] * 1e9)
        lines.append(f"{ns},{t[i]:.17g},{acc[i, 2]:.17g},{acc[i, 1]:.17g},{acc[i, 0]:.17g}")
    path = tmp_path / "TotalAcceleration.csv"
    path.write_text("\n".join(lines) + "\n")
    assert readers.detect_format(path) == "sensorlogger"
    rec = readers.read(path)
    np.testing.assert_allclose(rec.acc_m_s2, acc)
    np.testing.assert_allclose(rec.time_s, t, atol=1e-6)


def test_sensor_logger_accelerometer_without_gravity_is_refused(tmp_path: Path):
    t, acc = _samples(200, 100.0, 5)
    acc[:, 2] -= 9.81
    lines = ["time,seconds_elapsed,z,y,x"]
    for i in range(200):
        ns = 1_700_000_000_000_000_000 + round(t[i] * 1e9)
        lines.append(f"{ns},{t[i]:.17g},{acc[i, 2]:.17g},{acc[i, 1]:.17g},{acc[i, 0]:.17g}")
    path = tmp_path / "Accelerometer.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportFileError, match=r"TotalAcceleration\.csv"):
        readers.read(path)


def test_a_wrong_unit_is_refused(tmp_path: Path):
    t, acc = _samples(200, 100.0, 6)
    path = tmp_path / "walk.csv"
    rows = "".join(f"{t[i]},{a[0]},{a[1]},{a[2]}\n" for i, a in enumerate(acc))
    path.write_text("time_s,ax,ay,az\n" + rows)
    with pytest.raises(ImportFileError, match="given in g but its gravity reads as m/s²"):
        readers.read(path, acc_unit="g")
    assert readers.read(path, acc_unit="m/s2").n_samples == 200


def test_gravity_free_acceleration_is_refused(tmp_path: Path):
    t, acc = _samples(200, 100.0, 4)
    path = tmp_path / "linear.csv"
    rows = "".join(f"{t[i]},{a[0] - 0},{a[1]},{a[2] - 9.81}\n" for i, a in enumerate(acc))
    path.write_text("time_s,ax,ay,az\n" + rows)
    with pytest.raises(ImportFileError, match="gravity must be included"):
        readers.read(path)


def test_missing_columns_are_named(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("time_s,speed\n0,1\n0.01,2\n")
    with pytest.raises(ImportFileError, match="ax, ay, az"):
        readers.read(path)


def test_csv_without_time_needs_a_rate(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("ax,ay,az\n" + "0,0,9.8\n" * 50)
    with pytest.raises(ImportFileError, match="sampling rate"):
        readers.read(path)
    rec = readers.read(path, rate_hz=50.0)
    assert rec.sampling_rate_hz == 50.0
    assert rec.time_s[-1] == pytest.approx(49 / 50)


def test_options_are_checked(tmp_path: Path):
    path = tmp_path / "x.csv"
    path.write_text("ax,ay,az\n" + "0,0,9.8\n" * 50)
    with pytest.raises(InvalidInputError, match="--format"):
        readers.read(path, "tcx")
    with pytest.raises(InvalidInputError, match="--sampling-rate"):
        readers.read(path, rate_hz=2.0)
    with pytest.raises(InvalidInputError, match="--acc-unit"):
        readers.read(path, acc_unit="furlong")  # type: ignore[arg-type]


def test_a_rate_outside_the_accepted_range_is_refused(tmp_path: Path):
    path = tmp_path / "slow.csv"
    path.write_text("time_s,ax,ay,az\n" + "".join(f"{i},0,0,9.8\n" for i in range(20)))
    with pytest.raises(ImportFileError, match="sampling rate 1 Hz is outside 10 to 1000 Hz"):
        readers.read(path)


def test_out_of_order_timestamps_are_sorted_and_duplicates_dropped(tmp_path: Path):
    path = tmp_path / "x.csv"
    rows = ["0.00,0,0,9.8", "0.02,0,0,9.9", "0.01,0,0,9.7", "0.02,0,0,1.0", "0.03,0,0,9.8"]
    path.write_text("time_s,ax,ay,az\n" + "\n".join(rows * 1) + "\n")
    rec = readers.read(path, acc_unit="m/s2")
    np.testing.assert_allclose(rec.time_s, [0.0, 0.01, 0.02, 0.03])
    np.testing.assert_allclose(rec.acc_m_s2[:, 2], [9.8, 9.7, 9.9, 9.8])


def test_oxford_validation_file():
    path = next((DATA / "oxford-step-counter/validation").glob("user2_hand_*.csv.gz"))
    assert readers.detect_format(path) == "oxford"
    rec = readers.read(path)
    assert rec.sampling_rate_hz == pytest.approx(100.0, rel=0.02)
    assert 190 < rec.duration_s < 230


def test_ipol_file():
    rec = readers.read(DATA / "ipol-healthy-gait-imu/GaitData/1-1_lb.txt.gz")
    assert rec.sampling_rate_hz == 100.0
    assert rec.gyr_rad_s is not None
    assert np.median(np.linalg.norm(rec.acc_m_s2, axis=1)) == pytest.approx(9.8, abs=0.6)


def test_mobgap_file_in_g_and_deg_s():
    mat = DATA / "mobgap-example-lab/lab/HA/001/data.mat"
    assert readers.mobgap_trials(mat) == ["Test5/Trial1", "Test5/Trial2", "Test11/Trial1"]
    rec = readers.read(mat, trial="Test11/Trial1")
    assert rec.n_samples == 13759
    assert np.median(np.linalg.norm(rec.acc_m_s2, axis=1)) == pytest.approx(9.8, abs=0.3)
    with pytest.raises(InvalidInputError, match="--trial"):
        readers.read(mat, trial="Test99/Trial1")


def test_a_mat_file_that_is_not_mobgap(tmp_path: Path):
    path = tmp_path / "x.mat"
    path.write_bytes(b"not a matlab file at all")
    with pytest.raises(ImportFileError, match=r"x\.mat"):
        readers.read(path)


def test_a_block_with_nothing_new_is_skipped(tmp_path: Path):
    rows = [f"{i / 100:.2f},0,0,9.8" for i in range(300)] + ["2.99,0,0,9.8"] * 3000
    path = tmp_path / "repeat.csv"
    path.write_text("time_s,ax,ay,az\n" + "\n".join(rows) + "\n")
    chunks = list(readers.iter_chunks(path, chunk_bytes=5_000))
    assert sum(c.n_samples for c in chunks) == 300
