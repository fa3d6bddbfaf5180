"""Regression tests on the real recordings in data/ (see each folder's README for licences)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from retrowalk.motion import analyze
from retrowalk.motion.datasets import ipol, mobgap, oxford_optimisation, oxford_validation
from retrowalk.motion.validation import match_events

DATA = Path(__file__).resolve().parents[2] / "data"
OXFORD = sorted((DATA / "oxford-step-counter/validation").glob("*.csv.gz"))


@pytest.mark.parametrize("path", OXFORD, ids=lambda p: "_".join(p.name.split("_")[:2]))
def test_oxford_validation_counts_within_3_pct(path: Path):
    rec = oxford_validation(path)
    steps = analyze(rec.recording).steps
    assert abs(steps - rec.true_steps) <= 0.03 * rec.true_steps


def test_oxford_reference_counts_are_read_as_published():
    rec = oxford_validation(next(p for p in OXFORD if p.name.startswith("user1_hand")))
    assert (rec.true_steps, rec.app_steps, rec.hardware_steps) == (326, 311, None)
    rec2 = oxford_validation(next(p for p in OXFORD if p.name.startswith("user2_hand")))
    assert rec2.hardware_steps == 338


def test_oxford_optimisation_steps_match_stats_csv():
    folder = DATA / "oxford-step-counter/optimisation/data/Samsung_Carmelo_Hard_Armband_1"
    rec = oxford_optimisation(folder)
    assert rec.true_steps == 295
    assert abs(analyze(rec.recording).steps - 295) <= 0.03 * 295


@pytest.mark.parametrize("subject", [1, 3, 13])
def test_ipol_initial_contacts(subject: int):
    ref = ipol(DATA / f"ipol-healthy-gait-imu/GaitData/{subject}-1.json")
    summary = analyze(ref.recording)
    agreement = match_events(summary.step_times_s, ref.initial_contacts_s, 0.25)
    assert agreement.sensitivity >= 0.9
    assert agreement.precision >= 0.85
    assert len(summary.bouts) == 1


def test_mobgap_straight_walk():
    ref = mobgap(DATA / "mobgap-example-lab/lab/HA/001/data.mat", "Test5/Trial1")
    assert ref.initial_contacts_s.size == 9
    summary = analyze(ref.recording)
    assert len(summary.bouts) == 1
    # the aim: cadence relative error under 5 % (Mobilise-D real world: < 8.5 %)
    assert summary.bouts[0].cadence_spm == pytest.approx(float(ref.cadence_spm[0]), rel=0.05)
    agreement = match_events(summary.step_times_s, ref.initial_contacts_s, 0.25)
    assert agreement.sensitivity == 1.0
    assert np.all(np.diff(summary.step_times_s) > 0)
