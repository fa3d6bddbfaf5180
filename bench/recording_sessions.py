"""Recordings replayed as logged sessions: size per minute, step and cadence error, and the
direction check on planned backward intervals that were really walked forward.

    .venv/bin/python bench/recording_sessions.py

Each Oxford validation recording (phone, 6 positions, foot-switch step truth) and IPOL walk
(lower back, annotated footsteps) is logged as a session and attached through
``retrowalk.services.recordings`` (SQLite in a temporary folder), exactly as ``retrowalk log
attach`` does. Oxford sessions are logged as forward 60 s, backward 40 s, forward to the end:
the walker in fact walked forward all along, so the backward interval must NOT be confirmed
(the only real labelled test of the direction check available: forward walking).
Baselines: step counts and cadence as in docs/motion.md (bench/steps_validation.py,
bench/gait_validation.py) — attaching must not make them worse.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from retrowalk.motion import datasets
from retrowalk.motion.recording import Recording, make_recording
from retrowalk.motion.storage import encode
from retrowalk.services.database import open_database
from retrowalk.services.logs import LogInput, SegmentInput, add_log
from retrowalk.services.recordings import attach_recording

DATA = Path(__file__).resolve().parents[1] / "data"


def _segment(direction: str, seconds: float) -> SegmentInput:
    return SegmentInput(
        direction=direction, duration_s=seconds, environment="hallway", support="none"
    )


def sizes() -> None:
    print("Stored size (retrowalk.motion.storage, xz):")
    rows = []
    for f in sorted((DATA / "oxford-step-counter" / "validation").glob("*.csv*")):
        rows.append(("Oxford phone, acc only", datasets.oxford_validation(f).recording))
    for j in sorted((DATA / "ipol-healthy-gait-imu" / "GaitData").glob("*-1.json")):
        rows.append(("IPOL lower back, acc + gyro", datasets.ipol(j).recording))
    by: dict[str, list[tuple[int, float, float]]] = {}
    for label, rec in rows:
        by.setdefault(label, []).append((len(encode(rec)), rec.duration_s, rec.sampling_rate_hz))
    # what a browser sends: DeviceMotion rounded to 0.1 m/s² and 0.1 deg/s (Chromium), 60 Hz
    browser = []
    for _label, rec in rows:
        if rec.gyr_rad_s is None:
            continue
        t = np.arange(0.0, rec.duration_s, 1 / 60)
        acc = np.column_stack([np.interp(t, rec.time_s, rec.acc_m_s2[:, k]) for k in range(3)])
        gyr = np.column_stack([np.interp(t, rec.time_s, rec.gyr_rad_s[:, k]) for k in range(3)])
        step = np.deg2rad(0.1)
        b = make_recording(
            t, np.round(acc, 1), gyr_rad_s=np.round(gyr / step) * step, sampling_rate_hz=60.0
        )
        browser.append((len(encode(b)), b.duration_s, 60.0))
    by["browser-like (IPOL at 60 Hz, 0.1 m/s², 0.1 deg/s), acc + gyro"] = browser
    for label, items in by.items():
        per_min = sum(s for s, _, _ in items) / sum(d for _, d, _ in items) * 60
        rate = float(np.median([r for _, _, r in items]))
        at_100 = per_min * 100 / rate * 30
        print(
            f"  {label:<62} {per_min / 1024:6.1f} KiB/min at {rate:.0f} Hz"
            f" -> 30 min at 100 Hz about {at_100 / 1e6:.2f} MB"
        )


def _attach(db, rec: Recording, segments: list[SegmentInput], start: datetime):
    with db.transaction() as session:
        view = add_log(session, LogInput(started_at=start, segments=tuple(segments)))
        return attach_recording(session, view.id, rec, start, source="bench").analysis


def replayed() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(f"sqlite:///{tmp}/bench.db")
        start = datetime(2026, 11, 1, 9, tzinfo=UTC)
        errors, checks = [], Counter()
        for k, f in enumerate(sorted((DATA / "oxford-step-counter" / "validation").glob("*.csv*"))):
            o = datasets.oxford_validation(f)
            d = o.recording.duration_s
            segs = [_segment("forward", 60), _segment("backward", 40), _segment("forward", d - 100)]
            a = _attach(db, o.recording, segs, start + timedelta(hours=k))
            errors.append(100 * abs(a["steps"] - o.true_steps) / o.true_steps)
            back = a["segments"][1]
            checks[back["direction"]] += 1
        print(
            f"Oxford, 12 sessions (forward 60 s / 'backward' 40 s / forward): step count error "
            f"median {np.median(errors):.2f} %, mean {np.mean(errors):.2f} %, worst "
            f"{max(errors):.2f} %"
        )
        print(
            f"  planned-backward interval really walked forward: called forward "
            f"{checks['forward']}, unknown {checks['unknown']}, backward (wrong) "
            f"{checks['backward']} of 12"
        )
        s_err, c_err = [], []
        for k, j in enumerate(
            sorted((DATA / "ipol-healthy-gait-imu" / "GaitData").glob("*-1.json"))
        ):
            g = datasets.ipol(j)
            rec = g.recording
            a = _attach(
                db, rec, [_segment("forward", rec.duration_s)], start + timedelta(days=1, hours=k)
            )
            true_steps = g.initial_contacts_s.shape[0]
            s_err.append(100 * abs(a["steps"] - true_steps) / true_steps)
            if a["cadence_spm"]:
                c_err.append(100 * abs(a["cadence_spm"] - g.cadence_spm[0]) / g.cadence_spm[0])
        print(
            f"IPOL, 19 sessions (one forward segment): step count error median "
            f"{np.median(s_err):.1f} %, mean {np.mean(s_err):.1f} %; cadence error median "
            f"{np.median(c_err):.1f} %, mean {np.mean(c_err):.1f} % ({len(c_err)} sessions)"
        )
        db.dispose()


if __name__ == "__main__":
    sizes()
    replayed()
