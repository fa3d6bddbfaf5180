"""Loaders of the reference annotations of the validation data sets in ``data/``.

Used by ``bench/`` and ``tests/motion/``; the files and their licences are described in each
``data/<name>/README.md``. Nothing here is needed to analyse a user's recording.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from retrowalk.motion import readers
from retrowalk.motion.bouts import cadence_spm
from retrowalk.motion.recording import FloatArray, Recording, make_recording

#: Sampling rate of the IPOL Xsens recordings and of their event indices (Hz), per its README.
IPOL_RATE_HZ = 100.0


@dataclass(frozen=True, eq=False)
class OxfordRecording:
    """One Oxford Step Counter recording with its step counts."""

    name: str
    position: str
    recording: Recording
    true_steps: int
    app_steps: int | None = None
    hardware_steps: int | None = None


def oxford_validation(path: Path) -> OxfordRecording:
    """A ``validation/<user>_<position>_<ms>.csv[.gz]`` file; a count is its last minus first."""
    with readers._open_text(path) as fh:  # small files (about 1 MB)
        v = np.loadtxt(fh, delimiter=",", ndmin=2)
    user, position = readers._base_name(path).split("_")[:2]
    rec = make_recording(v[:, 0] * 1e-9, v[:, 1:4], source=str(path))
    hardware = int(v[-1, 6] - v[0, 6])
    return OxfordRecording(
        name=f"{user}_{position}",
        position=position,
        recording=rec,
        true_steps=int(v[-1, 5] - v[0, 5]),
        app_steps=int(v[-1, 4] - v[0, 4]),
        hardware_steps=hardware if np.any(v[:, 6] != 0) else None,
    )


def oxford_optimisation(folder: Path) -> OxfordRecording:
    """An ``optimisation/data/<name>/`` folder: one step = a 0 -> 1 transition of a foot switch."""
    acc_file = next(folder.glob("accelerometer.csv*"))
    steps_file = next(folder.glob("stepcounter.csv*"))
    rec = readers.read(acc_file, "oxford-accelerometer")
    with readers._open_text(steps_file) as fh:
        s = np.loadtxt(fh, delimiter=",", ndmin=2)
    steps = sum(int(np.sum((s[1:, k] == 1) & (s[:-1, k] == 0))) for k in (1, 2))
    parts = folder.name.split("_")
    return OxfordRecording(
        name=f"{parts[1]}_{parts[3]}".lower(),
        position=parts[3].lower().replace("inhand", "hand").replace("purse", "bag"),
        recording=rec,
        true_steps=steps,
    )


@dataclass(frozen=True, eq=False)
class ReferenceGait:
    """Reference initial contacts and walking bouts of one recording (times in s)."""

    name: str
    recording: Recording
    initial_contacts_s: FloatArray
    bouts_s: FloatArray  # (M, 2) start, end
    cadence_spm: FloatArray  # per bout


def ipol(json_path: Path) -> ReferenceGait:
    """An IPOL trial: the lower-back signal and each footstep's end (foot strike) as contact.

    The whole walk (first to last footstep, U-turn included) is one reference bout; its cadence
    is computed from the reference contacts as RetroWalk computes it from its steps.
    """
    meta = json.loads(json_path.read_text())
    stem = json_path.name.removesuffix(".json")
    signal_file = next(json_path.parent.glob(f"{stem}_lb.txt*"))
    rec = readers.read(signal_file, "ipol")
    events = np.asarray(meta["LeftFootEvents"] + meta["RightFootEvents"], dtype=np.float64)
    contacts = np.sort(events[:, 1]) / IPOL_RATE_HZ
    bout = np.array([[contacts[0], contacts[-1]]])
    cadence = np.array([cadence_spm(contacts)])
    return ReferenceGait(stem, rec, contacts, bout, cadence)


def mobgap(data_mat: Path, trial: str) -> ReferenceGait:
    """A mobgap trial with the INDIP reference micro walking bouts and initial contacts."""
    name, rec_struct = readers.mobgap_trial_struct(data_mat, trial)
    rec = readers.read_mobgap(data_mat, trial=trial)
    standards = getattr(rec_struct, "Standards", None)
    indip = getattr(standards, "INDIP", None)
    wbs = np.atleast_1d(getattr(indip, "MicroWB", np.zeros(0)))
    contacts: list[float] = []
    bounds: list[tuple[float, float]] = []
    cadence: list[float] = []
    for wb in wbs:
        if not hasattr(wb, "Start"):
            continue
        ic = np.atleast_1d(np.asarray(wb.InitialContact_Event, dtype=np.float64))
        ic = ic[np.isfinite(ic)]
        contacts.extend(ic.tolist())
        bounds.append((float(wb.Start), float(wb.End)))
        cadence.append(float(np.nanmean(np.atleast_1d(wb.Cadence))))
    label = f"{data_mat.parent.parent.name}/{data_mat.parent.name} {name}"
    return ReferenceGait(
        label,
        rec,
        np.sort(np.asarray(contacts)),
        np.asarray(bounds, dtype=np.float64).reshape(-1, 2),
        np.asarray(cadence),
    )
