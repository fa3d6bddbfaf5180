"""Energy cost of forward and backward walking, with its uncertainty.

Pure models (no I/O): the forward cost from published equations (LCDA, ACSM), the backward
cost as an evidence-based ratio on the forward cost, lowered by practice. Every figure is a
:class:`Range` (low, central, high). Sources: ``docs/evidence.md``; user guide: ``docs/energy.md``.

Examples
--------
>>> from retrowalk.energy import estimate
>>> result = estimate("backward", speed_m_s=1.12, grade_pct=0, mass_kg=70, duration_s=900)
>>> round(result.energy_kcal.central)
79
"""

from __future__ import annotations

from retrowalk.energy.backward import (
    BACKWARD_RATIO_2024_NOTES,
    FORWARD_AS_BACKWARD,
    BackwardRatioPreset,
)
from retrowalk.energy.compare import CLAIMS, Claim, ClaimVerdict, Comparison, compare
from retrowalk.energy.forward import (
    ACSM_RUNNING,
    ACSM_WALKING,
    LCDA_2019,
    LCDA_2019_INNER_BASE_1_11,
    AcsmPreset,
    ForwardModel,
    LcdaWalkingPreset,
)
from retrowalk.energy.model import DEFAULT_MODEL, EnergyEstimate, EnergyModel, estimate
from retrowalk.energy.ranges import Range
from retrowalk.energy.session import SegmentEnergy, SessionEnergy, WalkedSegment, estimate_session
from retrowalk.energy.validation import ValidationReport, validate

__all__ = [
    "ACSM_RUNNING",
    "ACSM_WALKING",
    "BACKWARD_RATIO_2024_NOTES",
    "CLAIMS",
    "DEFAULT_MODEL",
    "FORWARD_AS_BACKWARD",
    "LCDA_2019",
    "LCDA_2019_INNER_BASE_1_11",
    "AcsmPreset",
    "BackwardRatioPreset",
    "Claim",
    "ClaimVerdict",
    "Comparison",
    "EnergyEstimate",
    "EnergyModel",
    "ForwardModel",
    "LcdaWalkingPreset",
    "Range",
    "SegmentEnergy",
    "SessionEnergy",
    "ValidationReport",
    "WalkedSegment",
    "compare",
    "estimate",
    "estimate_session",
    "validate",
]
