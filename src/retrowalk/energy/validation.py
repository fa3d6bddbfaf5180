"""Validation of the energy model against the measured conditions (pure: rows in, results out).

``bench/energy_validation.py`` reads ``energy_reference.csv`` and prints what this module
computes; ``tests/energy/test_validation.py`` asserts the same targets.

Notes
-----
Every condition with a numeric oxygen uptake (mL/kg/min) or MET value and a forward or backward
direction is scored; rows with no value (abstracts gave only the direction of an effect), with
values that cannot be put per kg (Heath 2001 gives L/min without body mass) or about lateral
movement are listed as skipped with the reason. When a row's grade is "not stated" the condition
is taken as level, and the result says so.

The backward ratio band was synthesised from these same conditions, so this is an in-sample
consistency check, not an independent test: it shows that the model, its range and its constants
agree with the evidence they came from, and that the two simpler approaches do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final

from retrowalk.energy.backward import FORWARD_AS_BACKWARD
from retrowalk.energy.conversions import ML_O2_KG_MIN_PER_MET
from retrowalk.energy.forward import ForwardModel
from retrowalk.energy.model import DEFAULT_MODEL, EnergyModel
from retrowalk.energy.ranges import Range
from retrowalk.vocabulary import Direction

__all__ = [
    "COMPENDIUM_BACKWARD_MET",
    "TARGET_COVERAGE",
    "TARGET_MAE_PCT",
    "MethodResult",
    "Prediction",
    "ReferenceCondition",
    "SkippedRow",
    "ValidationReport",
    "conditions_from_rows",
    "validate",
]

#: Target: mean absolute % error on the backward conditions (issue 3).
TARGET_MAE_PCT: Final = 10.0
#: Target: share of backward conditions whose measured value lies inside the predicted range.
TARGET_COVERAGE: Final = 1.0
#: Baseline: a fixed MET for all backward walking, Compendium code 17320 (2011 and 2024). [S]
COMPENDIUM_BACKWARD_MET: Final = 6.0

_LEADING_NUMBER: Final = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:\+/-.*)?$")

MODEL_NAME: Final = "RetroWalk model"
FORWARD_BASELINE_NAME: Final = "forward equation applied to backward (k = 1)"
MET_BASELINE_NAME: Final = f"fixed Compendium MET ({COMPENDIUM_BACKWARD_MET:g}, code 17320)"


@dataclass(frozen=True, slots=True)
class ReferenceCondition:
    """One measured (or tabulated) condition with a value to predict.

    Attributes
    ----------
    row_id
        The CSV row id.
    direction
        Forward or backward.
    speed_m_s, grade_pct
        The condition; ``grade_assumed`` is ``True`` when the source did not state the grade.
    measured_vo2_ml_kg_min
        Measured (or Compendium) oxygen uptake, mL/kg/min (METs x 3.5 for Compendium rows).
    kind
        ``"measured"`` or ``"compendium"``.
    """

    row_id: str
    direction: Direction
    speed_m_s: float
    grade_pct: float
    grade_assumed: bool
    measured_vo2_ml_kg_min: float
    kind: str


@dataclass(frozen=True, slots=True)
class SkippedRow:
    """A CSV row that cannot be scored, and why."""

    row_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class Prediction:
    """One method's prediction for one condition."""

    condition: ReferenceCondition
    predicted: Range

    @property
    def error_pct(self) -> float:
        """Central prediction minus measured, % of measured."""
        measured = self.condition.measured_vo2_ml_kg_min
        return (self.predicted.central - measured) / measured * 100

    @property
    def inside(self) -> bool:
        """Whether the measured value lies inside the predicted range."""
        return self.predicted.contains(self.condition.measured_vo2_ml_kg_min)


@dataclass(frozen=True, slots=True)
class MethodResult:
    """One method's predictions and its summary on the backward conditions."""

    name: str
    predictions: tuple[Prediction, ...]

    @property
    def backward(self) -> tuple[Prediction, ...]:
        """Predictions for the backward conditions."""
        return tuple(p for p in self.predictions if p.condition.direction is Direction.BACKWARD)

    @property
    def mae_pct(self) -> float:
        """Mean absolute % error on the backward conditions."""
        rows = self.backward
        return sum(abs(p.error_pct) for p in rows) / len(rows)

    @property
    def coverage(self) -> float:
        """Share of backward conditions inside the predicted range."""
        rows = self.backward
        return sum(p.inside for p in rows) / len(rows)


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """Everything the bench prints.

    Attributes
    ----------
    conditions
        Scored conditions.
    skipped
        Rows not scored, with reasons.
    model, forward_baseline, met_baseline
        The RetroWalk model and the two baselines.
    """

    conditions: tuple[ReferenceCondition, ...]
    skipped: tuple[SkippedRow, ...]
    model: MethodResult
    forward_baseline: MethodResult
    met_baseline: MethodResult

    def failures(self) -> tuple[str, ...]:
        """Targets missed (empty when all are met)."""
        out: list[str] = []
        if not self.model.backward:
            return ("no backward conditions to score",)
        if self.model.mae_pct > TARGET_MAE_PCT:
            out.append(f"MAE {self.model.mae_pct:.1f}% > {TARGET_MAE_PCT:g}%")
        if self.model.coverage < TARGET_COVERAGE:
            out.append(f"coverage {self.model.coverage:.0%} < {TARGET_COVERAGE:.0%}")
        for baseline in (self.forward_baseline, self.met_baseline):
            if self.model.mae_pct >= baseline.mae_pct:
                out.append(f"MAE not better than {baseline.name}")
        return tuple(out)


def _number(text: str) -> float | None:
    match = _LEADING_NUMBER.match(text or "")
    return float(match.group(1)) if match else None


def conditions_from_rows(
    rows: Iterable[Mapping[str, str]],
) -> tuple[tuple[ReferenceCondition, ...], tuple[SkippedRow, ...]]:
    """Pick the scorable conditions out of ``energy_reference.csv`` rows.

    Parameters
    ----------
    rows
        Mappings with the CSV's columns (as from :class:`csv.DictReader`).

    Returns
    -------
    tuple
        ``(conditions, skipped)``.
    """
    conditions: list[ReferenceCondition] = []
    skipped: list[SkippedRow] = []
    for row in rows:
        row_id = row.get("row_id", "?")
        vo2 = _number(row.get("vo2_ml_kg_min", ""))
        mets = _number(row.get("mets", ""))
        if vo2 is None and mets is not None:
            vo2 = mets * ML_O2_KG_MIN_PER_MET
        if vo2 is None:
            reason = "no numeric VO2 or MET value"
            if row.get("energy_reported"):
                reason += f" per kg (reported: {row['energy_reported']}; body mass not given)"
            skipped.append(SkippedRow(row_id, reason))
            continue
        try:
            direction = Direction(row.get("direction", "").strip())
        except ValueError:
            skipped.append(SkippedRow(row_id, f"direction {row.get('direction')!r} not modelled"))
            continue
        speed = _number(row.get("speed_m_s", ""))
        if speed is None:
            skipped.append(SkippedRow(row_id, "no single numeric speed"))
            continue
        grade_text = row.get("grade_pct", "").strip()
        grade = _number(grade_text)
        assumed = grade is None and grade_text.lower() in ("", "not stated")
        if grade is None and not assumed:
            skipped.append(SkippedRow(row_id, f"grade {grade_text!r} not a single number"))
            continue
        kind = "compendium" if "compendium" in row.get("record_type", "") else "measured"
        conditions.append(
            ReferenceCondition(row_id, direction, speed, grade or 0.0, assumed, vo2, kind)
        )
    return tuple(conditions), tuple(skipped)


def _predict(model: EnergyModel, c: ReferenceCondition) -> Prediction:
    vo2 = model.vo2_ml_kg_min(c.direction, c.speed_m_s, c.grade_pct)[0]
    return Prediction(c, vo2)


def validate(
    rows: Iterable[Mapping[str, str]], model: EnergyModel = DEFAULT_MODEL
) -> ValidationReport:
    """Score the model and the two baselines on every scorable condition.

    Parameters
    ----------
    rows
        ``energy_reference.csv`` rows.
    model
        The model to validate (the default is RetroWalk's).

    Returns
    -------
    ValidationReport
        Per-condition predictions and summaries; :meth:`ValidationReport.failures` lists the
        targets missed.
    """
    conditions, skipped = conditions_from_rows(rows)
    forward_only = EnergyModel(forward=ForwardModel(), backward=FORWARD_AS_BACKWARD)
    met_vo2 = COMPENDIUM_BACKWARD_MET * ML_O2_KG_MIN_PER_MET
    backward = [c for c in conditions if c.direction is Direction.BACKWARD]
    return ValidationReport(
        conditions=conditions,
        skipped=skipped,
        model=MethodResult(MODEL_NAME, tuple(_predict(model, c) for c in conditions)),
        forward_baseline=MethodResult(
            FORWARD_BASELINE_NAME, tuple(_predict(forward_only, c) for c in backward)
        ),
        met_baseline=MethodResult(
            MET_BASELINE_NAME, tuple(Prediction(c, Range.point(met_vo2)) for c in backward)
        ),
    )
