"""Segment and session totals.

A session is a sequence of segments, each with a direction, duration, speed, grade and whether
it is on a treadmill. Overground segments are self-paced and usually have no known speed: the
caller supplies an assumed speed (per direction), or an assumed speed *range* per segment
(:mod:`retrowalk.energy.assumed`, costed over the whole range, marked ``"assumed"``), or the
segment is left uncosted with a reason and the session has no total. A missing speed never
becomes 0.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from retrowalk.energy.assumed import ASSUMED_SPEED_NOTE
from retrowalk.energy.model import DEFAULT_MODEL, EnergyEstimate, EnergyModel
from retrowalk.energy.ranges import Range
from retrowalk.errors import InvalidInputError
from retrowalk.segments import PlannedSegment
from retrowalk.vocabulary import Direction

__all__ = ["SegmentEnergy", "SessionEnergy", "WalkedSegment", "estimate_session"]

SpeedSource = Literal["given", "motion", "assumed"]

#: Plain words shown with any energy figure made from the speed estimated from the walk's steps.
MOTION_SPEED_NOTE = (
    "Speed from your steps: the phone counted your steps, and your speed was worked out from "
    "them and a typical step length (a range, wider walking backward), so the energy range "
    "is wider too."
)


@dataclass(frozen=True, slots=True)
class WalkedSegment:
    """One segment to cost: a direction, a duration and (if known) a speed.

    Parameters
    ----------
    direction
        Walking direction.
    duration_s
        Duration in seconds (> 0).
    speed_m_s
        Speed in m/s, or ``None`` if unknown (typical overground).
    grade_pct
        Grade in percent (0 = level; negative = downhill).
    treadmill
        Whether the segment is on a treadmill.
    assumed_speed_m_s
        Speeds to assume when ``speed_m_s`` is ``None`` (low, central, high; see
        :func:`retrowalk.energy.assumed.assumed_speed_m_s`): the segment is then costed over the
        whole range and its energy range widened. ``None``: no assumption.
    motion_speed_m_s
        The speed estimated from the walk itself (cadence × step length, with its range:
        :func:`retrowalk.motion.speed.speed_from_cadence`), used before any assumed speed when
        ``speed_m_s`` is ``None``: costed over its range like an assumed one, marked ``"motion"``.
    """

    direction: Direction
    duration_s: float
    speed_m_s: float | None
    grade_pct: float = 0.0
    treadmill: bool = False
    assumed_speed_m_s: Range | None = None
    motion_speed_m_s: Range | None = None

    def __post_init__(self) -> None:
        try:
            Direction(self.direction)
        except ValueError:
            raise InvalidInputError(
                "direction", self.direction, "'forward' or 'backward'"
            ) from None
        if not (math.isfinite(self.duration_s) and self.duration_s > 0):
            raise InvalidInputError("duration_s", self.duration_s, "a duration above 0 s")
        if self.speed_m_s is not None and not (
            math.isfinite(self.speed_m_s) and self.speed_m_s > 0
        ):
            raise InvalidInputError("speed_m_s", self.speed_m_s, "a speed above 0 m/s, or none")
        if not math.isfinite(self.grade_pct):
            raise InvalidInputError("grade_pct", self.grade_pct, "a finite grade in percent")
        if self.assumed_speed_m_s is not None and not self.assumed_speed_m_s.low > 0:
            raise InvalidInputError(
                "assumed_speed_m_s", self.assumed_speed_m_s, "speeds above 0 m/s, or none"
            )
        if self.motion_speed_m_s is not None and not self.motion_speed_m_s.low > 0:
            raise InvalidInputError(
                "motion_speed_m_s", self.motion_speed_m_s, "speeds above 0 m/s, or none"
            )

    @classmethod
    def from_planned(cls, segment: PlannedSegment) -> WalkedSegment:
        """The costing view of a planned segment (its target speed, ``None`` if self-paced)."""
        return cls(
            direction=segment.direction,
            duration_s=segment.duration_s,
            speed_m_s=segment.speed_target_m_s,
            grade_pct=segment.grade_pct,
            treadmill=segment.environment.is_treadmill,
        )


@dataclass(frozen=True, slots=True)
class SegmentEnergy:
    """The cost of one segment, or why it has none.

    Attributes
    ----------
    segment
        The segment costed.
    speed_source
        ``"given"`` (the segment's own speed), ``"motion"`` (the speed range from the walk's
        steps), ``"assumed"`` (the caller's assumed speed) or ``None`` when the segment could
        not be costed.
    estimate
        The estimate, or ``None``.
    reason
        Why there is no estimate, or ``None``.
    """

    segment: WalkedSegment
    speed_source: SpeedSource | None
    estimate: EnergyEstimate | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SessionEnergy:
    """Totals over a session.

    Attributes
    ----------
    segments
        Per-segment results, in order.
    duration_s
        Total duration, s.
    energy_kcal, energy_net_kcal
        Gross and net totals, kcal; ``None`` if any segment could not be costed. Ranges add
        end-wise (the model's errors are systematic, so they do not average out).
    reason
        Why there is no total, or ``None``.
    warnings
        The distinct warnings of every segment, plus a note on assumed speeds.
    """

    segments: tuple[SegmentEnergy, ...]
    duration_s: float
    energy_kcal: Range | None
    energy_net_kcal: Range | None
    reason: str | None = None
    warnings: tuple[str, ...] = field(default=())


def _over_speed_range(
    model: EnergyModel,
    segment: WalkedSegment,
    speeds: Range,
    practice: int,
    mass_kg: float,
) -> EnergyEstimate:
    """The estimate at ``speeds.central``, its ranges widened to the model's low end at the
    slowest speed and its high end at the fastest (whichever is lower or higher)."""
    ends = [
        model.estimate(
            segment.direction,
            speed,
            segment.grade_pct,
            mass_kg,
            segment.duration_s,
            backward_practice_sessions=practice,
        )
        for speed in (speeds.low, speeds.central, speeds.high)
    ]
    central = ends[1]

    def widen(name: str) -> Range:
        values = [getattr(one, name) for one in ends]
        middle = getattr(central, name).central
        return Range(min(v.low for v in values), middle, max(v.high for v in values))

    return dataclasses.replace(
        central,
        vo2_ml_kg_min=widen("vo2_ml_kg_min"),
        mets=widen("mets"),
        energy_kcal=widen("energy_kcal"),
        energy_net_kcal=widen("energy_net_kcal"),
        warnings=tuple(dict.fromkeys(w for one in ends for w in one.warnings)),
    )


def estimate_session(
    segments: Sequence[WalkedSegment | PlannedSegment],
    mass_kg: float,
    *,
    backward_practice_sessions: int = 0,
    assumed_forward_speed_m_s: float | None = None,
    assumed_backward_speed_m_s: float | None = None,
    model: EnergyModel = DEFAULT_MODEL,
) -> SessionEnergy:
    """Cost every segment of a session and add them up.

    Parameters
    ----------
    segments
        :class:`WalkedSegment` or :class:`retrowalk.segments.PlannedSegment` items.
    mass_kg
        Body mass, kg.
    backward_practice_sessions
        Backward sessions done before this one (see :func:`retrowalk.energy.estimate`).
    assumed_forward_speed_m_s, assumed_backward_speed_m_s
        Speed to assume for segments without one. People walk slower backward than forward,
        hence one per direction. ``None``: such segments are costed over their own
        ``assumed_speed_m_s`` range if they have one, and are otherwise not costed.
    model
        The energy model.

    Returns
    -------
    SessionEnergy
        Per-segment estimates and totals (``None`` totals, with a reason, if any segment lacks a
        speed). An empty session costs 0 kcal.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        On invalid mass, speed, grade or duration (naming the field).
    """
    assumed = {
        Direction.FORWARD: assumed_forward_speed_m_s,
        Direction.BACKWARD: assumed_backward_speed_m_s,
    }
    results: list[SegmentEnergy] = []
    warnings: list[str] = []
    for item in segments:
        segment = WalkedSegment.from_planned(item) if isinstance(item, PlannedSegment) else item
        direction = Direction(segment.direction)
        speed = segment.speed_m_s
        source: SpeedSource = "given"
        # Without a speed: the range from the walk's steps, else the one speed the caller
        # assumes, else the segment's assumed range for its place and direction.
        by_range: tuple[SpeedSource, Range, str] | None = None
        if speed is None and segment.motion_speed_m_s is not None:
            by_range = ("motion", segment.motion_speed_m_s, MOTION_SPEED_NOTE)
        elif speed is None and assumed[direction] is not None:
            speed, source = assumed[direction], "assumed"
        elif speed is None and segment.assumed_speed_m_s is not None:
            by_range = ("assumed", segment.assumed_speed_m_s, ASSUMED_SPEED_NOTE)
        if by_range is not None:
            range_source, speeds, note = by_range
            widened = _over_speed_range(model, segment, speeds, backward_practice_sessions, mass_kg)
            results.append(SegmentEnergy(segment, range_source, widened))
            warnings.append(note)
            warnings.extend(widened.warnings)
            continue
        if speed is None:
            place = "treadmill" if segment.treadmill else "overground"
            results.append(
                SegmentEnergy(
                    segment,
                    None,
                    None,
                    f"{place} {direction.value} segment has no speed and no assumed "
                    f"{direction.value} speed was given",
                )
            )
            continue
        result = model.estimate(
            direction,
            speed,
            segment.grade_pct,
            mass_kg,
            segment.duration_s,
            backward_practice_sessions=backward_practice_sessions,
        )
        results.append(SegmentEnergy(segment, source, result))
        if source == "assumed":
            warnings.append(
                f"assumed speed: {direction.value} segments without a speed were costed at "
                f"{speed:g} m/s"
            )
        warnings.extend(result.warnings)
    duration_s = sum(r.segment.duration_s for r in results)
    distinct = tuple(dict.fromkeys(warnings))
    missing = [i for i, r in enumerate(results) if r.estimate is None]
    if missing:
        numbers = ", ".join(str(i + 1) for i in missing)
        return SessionEnergy(
            tuple(results),
            duration_s,
            None,
            None,
            f"no total: segment(s) {numbers} have no speed; give an assumed speed to cost them",
            distinct,
        )
    estimates = [r.estimate for r in results if r.estimate is not None]
    gross = Range.point(0.0)
    net = Range.point(0.0)
    for one in estimates:
        gross = gross + one.energy_kcal
        net = net + one.energy_net_kcal
    if not results:
        # An empty session costs 0 kcal, but the mass must still be valid.
        model.estimate(Direction.FORWARD, 1.0, 0.0, mass_kg, 1.0)
    return SessionEnergy(tuple(results), duration_s, gross, net, None, distinct)
