"""Motion analysis: steps, cadence, walking bouts and steadiness from inertial recordings.

Pure core (NumPy/SciPy), no I/O besides the readers. Entry points: :func:`analyze` for a
:class:`Recording` in memory, :func:`analyze_chunks` for a long recording read in chunks, and
:mod:`retrowalk.motion.readers` for files. Sensor frame and units: see
:mod:`retrowalk.motion.recording`.
"""

from __future__ import annotations

from retrowalk.motion.analysis import ANALYSIS_RATE_HZ, MotionSummary, analyze, analyze_chunks
from retrowalk.motion.bouts import Bout, BoutDetector
from retrowalk.motion.recording import Recording
from retrowalk.motion.steadiness import Steadiness
from retrowalk.motion.steps import StepDetector, StepPreset

__all__ = [
    "ANALYSIS_RATE_HZ",
    "Bout",
    "BoutDetector",
    "MotionSummary",
    "Recording",
    "Steadiness",
    "StepDetector",
    "StepPreset",
    "analyze",
    "analyze_chunks",
]
