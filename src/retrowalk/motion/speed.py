"""Walking speed from cadence and step length, with its range.

speed = cadence × step length. The phone measures cadence (steps, :mod:`retrowalk.motion.steps`)
but not step length, so the step length is a range, not a measurement:

- **Forward**: :data:`FORWARD_STEP_LENGTH_M`, the 5th, 50th and 95th percentiles of the step
  length of the 19 healthy adults of the IPOL reference gait set (Voisard et al., IPOL 2023):
  10 m divided by the footsteps annotated on each 10 m leg (38 legs). The 10 m include starting
  and stopping, so these slightly under-estimate steady walking.
- **Backward**: step length is shorter than forward while cadence is about the same (Laufer,
  J Gerontol A 60(5):627, 2005: "a decrease in gait velocity, stride length … and no change in
  cadence"; Lee et al., Gait & Posture 38:674-678, 2013: slower). No ratio was found in the
  project's research notes, so :data:`BACKWARD_STEP_RATIO` is a deliberately wide range (half to
  the whole of the forward step) whose centre is its midpoint. **Thin evidence**: the backward
  speed's range is wide on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

from retrowalk.errors import InvalidInputError

#: Forward step length (m): 5th / 50th / 95th percentile over the IPOL legs (see module doc;
#: reproduced by bench/direction_validation.py).
FORWARD_STEP_LENGTH_M = (0.50, 0.625, 0.77)
#: Backward step length as a share of the forward one (low, central, high). Policy range: the
#: evidence says "shorter" without a figure (Laufer 2005; Lee et al. 2013).
BACKWARD_STEP_RATIO = (0.5, 0.75, 1.0)
#: Cadences accepted (steps/min), as the step detector's step periods (0.25-1.0 s).
CADENCE_SPM_RANGE = (60.0, 240.0)


@dataclass(frozen=True)
class SpeedEstimate:
    """Speed in m/s: central value and the range it may lie in."""

    low_m_s: float
    central_m_s: float
    high_m_s: float


def speed_from_cadence(cadence_spm: float, direction: str) -> SpeedEstimate:
    """Walking speed from cadence for ``direction`` ``"forward"`` or ``"backward"``."""
    lo, hi = CADENCE_SPM_RANGE
    if not lo <= cadence_spm <= hi:
        raise InvalidInputError("cadence_spm", cadence_spm, f"{lo:g} to {hi:g} steps/min")
    if direction == "forward":
        ratio = (1.0, 1.0, 1.0)
    elif direction == "backward":
        ratio = BACKWARD_STEP_RATIO
    else:
        raise InvalidInputError("direction", direction, "forward or backward")
    steps_s = cadence_spm / 60.0
    low, central, high = (
        steps_s * length * r for length, r in zip(FORWARD_STEP_LENGTH_M, ratio, strict=True)
    )
    return SpeedEstimate(low_m_s=low, central_m_s=central, high_m_s=high)
