"""Recordings attached to logs: aligned, analysed per segment, stored compressed, deleted with
the log or alone, refused with a clear message (the log kept) when they cannot be right.

The backward segments of the synthetic session are forward walking played backwards in time: a
development aid that exercises the plumbing, not evidence about real backward walking."""

from __future__ import annotations

import lzma
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select

from retrowalk.errors import ImportFileError
from retrowalk.motion.recording import Recording, make_recording
from retrowalk.motion.storage import MAGIC, decode, encode
from retrowalk.services.backup import export_to, import_from
from retrowalk.services.database import Database, open_database
from retrowalk.services.logs import add_log, delete_log
from retrowalk.services.recordings import (
    attach_bytes,
    attach_file,
    attach_recording,
    delete_recording,
    direction_sentence,
    get_recording,
)
from retrowalk.store import models
from tests.motion.synthetic import G, walk
from tests.services.helpers import a_log, store_profile

CADENCE = 110.0
RATE = 100.0


def session_recording(durations: list[tuple[str, float]], lead_s: float = 5.0) -> Recording:
    """Walking for each (direction, seconds); backward parts are time-reversed walking."""
    total = sum(d for _, d in durations) + 2 * lead_s
    _t, acc = walk(CADENCE, int(total * CADENCE / 60) + 10, still_s=0.0, seed=3)
    pieces = [np.tile([0.0, 0.0, G], (round(lead_s * RATE), 1))]
    at = 0
    for direction, seconds in durations:
        n = round(seconds * RATE)
        part = acc[at : at + n]
        pieces.append(part[::-1] if direction == "backward" else part)
        at += n
    pieces.append(np.tile([0.0, 0.0, G], (round(lead_s * RATE), 1)))
    values = np.concatenate(pieces)
    values = values + np.random.default_rng(4).normal(0, 0.03, values.shape)
    return make_recording(np.arange(values.shape[0]) / RATE, values, source="synthetic")


PLAN = [
    ("forward", 120.0),
    ("backward", 60.0),
    ("forward", 60.0),
    ("backward", 60.0),
    ("forward", 120.0),
]


def logged(db: Database) -> tuple[str, datetime]:
    with db.transaction() as session:
        store_profile(session)
        view = add_log(session, a_log())
    return view.id, view.started_at


def test_attach_analyses_each_segment_and_derives_speed_and_energy(db: Database) -> None:
    log_id, started = logged(db)
    rec = session_recording(PLAN)
    with db.transaction() as session:
        view = attach_recording(session, log_id, rec, started - timedelta(seconds=5), source="test")
    analysis = view.analysis
    walked_s = sum(d for _, d in PLAN)
    assert analysis["steps"] == pytest.approx(walked_s * CADENCE / 60, rel=0.03)
    assert analysis["cadence_spm"] == pytest.approx(CADENCE, rel=0.02)
    assert (analysis["backward_intervals"], analysis["backward_confirmed"]) == (2, 2)
    assert direction_sentence(analysis) == "backward confirmed for 2 of 2 intervals"
    seg = analysis["segments"][1]
    assert seg["planned_direction"] == "backward"
    assert seg["speed_m_s"]["low"] < seg["speed_m_s"]["central"] < seg["speed_m_s"]["high"]
    with db.factory() as session:
        log = session.get(models.SessionLog, log_id)
        assert log is not None
        by_position = {p["position"]: p for p in analysis["segments"]}
        for s in log.segments:
            assert s.energy is not None
            assert s.energy["speed_source"] == "motion"
            assert s.energy["energy_kcal"]["central"] > 0
            # the energy is costed over the speed range from the steps, not one speed
            assert s.energy["motion_speed_m_s"] == by_position[s.position]["speed_m_s"]
            kcal = s.energy["energy_kcal"]
            assert kcal["low"] < kcal["central"] < kcal["high"]
        assert log.energy is not None
        assert log.energy["speed_source"] == "motion"
        assert "Speed from your steps" in log.energy["speed_note"]
        assert log.energy["energy_kcal"]["central"] > 0
        assert log.kcal_central is not None
        assert log.kcal_central > 0


def test_a_30_minute_100_hz_session_costs_a_few_mb() -> None:
    t, acc = walk(CADENCE, int(30 * CADENCE), still_s=0.0)
    acc = acc + np.random.default_rng(0).normal(0, 0.05, acc.shape)
    rec = make_recording(t[: 30 * 60 * 100], acc[: 30 * 60 * 100])
    data = encode(rec)
    assert len(data) < 3_000_000
    assert encode(decode(data)) == data


@pytest.mark.parametrize(
    ("values", "duration_s", "message"),
    [
        ("still", 60.0, "table"),
        ("constant", 60.0, "every sample is the same"),
        ("walk", 5.0, "at least 10 s"),
    ],
)
def test_bad_recordings_are_refused_and_the_log_kept(
    db: Database, values: str, duration_s: float, message: str
) -> None:
    log_id, started = logged(db)
    t = np.arange(0.0, duration_s, 1 / RATE)
    if values == "walk":
        acc = session_recording([("forward", duration_s)], lead_s=0.0).acc_m_s2[: t.shape[0]]
        t = t[: acc.shape[0]]
    else:
        acc = np.tile([0.0, 0.0, G], (t.shape[0], 1))
        if values == "still":
            acc = acc + np.random.default_rng(1).normal(0, 0.02, acc.shape)
    with db.transaction() as session, pytest.raises(ImportFileError, match=message):
        attach_recording(session, log_id, make_recording(t, acc), started, source="test")
    with db.factory() as session:
        assert session.get(models.SessionLog, log_id) is not None
        assert session.scalar(select(func.count()).select_from(models.MotionRecording)) == 0


def test_a_file_from_another_session_is_refused(db: Database) -> None:
    log_id, started = logged(db)
    with db.transaction() as session, pytest.raises(ImportFileError, match="another session"):
        attach_recording(
            session, log_id, session_recording(PLAN), started - timedelta(days=1), source="t"
        )


def test_corrupt_truncated_or_out_of_order_uploads_are_refused(db: Database) -> None:
    log_id, started = logged(db)
    good = encode(session_recording(PLAN))
    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0xFF
    # a valid stream whose second timestamp goes back in time
    n = 100
    ints = np.zeros(4 * n, dtype="<i4")
    ints[1:n] = 10_000
    ints[2] = -50_000
    out_of_order = MAGIC + lzma.compress(
        b'{"gyro": false, "samples": 100, "sampling_rate_hz": 100.0}\n' + ints.tobytes()
    )
    cases = [
        (good[: len(good) // 2], "corrupt or truncated"),
        (bytes(flipped), "corrupt"),
        (b"hello", "bad magic"),
        (out_of_order, "strictly increase"),
    ]
    for data, message in cases:
        with db.transaction() as session, pytest.raises(ImportFileError, match=message):
            attach_bytes(session, log_id, data, started, source="upload")
    with db.factory() as session:
        assert session.get(models.SessionLog, log_id) is not None


def test_deleting_the_recording_keeps_the_log_and_deleting_the_log_the_recording(
    db: Database,
) -> None:
    log_id, started = logged(db)
    with db.transaction() as session:
        attach_recording(session, log_id, session_recording(PLAN), started, source="t")
    with db.transaction() as session:
        assert delete_recording(session, log_id)
        assert get_recording(session, log_id) is None
        log = session.get(models.SessionLog, log_id)
        assert log is not None
        assert all(
            s.energy is not None and s.energy["speed_source"] != "motion" for s in log.segments
        )
    with db.transaction() as session:
        attach_recording(session, log_id, session_recording(PLAN), started, source="t")
    with db.transaction() as session:
        delete_log(session, log_id)
    with db.factory() as session:
        assert session.scalar(select(func.count()).select_from(models.MotionRecording)) == 0


def test_export_import_round_trip_keeps_the_recording_byte_for_byte(
    db: Database, tmp_path: Path
) -> None:
    log_id, started = logged(db)
    with db.transaction() as session:
        attach_recording(session, log_id, session_recording(PLAN), started, source="t")
    with db.factory() as session:
        before = session.scalars(select(models.MotionRecording)).one()
        blob, analysis = before.data, before.analysis
    for fmt in ("json", "csv"):
        path = tmp_path / f"export.{fmt}"
        export_to(db, path, fmt)  # type: ignore[arg-type]
        target = open_database(f"sqlite:///{tmp_path / f'target-{fmt}.db'}")
        try:
            summary = import_from(target, path)
            assert summary.inserted["motion_recordings"] == 1
            with target.factory() as session:
                after = session.scalars(select(models.MotionRecording)).one()
                assert after.data == blob
                assert after.analysis == analysis
        finally:
            target.dispose()


def clock_csv(path: Path, rec: Recording, first_sample_at: datetime) -> Path:
    """``rec`` as a logger CSV with Unix-time milliseconds."""
    t_ms = first_sample_at.timestamp() * 1000 + rec.time_s * 1000
    np.savetxt(
        path,
        np.column_stack([t_ms, rec.acc_m_s2]),
        delimiter=",",
        header="timestamp_ms,ax,ay,az",
        comments="",
        fmt="%.3f",
    )
    return path


def test_attach_file_aligns_by_its_unix_timestamps(db: Database, tmp_path: Path) -> None:
    log_id, started = logged(db)
    path = clock_csv(tmp_path / "walk.csv", session_recording(PLAN), started - timedelta(seconds=5))
    with db.transaction() as session:
        view, how = attach_file(session, log_id, path)
    assert "timestamps" in how
    assert abs((view.started_at - (started - timedelta(seconds=5))).total_seconds()) < 0.01
    assert view.analysis["backward_confirmed"] == 2
