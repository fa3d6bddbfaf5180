"""Forward walking: published prediction equations as named presets, and the forward cost range.

The central figure comes from the LCDA walking equations (Looney et al. 2019) [1]_. The range
is the envelope of the LCDA estimate plus or minus its standard error of estimation (SEE), of
both published transcriptions of its grade term (inner base 1.1 and 1.11, see Notes), and of
the ACSM walking equation [2]_ where ACSM is meant to be used (50-100 m/min, level or uphill).

Notes
-----
*Why LCDA.* It covers the speeds and grades RetroWalk users meet (up to 1.96 m/s, -40 % to
+45 %), downhill included, and it was validated for individuals (level SEE 0.20 W/kg, graded
SEE 0.42 W/kg) [1]_. ACSM is "most accurate at 50-100 m/min" and not meant for downhill [2]_.
At 1.341 m/s level LCDA gives 13.2 mL/kg/min and ACSM 11.5 against 12.42 measured forward
(Williford 1998): both within 7 %, on opposite sides, so the ACSM value is kept in the range.

*The 1.1 vs 1.11 discrepancy.* Public copies of the graded LCDA equation disagree on the inner
base of the grade term (``1.1 ** (G + 32)`` vs ``1.11 ** (G + 32)``). The primary paper could
not be read here; most public implementations seen write 1.1, one family of copies writes 1.11.
:data:`LCDA_2019` uses 1.1 and :data:`LCDA_2019_INNER_BASE_1_11` the alternative; both feed the
range so that the unresolved transcription widens rather than hides the uncertainty. Level
walking (G = 0) is unaffected (the term is multiplied by G).

*Running speeds.* Above 1.96 m/s (the LCDA data limit) no walking equation is validated. The
central figure switches to the ACSM running equation [2]_ (uphill or level; for downhill the LCDA
extrapolation is kept), and the range spans the walking and running equations, because the gait
(fast walk or run) is then unknown. A warning says so.

References
----------
.. [1] Looney DP, Santee WR, Hansen EO, Bonventre PJ, Chalmers CR, Potter AW. Estimating energy
   expenditure during level, uphill, and downhill walking. Med Sci Sports Exerc
   51(9):1954-1960, 2019. doi:10.1249/MSS.0000000000002002. Validity and SEE from the abstract
   [A]; coefficients from public code copies [S].
.. [2] Bushman B. Metabolic Calculations in Action, Parts 1-2. ACSM's Health & Fitness Journal
   2020 (doi 10.1249/FIT.0000000000000562; 10.1249/FIT.0000000000000577), reproducing ACSM
   GETP 10th ed., Table 6.3 [S].
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Final, Literal

from retrowalk.energy.conversions import W_KG_TO_ML_KG_MIN
from retrowalk.energy.ranges import Range

__all__ = [
    "ACSM_RUNNING",
    "ACSM_WALKING",
    "LCDA_2019",
    "LCDA_2019_INNER_BASE_1_11",
    "AcsmPreset",
    "ForwardCost",
    "ForwardModel",
    "LcdaWalkingPreset",
]

#: 1 m/s in m/min.
_M_MIN_PER_M_S: Final = 60.0

Regime = Literal["walking", "running_speed"]


@dataclass(frozen=True, slots=True)
class LcdaWalkingPreset:
    """Coefficients of the LCDA graded walking equation (Looney et al. 2019).

    ``M (W/kg) = a + b*S**p + c*S**q + d*S*G*(1 - e**(1 - f**(G + g)))``
    with S in m/s and G the grade in percent.

    Parameters
    ----------
    name
        Short name shown in outputs.
    citation
        Where the coefficients come from.
    standing_w_kg, speed_coef, speed_exponent, speed4_coef, speed4_exponent
        ``a, b, p, c, q`` above.
    grade_coef, grade_outer_base, grade_inner_base, grade_offset_pct
        ``d, e, f, g`` above.
    see_level_w_kg, see_graded_w_kg
        Standard error of estimation of the level and graded equations, W/kg.
    speed_max_m_s
        Highest speed in the data the equation was built on.
    grade_min_pct, grade_max_pct
        Grade range of those data, percent.
    """

    name: str
    citation: str
    standing_w_kg: float = 1.44
    speed_coef: float = 1.94
    speed_exponent: float = 0.43
    speed4_coef: float = 0.24
    speed4_exponent: float = 4.0
    grade_coef: float = 0.34
    grade_outer_base: float = 1.05
    grade_inner_base: float = 1.1
    grade_offset_pct: float = 32.0
    see_level_w_kg: float = 0.20
    see_graded_w_kg: float = 0.42
    speed_max_m_s: float = 1.96
    grade_min_pct: float = -40.0
    grade_max_pct: float = 45.0

    def metabolic_rate_w_kg(self, speed_m_s: float, grade_pct: float) -> float:
        """Gross metabolic rate in W per kg of body mass (no load carried)."""
        level = float(
            self.standing_w_kg
            + self.speed_coef * speed_m_s**self.speed_exponent
            + self.speed4_coef * speed_m_s**self.speed4_exponent
        )
        if grade_pct == 0:
            return level
        shape = 1.0 - float(self.grade_outer_base) ** (
            1.0 - self.grade_inner_base ** (grade_pct + self.grade_offset_pct)
        )
        return float(level + self.grade_coef * speed_m_s * grade_pct * shape)

    def see_w_kg(self, grade_pct: float) -> float:
        """The SEE that applies: the level one at 0 %, the graded one otherwise."""
        return self.see_level_w_kg if grade_pct == 0 else self.see_graded_w_kg

    def vo2_ml_kg_min(self, speed_m_s: float, grade_pct: float) -> float:
        """Gross oxygen uptake, mL/kg/min (W/kg x 60/20.1)."""
        return self.metabolic_rate_w_kg(speed_m_s, grade_pct) * W_KG_TO_ML_KG_MIN


#: LCDA graded walking equation with the inner base 1.1 (most public copies). [S]
LCDA_2019: Final = LcdaWalkingPreset(
    name="LCDA (Looney et al. 2019)",
    citation="Looney et al., Med Sci Sports Exerc 51(9):1954-1960, 2019",
)
#: The same equation as transcribed by a minority of public copies (inner base 1.11). [S]
LCDA_2019_INNER_BASE_1_11: Final = replace(
    LCDA_2019, name="LCDA (Looney et al. 2019), inner base 1.11 variant", grade_inner_base=1.11
)


@dataclass(frozen=True, slots=True)
class AcsmPreset:
    """An ACSM metabolic equation: ``VO2 = rest + h*S + v*S*G`` (S in m/min, G a fraction).

    Parameters
    ----------
    name, citation
        Shown in outputs.
    rest_ml_kg_min
        Resting component, mL/kg/min.
    horizontal_coef
        mL O2/kg per metre travelled horizontally.
    vertical_coef
        mL O2/kg per metre of belt travel per unit grade; applied only uphill (ACSM: the
        vertical term is not meant for downhill).
    speed_min_m_min, speed_max_m_min
        Speeds where the equation is meant to be used (``None``: not stated in our sources).
    """

    name: str
    citation: str
    rest_ml_kg_min: float
    horizontal_coef: float
    vertical_coef: float
    speed_min_m_min: float | None = None
    speed_max_m_min: float | None = None

    def vo2_ml_kg_min(self, speed_m_s: float, grade_pct: float) -> float:
        """Gross oxygen uptake, mL/kg/min; the grade term is dropped for downhill grades."""
        speed_m_min = speed_m_s * _M_MIN_PER_M_S
        uphill_fraction = max(grade_pct, 0.0) / 100.0
        return (
            self.rest_ml_kg_min
            + self.horizontal_coef * speed_m_min
            + self.vertical_coef * speed_m_min * uphill_fraction
        )

    def in_speed_range(self, speed_m_s: float) -> bool:
        """Whether the speed lies where the equation is meant to be used."""
        speed_m_min = speed_m_s * _M_MIN_PER_M_S
        low_ok = self.speed_min_m_min is None or speed_m_min >= self.speed_min_m_min
        high_ok = self.speed_max_m_min is None or speed_m_min <= self.speed_max_m_min
        return low_ok and high_ok


#: ACSM walking equation, most accurate at 50-100 m/min. [S]
ACSM_WALKING: Final = AcsmPreset(
    name="ACSM walking",
    citation="ACSM GETP 10th ed. Table 6.3 via Bushman, ACSM Health Fit J 2020",
    rest_ml_kg_min=3.5,
    horizontal_coef=0.1,
    vertical_coef=1.8,
    speed_min_m_min=50.0,
    speed_max_m_min=100.0,
)
#: ACSM running equation (the companion of the walking one). [S]
ACSM_RUNNING: Final = AcsmPreset(
    name="ACSM running",
    citation="ACSM GETP 10th ed. Table 6.3 via Bushman, ACSM Health Fit J 2020",
    rest_ml_kg_min=3.5,
    horizontal_coef=0.2,
    vertical_coef=0.9,
)


@dataclass(frozen=True, slots=True)
class ForwardCost:
    """Forward walking oxygen cost at one speed and grade.

    Attributes
    ----------
    vo2_ml_kg_min
        Gross oxygen uptake range, mL/kg/min.
    equation
        Name of the equation that gave the central figure.
    regime
        ``"walking"`` up to the LCDA speed limit, ``"running_speed"`` above it.
    warnings
        Plain-language notes on evidence limits.
    """

    vo2_ml_kg_min: Range
    equation: str
    regime: Regime
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ForwardModel:
    """The forward cost model: a central equation and the equations that bound its range.

    Parameters
    ----------
    lcda
        Central walking equation.
    lcda_alternative
        Alternative transcription included in the range (``None`` to leave it out).
    acsm_walking
        ACSM walking equation, included in the range where it is meant to be used.
    acsm_running
        ACSM running equation, used at running speeds.
    """

    lcda: LcdaWalkingPreset = LCDA_2019
    lcda_alternative: LcdaWalkingPreset | None = field(default=LCDA_2019_INNER_BASE_1_11)
    acsm_walking: AcsmPreset = ACSM_WALKING
    acsm_running: AcsmPreset = ACSM_RUNNING

    @property
    def walking_speed_max_m_s(self) -> float:
        """Highest speed treated as walking (the LCDA data limit)."""
        return self.lcda.speed_max_m_s

    def _lcda_bounds(self, speed_m_s: float, grade_pct: float) -> list[float]:
        presets = (
            [self.lcda] if self.lcda_alternative is None else [self.lcda, self.lcda_alternative]
        )
        bounds: list[float] = []
        for preset in presets:
            rate = preset.metabolic_rate_w_kg(speed_m_s, grade_pct)
            see = preset.see_w_kg(grade_pct)
            bounds += [(rate - see) * W_KG_TO_ML_KG_MIN, (rate + see) * W_KG_TO_ML_KG_MIN]
        return bounds

    def cost(self, speed_m_s: float, grade_pct: float) -> ForwardCost:
        """Forward gross oxygen cost range at ``speed_m_s`` (m/s) and ``grade_pct`` (%).

        Inputs are assumed validated (see :func:`retrowalk.energy.estimate`).
        """
        candidates = self._lcda_bounds(speed_m_s, grade_pct)
        uphill_or_level = grade_pct >= 0
        if speed_m_s <= self.walking_speed_max_m_s:
            central = self.lcda.vo2_ml_kg_min(speed_m_s, grade_pct)
            if uphill_or_level and self.acsm_walking.in_speed_range(speed_m_s):
                candidates.append(self.acsm_walking.vo2_ml_kg_min(speed_m_s, grade_pct))
            return ForwardCost(
                Range(min([*candidates, central]), central, max([*candidates, central])),
                self.lcda.name,
                "walking",
            )
        warnings = [
            f"running speed: above {self.walking_speed_max_m_s:g} m/s no walking equation is "
            "validated (LCDA data end there); the range spans the walking and running "
            "equations because the gait (fast walk or run) is unknown"
        ]
        candidates.append(self.acsm_walking.vo2_ml_kg_min(speed_m_s, grade_pct))
        if uphill_or_level:
            central = self.acsm_running.vo2_ml_kg_min(speed_m_s, grade_pct)
            equation = self.acsm_running.name
        else:
            central = self.lcda.vo2_ml_kg_min(speed_m_s, grade_pct)
            equation = f"{self.lcda.name}, extrapolated"
            warnings.append(
                "downhill at running speed: no equation in our sources covers it; the LCDA "
                "walking equation is extrapolated"
            )
        candidates += [self.acsm_running.vo2_ml_kg_min(speed_m_s, grade_pct), central]
        return ForwardCost(
            Range(min(candidates), central, max(candidates)),
            equation,
            "running_speed",
            tuple(warnings),
        )
