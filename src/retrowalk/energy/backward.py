"""Backward walking: a ratio on the forward cost, with its band and a practice input.

No backward-walking prediction equation has been published (Myatt 1995, Hreljac 2005 and a
study in young women fitted curves whose coefficients are not in their abstracts). The model is
therefore ``VO2_backward = k x VO2_forward`` at the same speed and grade, gross oxygen uptake
per minute, with ``k`` taken from the measured backward/forward comparisons and the Compendium
backward codes. Every constant is sourced in ``docs/evidence.md``.

Notes
-----
*The ratio band.* ``k`` = 1.30 with a band of 1.15 to 1.45 is the synthesis in the research
notes for level or moderate-grade walking at 1.1-1.6 m/s [1]_. It spans the measured pair
(Williford 1998: 15.95 / 12.42 = 1.28 against measured forward), the Compendium backward codes
against forward walking (1.25 to 1.51 gross), backward running (Wright & Weyand 2001:
1.35 +/- 0.06; Williford 1998 at 5 mph: 1.15).

*The floor.* Every study that compared the directions at the same speed found backward cost
higher (Williford 1998, Flynn 1994, Chaloupka 1997, Hooper 2004, Masumoto 2009, Wright & Weyand
2001), so ``k`` never goes below 1.0.

*Practice.* Heath et al. (2001) measured oxygen uptake in 8 men walking backward on a treadmill
at a fixed speed: 2.05 -> 1.66 L/min (-19 %) after 4 weeks of 3 x 15 min a week (12 sessions).
How much of that is backward-specific skill is unknown: Terblanche et al. (2005) saw forward
submaximal cost fall almost as much (-30 % vs -32 % backward) after backward training. So the
model lets practice lower the *low* end by the whole -19 %, leaves the *high* end unchanged
(none of it backward-specific) and moves the central figure by half of it (a midpoint under
ignorance, labelled [derived]). The effect grows linearly with sessions up to 12, the dose
studied; the linear ramp is an assumption (Heath measured only before and after).

*Evidence limits.* Below 0.89 m/s (the slowest speed tested backward, Myatt 1995, values not
seen) and downhill there are no backward energy data at all: the low end then drops to the
floor (backward = forward) so the range widens, and a warning says so.

References
----------
.. [1] RetroWalk research notes, ``energy_notes.md`` section 3 (modelling suggestion).
.. [2] Williford HN et al. Med Sci Sports Exerc 30(9):1419-1423, 1998 [A].
.. [3] Heath et al. Physical Therapy in Sport 2:171, 2001, doi:10.1054/ptsp.2001.0057 [A].
.. [4] Terblanche E et al. Int J Sports Med 26(3):214-219, 2005 [A].
.. [5] Hreljac A et al. J Sports Sci Med 4:446-454, 2005 [A].
.. [6] Hooper TL et al. J Orthop Sports Phys Ther 34(2):65-71, 2004 [A].
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from retrowalk.energy.ranges import Range

__all__ = [
    "BACKWARD_RATIO_2024_NOTES",
    "FORWARD_AS_BACKWARD",
    "BackwardRatio",
    "BackwardRatioPreset",
]


@dataclass(frozen=True, slots=True)
class BackwardRatioPreset:
    """Backward/forward oxygen-cost ratio with its band, practice effect and evidence limits.

    Parameters
    ----------
    name, citation
        Shown in outputs.
    ratio
        ``k`` for a novice: low, central and high (gross VO2 per minute, same speed and grade).
    ratio_floor
        Lowest ``k`` allowed whatever the practice or widening.
    practice_vo2_reduction_max
        Largest fractional fall in backward oxygen uptake with practice.
    practice_central_share
        Share of that fall applied to the central figure (0 = none, 1 = all).
    practice_sessions_full
        Sessions after which the practice effect is complete (the dose studied).
    speed_data_min_m_s
        Slowest backward speed with any energy data; below it the low end drops to the floor.
    band_speed_min_m_s, band_speed_max_m_s
        Speeds the band was synthesised for; outside them a "limited evidence" warning is given.
    walk_run_transition_m_s
        Mean preferred backward walk-to-run transition speed.
    grade_data_min_pct, grade_data_max_pct
        Grades with backward energy data, percent.
    """

    name: str
    citation: str
    ratio: Range
    ratio_floor: float
    practice_vo2_reduction_max: float
    practice_central_share: float
    practice_sessions_full: int
    speed_data_min_m_s: float
    band_speed_min_m_s: float
    band_speed_max_m_s: float
    walk_run_transition_m_s: float
    grade_data_min_pct: float
    grade_data_max_pct: float

    def __post_init__(self) -> None:
        if self.ratio.low < self.ratio_floor:
            raise ValueError("ratio.low must not be below ratio_floor")
        if not 0 <= self.practice_vo2_reduction_max < 1:
            raise ValueError("practice_vo2_reduction_max must be in [0, 1)")
        if not 0 <= self.practice_central_share <= 1:
            raise ValueError("practice_central_share must be in [0, 1]")
        if self.practice_sessions_full < 1:
            raise ValueError("practice_sessions_full must be at least 1")

    def practice_fraction(self, practice_sessions: int) -> float:
        """Share of the full practice effect reached after ``practice_sessions`` (0 to 1)."""
        return min(practice_sessions / self.practice_sessions_full, 1.0)

    def ratio_for(
        self, speed_m_s: float, grade_pct: float, practice_sessions: int
    ) -> BackwardRatio:
        """The ratio range and evidence warnings for one condition.

        Parameters
        ----------
        speed_m_s
            Walking speed, m/s (validated by the caller).
        grade_pct
            Grade, percent; negative is downhill.
        practice_sessions
            Backward walking sessions done before (0 = first time).
        """
        warnings: list[str] = []
        reduction = self.practice_vo2_reduction_max * self.practice_fraction(practice_sessions)
        low = self.ratio.low * (1.0 - reduction)
        central = self.ratio.central * (1.0 - self.practice_central_share * reduction)
        high = self.ratio.high
        if practice_sessions > 0:
            warnings.append(
                "limited evidence: the practice effect comes from one study of 8 men "
                f"(Heath 2001, -{self.practice_vo2_reduction_max:.0%} after "
                f"{self.practice_sessions_full} sessions) and may be partly general fitness; "
                "the range keeps the no-effect case at its high end"
            )
        if practice_sessions > self.practice_sessions_full:
            warnings.append(
                f"limited evidence: no study followed backward practice beyond "
                f"{self.practice_sessions_full} sessions; the effect is held at that level"
            )
        if speed_m_s < self.speed_data_min_m_s:
            low = self.ratio_floor
            warnings.append(
                f"no backward energy data below {self.speed_data_min_m_s:g} m/s: the range is "
                "widened down to the forward cost"
            )
        elif not self.band_speed_min_m_s <= speed_m_s <= self.band_speed_max_m_s:
            warnings.append(
                f"limited evidence: the backward/forward ratio is best supported at "
                f"{self.band_speed_min_m_s:g}-{self.band_speed_max_m_s:g} m/s"
            )
        if speed_m_s > self.walk_run_transition_m_s:
            warnings.append(
                f"fast for walking backward: people switch to running backward near "
                f"{self.walk_run_transition_m_s:g} m/s on average (Hreljac 2005)"
            )
        if grade_pct < self.grade_data_min_pct:
            low = self.ratio_floor
            warnings.append(
                "no energy data for downhill backward walking: the range is widened down to "
                "the forward cost"
            )
        elif grade_pct > self.grade_data_max_pct:
            warnings.append(
                f"limited evidence: backward walking has been measured up to "
                f"{self.grade_data_max_pct:g}% grade only"
            )
        low = max(low, self.ratio_floor)
        central = max(central, low)
        return BackwardRatio(Range(low, central, max(high, central)), tuple(warnings))


@dataclass(frozen=True, slots=True)
class BackwardRatio:
    """Backward/forward ratio for one condition, and why it is what it is."""

    ratio: Range
    warnings: tuple[str, ...]


#: The default preset: the synthesis of energy_notes.md section 3 (see module Notes).
BACKWARD_RATIO_2024_NOTES: Final = BackwardRatioPreset(
    name="backward/forward ratio (RetroWalk synthesis of measured data and Compendium codes)",
    citation="energy_notes.md section 3; Williford 1998; Compendium 2011/2024; Heath 2001",
    ratio=Range(low=1.15, central=1.30, high=1.45),
    ratio_floor=1.0,
    practice_vo2_reduction_max=1.0 - 1.66 / 2.05,
    practice_central_share=0.5,
    practice_sessions_full=12,
    speed_data_min_m_s=0.89,
    band_speed_min_m_s=1.1,
    band_speed_max_m_s=1.6,
    walk_run_transition_m_s=1.63,
    grade_data_min_pct=0.0,
    grade_data_max_pct=10.0,
)

#: A ratio of exactly 1: the forward equation applied to backward walking (a baseline).
FORWARD_AS_BACKWARD: Final = BackwardRatioPreset(
    name="forward equation applied to backward walking (baseline)",
    citation="baseline for validation; no backward evidence",
    ratio=Range.point(1.0),
    ratio_floor=1.0,
    practice_vo2_reduction_max=0.0,
    practice_central_share=0.0,
    practice_sessions_full=1,
    speed_data_min_m_s=0.0,
    band_speed_min_m_s=0.0,
    band_speed_max_m_s=math.inf,
    walk_run_transition_m_s=math.inf,
    grade_data_min_pct=-math.inf,
    grade_data_max_pct=math.inf,
)
