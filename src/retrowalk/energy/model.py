"""The public energy estimate: direction, speed, grade, mass and duration in; ranges out."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

from retrowalk.energy.backward import BACKWARD_RATIO_2024_NOTES, BackwardRatioPreset
from retrowalk.energy.conversions import REST_VO2_ML_KG_MIN, energy_kcal, vo2_to_mets
from retrowalk.energy.forward import ForwardModel, Regime
from retrowalk.energy.ranges import Range
from retrowalk.errors import InvalidInputError
from retrowalk.limits import MASS_KG_MAX, MASS_KG_MIN
from retrowalk.segments import MAX_SEGMENT_DURATION_S
from retrowalk.vocabulary import Direction

__all__ = [
    "DURATION_S_MAX",
    "GRADE_PCT_MAX",
    "GRADE_PCT_MIN",
    "SPEED_M_S_MAX",
    "EnergyEstimate",
    "EnergyModel",
    "estimate",
]

#: Fastest speed accepted, m/s: the fastest backward locomotion with energy data (backward
#: running at 3.5 m/s, Wright & Weyand 2001). Faster input is treated as a typo or wrong unit.
SPEED_M_S_MAX: Final = 3.5
#: Steepest downhill grade accepted, %: the LCDA data range (Looney et al. 2019).
GRADE_PCT_MIN: Final = -40.0
#: Steepest uphill grade accepted, %: the LCDA data range (Looney et al. 2019).
GRADE_PCT_MAX: Final = 45.0
#: Longest single estimate, s: the longest segment RetroWalk accepts (4 h).
DURATION_S_MAX: Final = MAX_SEGMENT_DURATION_S


def _check_real(name: str, value: object, accepted: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidInputError(name, value, accepted)
    return float(value)


def validate_inputs(
    direction: Direction | str,
    speed_m_s: float,
    grade_pct: float,
    mass_kg: float,
    duration_s: float,
    backward_practice_sessions: int = 0,
) -> Direction:
    """Check every input of :func:`estimate`; return the direction as a :class:`Direction`.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        Naming the first offending field, the value and the accepted range.
    """
    try:
        direction = Direction(direction)
    except ValueError:
        raise InvalidInputError("direction", direction, "'forward' or 'backward'") from None
    speed_accepted = f"a speed above 0 and at most {SPEED_M_S_MAX:g} m/s"
    speed = _check_real("speed_m_s", speed_m_s, speed_accepted)
    if not 0 < speed <= SPEED_M_S_MAX:
        raise InvalidInputError("speed_m_s", speed_m_s, speed_accepted)
    grade_accepted = f"a grade from {GRADE_PCT_MIN:g} to {GRADE_PCT_MAX:g} %"
    grade = _check_real("grade_pct", grade_pct, grade_accepted)
    if not GRADE_PCT_MIN <= grade <= GRADE_PCT_MAX:
        raise InvalidInputError("grade_pct", grade_pct, grade_accepted)
    mass_accepted = f"a body mass from {MASS_KG_MIN:g} to {MASS_KG_MAX:g} kg"
    mass = _check_real("mass_kg", mass_kg, mass_accepted)
    if not MASS_KG_MIN <= mass <= MASS_KG_MAX:
        raise InvalidInputError("mass_kg", mass_kg, mass_accepted)
    duration_accepted = f"a duration above 0 and at most {DURATION_S_MAX:g} s"
    duration = _check_real("duration_s", duration_s, duration_accepted)
    if not 0 < duration <= DURATION_S_MAX:
        raise InvalidInputError("duration_s", duration_s, duration_accepted)
    if (
        isinstance(backward_practice_sessions, bool)
        or not isinstance(backward_practice_sessions, int)
        or backward_practice_sessions < 0
    ):
        raise InvalidInputError(
            "backward_practice_sessions", backward_practice_sessions, "a whole number >= 0"
        )
    return direction


@dataclass(frozen=True, slots=True)
class EnergyEstimate:
    """The energy cost of walking one condition for one duration, with its uncertainty.

    Attributes
    ----------
    direction, speed_m_s, grade_pct, mass_kg, duration_s, backward_practice_sessions
        The inputs, in SI units.
    vo2_ml_kg_min
        Gross oxygen uptake, mL O2 per kg per minute.
    mets
        Gross METs (``vo2_ml_kg_min / 3.5``).
    energy_kcal
        Gross energy over ``duration_s``, kcal.
    energy_net_kcal
        Energy above rest (1 MET subtracted) over ``duration_s``, kcal.
    backward_ratio
        The backward/forward ratio applied; ``None`` for forward walking.
    forward_equation
        The equation that gave the central forward figure.
    regime
        ``"walking"`` or ``"running_speed"`` (above the walking equations' data).
    warnings
        Plain-language notes wherever the inputs leave the range the evidence covers.
    """

    direction: Direction
    speed_m_s: float
    grade_pct: float
    mass_kg: float
    duration_s: float
    backward_practice_sessions: int
    vo2_ml_kg_min: Range
    mets: Range
    energy_kcal: Range
    energy_net_kcal: Range
    backward_ratio: Range | None
    forward_equation: str
    regime: Regime
    warnings: tuple[str, ...] = ()

    @property
    def inputs_si(self) -> dict[str, object]:
        """The inputs as a JSON-ready dict (SI units, names carry the unit)."""
        return {
            "direction": self.direction.value,
            "speed_m_s": self.speed_m_s,
            "grade_pct": self.grade_pct,
            "mass_kg": self.mass_kg,
            "duration_s": self.duration_s,
            "backward_practice_sessions": self.backward_practice_sessions,
        }


@dataclass(frozen=True, slots=True)
class EnergyModel:
    """A configured energy model: forward equations plus the backward ratio preset.

    Parameters
    ----------
    forward
        Forward cost model (central equation and range-bounding equations).
    backward
        Backward/forward ratio preset.

    Notes
    -----
    The model is pure: no I/O, no clock. :data:`DEFAULT_MODEL` is what the CLI and web app use;
    the validation bench builds a second one with
    :data:`retrowalk.energy.backward.FORWARD_AS_BACKWARD` as a baseline.
    """

    forward: ForwardModel = field(default_factory=ForwardModel)
    backward: BackwardRatioPreset = BACKWARD_RATIO_2024_NOTES

    def vo2_ml_kg_min(
        self,
        direction: Direction,
        speed_m_s: float,
        grade_pct: float,
        backward_practice_sessions: int = 0,
    ) -> tuple[Range, Range | None, str, Regime, tuple[str, ...]]:
        """Gross oxygen uptake range, ratio applied, equation, regime and warnings."""
        forward = self.forward.cost(speed_m_s, grade_pct)
        if direction is Direction.FORWARD:
            return forward.vo2_ml_kg_min, None, forward.equation, forward.regime, forward.warnings
        ratio = self.backward.ratio_for(speed_m_s, grade_pct, backward_practice_sessions)
        fw = forward.vo2_ml_kg_min
        vo2 = Range(
            fw.low * ratio.ratio.low, fw.central * ratio.ratio.central, fw.high * ratio.ratio.high
        )
        return vo2, ratio.ratio, forward.equation, forward.regime, forward.warnings + ratio.warnings

    def estimate(
        self,
        direction: Direction | str,
        speed_m_s: float,
        grade_pct: float,
        mass_kg: float,
        duration_s: float,
        *,
        backward_practice_sessions: int = 0,
    ) -> EnergyEstimate:
        """Estimate oxygen uptake, METs and energy; see :func:`estimate`."""
        direction = validate_inputs(
            direction, speed_m_s, grade_pct, mass_kg, duration_s, backward_practice_sessions
        )
        speed_m_s, grade_pct = float(speed_m_s), float(grade_pct)
        mass_kg, duration_s = float(mass_kg), float(duration_s)
        vo2, ratio, equation, regime, warnings = self.vo2_ml_kg_min(
            direction, speed_m_s, grade_pct, backward_practice_sessions
        )
        return EnergyEstimate(
            direction=direction,
            speed_m_s=speed_m_s,
            grade_pct=grade_pct,
            mass_kg=mass_kg,
            duration_s=duration_s,
            backward_practice_sessions=backward_practice_sessions,
            vo2_ml_kg_min=vo2,
            mets=vo2_to_mets(vo2),
            energy_kcal=energy_kcal(vo2, mass_kg, duration_s),
            energy_net_kcal=energy_kcal(vo2.shifted(-REST_VO2_ML_KG_MIN), mass_kg, duration_s),
            backward_ratio=ratio,
            forward_equation=equation,
            regime=regime,
            warnings=warnings,
        )


#: The model RetroWalk uses: LCDA forward, ratio synthesis backward.
DEFAULT_MODEL: Final = EnergyModel()


def estimate(
    direction: Direction | str,
    speed_m_s: float,
    grade_pct: float,
    mass_kg: float,
    duration_s: float,
    *,
    backward_practice_sessions: int = 0,
) -> EnergyEstimate:
    """Estimate the energy cost of walking forward or backward.

    Parameters
    ----------
    direction
        ``Direction.FORWARD`` or ``Direction.BACKWARD`` (or their string values).
    speed_m_s
        Walking speed, m/s: above 0 and at most 3.5.
    grade_pct
        Grade in percent, -40 to 45; negative is downhill.
    mass_kg
        Body mass, kg, 30 to 300.
    duration_s
        Duration, s: above 0 and at most 4 h.
    backward_practice_sessions
        Backward walking sessions done before this one (0 = first time). Lowers the backward
        cost as Heath et al. (2001) measured; ignored for forward walking.

    Returns
    -------
    EnergyEstimate
        Oxygen uptake, METs, gross and net kcal as low/central/high ranges, and warnings.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        A ``ValueError`` naming the offending field, the value and the accepted range.

    Notes
    -----
    Forward: LCDA walking equation (Looney et al. 2019), range from its SEE, the 1.1/1.11
    transcriptions and the ACSM walking equation where valid. Backward: the forward cost times
    a ratio of 1.30 (1.15-1.45) from the measured data and Compendium codes, lowered by
    practice. kcal = VO2 x mass x minutes x 5.0 kcal/L O2 (4.7-5.05 at the range ends).
    See ``docs/energy.md`` and ``docs/evidence.md``.

    References
    ----------
    .. [1] Looney DP et al. Med Sci Sports Exerc 51(9):1954-1960, 2019.
    .. [2] Williford HN et al. Med Sci Sports Exerc 30(9):1419-1423, 1998.
    .. [3] Ainsworth BE et al. 2011 Compendium; Herrmann SD et al. 2024 Adult Compendium,
       codes 17320 and 17325.
    .. [4] Heath et al. Physical Therapy in Sport 2:171, 2001.
    """
    return DEFAULT_MODEL.estimate(
        direction,
        speed_m_s,
        grade_pct,
        mass_kg,
        duration_s,
        backward_practice_sessions=backward_practice_sessions,
    )
