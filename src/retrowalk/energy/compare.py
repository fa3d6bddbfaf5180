"""Backward vs forward for the user's own inputs, and what that says about the popular claims.

Three popular claims are checked (``energy_notes.md`` section 4):

* "10-20 % more" than forward walking (often "at 3 mph");
* "30 % more" than forward walking;
* "40 % more per minute than brisk forward walking" (attributed to ACSM).

Notes
-----
The backward/forward ratio at the same speed and grade is the model's ratio ``k`` (the forward
equation cancels out). Against brisk forward walking (3.5 mph level, the Compendium's "brisk"
code 17200) the ratio is ``k x VO2_fw(v, G) / VO2_fw(brisk)`` with central forward figures:
the forward equation's own error largely cancels in a ratio for the same person, an assumption
labelled [derived] in ``docs/evidence.md``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

from retrowalk.energy.conversions import REST_VO2_ML_KG_MIN
from retrowalk.energy.model import DEFAULT_MODEL, EnergyEstimate, EnergyModel
from retrowalk.energy.ranges import Range
from retrowalk.units import mph_to_m_s
from retrowalk.vocabulary import Direction

__all__ = [
    "BRISK_FORWARD_GRADE_PCT",
    "BRISK_FORWARD_SPEED_M_S",
    "CLAIMS",
    "Claim",
    "ClaimVerdict",
    "Comparison",
    "compare",
]

#: Brisk forward walking: 3.5 mph, level (Compendium 17200, "walking, 3.5 mph, level, brisk").
BRISK_FORWARD_SPEED_M_S: Final = mph_to_m_s(3.5)
#: Brisk forward walking is level in the Compendium code.
BRISK_FORWARD_GRADE_PCT: Final = 0.0

Baseline = Literal["forward_same_speed", "forward_brisk"]
Verdict = Literal["understates", "consistent", "overstates"]


@dataclass(frozen=True, slots=True)
class Claim:
    """A popular claim about backward walking's extra cost.

    Parameters
    ----------
    key
        Short identifier used in JSON.
    text
        The claim as popular articles put it.
    ratio
        The claimed backward/baseline ratio (low, central, high; a point for a single figure).
    baseline
        What the claim compares with.
    context
        Where the figure most likely comes from (research notes, section 4).
    """

    key: str
    text: str
    ratio: Range
    baseline: Baseline
    context: str


#: The claims checked, with the provenance found for each (energy_notes.md section 4).
CLAIMS: Final[tuple[Claim, ...]] = (
    Claim(
        key="10_to_20_pct",
        text="10-20% more than forward walking",
        ratio=Range(1.10, 1.15, 1.20),
        baseline="forward_same_speed",
        context=(
            "10-20% matches the heart-rate differences (Williford 1998: +17% HR at 3 mph; "
            "Hooper 2004: 17-20%), not oxygen uptake, which was +28% at 3 mph in people new to "
            "backward walking; it may fit practised walkers, but no study measured that"
        ),
    ),
    Claim(
        key="30_pct",
        text="30% more than forward walking",
        ratio=Range.point(1.30),
        baseline="forward_same_speed",
        context=(
            "30% fits the measured data for newcomers at the same speed and grade (Williford "
            "1998: +28% at 3 mph; backward running +35%); it does not hold at your own slower "
            "backward pace, where the per-minute burn may be no higher than brisk walking"
        ),
    ),
    Claim(
        key="40_pct_vs_brisk",
        text="40% more per minute than brisk forward walking",
        ratio=Range.point(1.40),
        baseline="forward_brisk",
        context=(
            "40% is the 2011 Compendium ratio (6.0 vs 4.3 MET at 3.5 mph), a table value, not a "
            "measurement; with the 2024 Compendium (brisk walking 4.8 MET) the same comparison "
            "gives +25%"
        ),
    ),
)


@dataclass(frozen=True, slots=True)
class ClaimVerdict:
    """How one claim holds up for the user's inputs.

    Attributes
    ----------
    claim
        The claim.
    your_ratio
        The model's backward/baseline ratio for these inputs.
    verdict
        ``"understates"`` (the claim is below the whole range), ``"consistent"`` (it overlaps
        the range) or ``"overstates"`` (it is above the whole range).
    explanation
        Plain words for the user.
    """

    claim: Claim
    your_ratio: Range
    verdict: Verdict
    explanation: str


@dataclass(frozen=True, slots=True)
class Comparison:
    """Backward walking compared with forward walking for one set of inputs.

    Attributes
    ----------
    backward, forward_same, forward_brisk
        Estimates for backward at the user's speed and grade, forward at the same speed and
        grade, and brisk forward walking (3.5 mph, level) for the same duration and mass.
    vs_forward_pct, vs_forward_net_pct
        Backward minus forward at the same speed and grade, % of forward (gross and net of rest).
    vs_brisk_pct
        Backward minus brisk forward, % of brisk forward (gross).
    verdicts
        One verdict per popular claim.
    notes
        Cautions that apply to every comparison.
    """

    backward: EnergyEstimate
    forward_same: EnergyEstimate
    forward_brisk: EnergyEstimate
    vs_forward_pct: Range
    vs_forward_net_pct: Range
    vs_brisk_pct: Range
    verdicts: tuple[ClaimVerdict, ...]
    notes: tuple[str, ...]


def _pct(ratio: Range) -> Range:
    return Range((ratio.low - 1) * 100, (ratio.central - 1) * 100, (ratio.high - 1) * 100)


def _fmt_pct(value: float) -> str:
    return f"{value:+.0f}%"


def judge(claim: Claim, your_ratio: Range) -> ClaimVerdict:
    """Compare a claim's ratio with the model's ratio range and explain the result."""
    yours = (
        f"for you the model gives {_fmt_pct((your_ratio.central - 1) * 100)} "
        f"(range {_fmt_pct((your_ratio.low - 1) * 100)} to "
        f"{_fmt_pct((your_ratio.high - 1) * 100)})"
    )
    verdict: Verdict
    if claim.ratio.high < your_ratio.low:
        verdict = "understates"
        lead = f'"{claim.text}" understates it: {yours}.'
    elif claim.ratio.low > your_ratio.high:
        verdict = "overstates"
        lead = f'"{claim.text}" overstates it: {yours}.'
    else:
        verdict = "consistent"
        if claim.ratio.high < your_ratio.central:
            where = "within the evidence, but below the central figure"
        elif claim.ratio.low > your_ratio.central:
            where = "within the evidence, but above the central figure"
        else:
            where = "within the evidence"
        lead = f'"{claim.text}" is {where}: {yours}.'
    return ClaimVerdict(claim, your_ratio, verdict, f"{lead} Context: {claim.context}.")


def compare(
    speed_m_s: float,
    grade_pct: float,
    mass_kg: float,
    duration_s: float,
    *,
    backward_practice_sessions: int = 0,
    model: EnergyModel = DEFAULT_MODEL,
) -> Comparison:
    """Compare backward walking with forward walking at the same and at brisk speed.

    Parameters
    ----------
    speed_m_s, grade_pct, mass_kg, duration_s, backward_practice_sessions
        As in :func:`retrowalk.energy.estimate`.
    model
        The energy model.

    Returns
    -------
    Comparison
        Estimates, % differences with ranges, and a verdict per popular claim.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        On invalid inputs (naming the field).
    """
    backward = model.estimate(
        Direction.BACKWARD,
        speed_m_s,
        grade_pct,
        mass_kg,
        duration_s,
        backward_practice_sessions=backward_practice_sessions,
    )
    forward_same = model.estimate(Direction.FORWARD, speed_m_s, grade_pct, mass_kg, duration_s)
    forward_brisk = model.estimate(
        Direction.FORWARD, BRISK_FORWARD_SPEED_M_S, BRISK_FORWARD_GRADE_PCT, mass_kg, duration_s
    )
    if backward.backward_ratio is None:  # pragma: no cover - a backward estimate has a ratio
        raise AssertionError("backward estimate without a ratio")
    k = backward.backward_ratio
    fw = forward_same.vo2_ml_kg_min.central
    fw_net = fw - REST_VO2_ML_KG_MIN
    net_ratio = Range(
        (k.low * fw - REST_VO2_ML_KG_MIN) / fw_net,
        (k.central * fw - REST_VO2_ML_KG_MIN) / fw_net,
        (k.high * fw - REST_VO2_ML_KG_MIN) / fw_net,
    )
    brisk_ratio = k.scaled(fw / forward_brisk.vo2_ml_kg_min.central)
    ratios = {"forward_same_speed": k, "forward_brisk": brisk_ratio}
    verdicts = tuple(judge(claim, ratios[claim.baseline]) for claim in CLAIMS)
    notes = (
        "Per minute at the same speed and grade backward walking costs more; per minute at "
        "your own pace it may not, because people walk slower backward.",
        "Heart-rate based calorie counts (watches) may overstate backward walking: at the same "
        "oxygen uptake heart rate is higher backward (Gait Posture 2018).",
    )
    return Comparison(
        backward=backward,
        forward_same=forward_same,
        forward_brisk=forward_brisk,
        vs_forward_pct=_pct(k),
        vs_forward_net_pct=_pct(net_ratio),
        vs_brisk_pct=_pct(brisk_ratio),
        verdicts=verdicts,
        notes=notes,
    )
