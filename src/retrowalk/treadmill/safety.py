"""The speed governor: the single place where every treadmill safety rule is decided.

Pure functions over frozen values; the driver (:mod:`retrowalk.treadmill.driver`) only carries
out what they return. The rules, each with the test that proves it, are listed in
``docs/treadmill.md``:

S1  Cap: a commanded speed is never above the segment's limit, the plan's level ceiling, nor the
    machine's reported maximum (:func:`speed_cap_m_s`, :func:`next_command`).
S2  Ramp: a rise is at most the plan's step above the last command, and the next rise waits until
    the belt is reported to have reached the last one (no report, no rise). The very first
    command may be the machine's minimum speed when that is above one step (a belt cannot run
    slower than its minimum). Slowing down is never delayed.
S3  Stop on pause, stop, end of session, lost connection and lost control (:func:`stop_for`).
S4  Overspeed: a reported belt speed above the cap plus ``OVERSPEED_TOLERANCE_M_S`` stops the belt.
S5  Never resume by itself: after any stop the driver waits for the walker (enforced in the
    driver, which only starts the belt on the walker's resume).
S6  The walker's hand wins: a speed changed on the console (within the cap) is followed, not
    fought, until the next segment; only S4 still applies.
S7  No usable speed range (missing, inconsistent, or a minimum above the cap): the belt is not
    driven at all.
S8  Watchdog: when the player stops following the session (a frozen terminal, a closed browser
    tab, a lost network between browser and server) for ``PLAYER_SILENCE_S``, the belt is
    stopped (:meth:`retrowalk.treadmill.driver.TreadmillDriver.watch`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from retrowalk.errors import InvalidInputError
from retrowalk.sessions.cues import Units, spoken_speed
from retrowalk.treadmill.ftms import SpeedRange, kmh_units_to_m_s, m_s_to_kmh_units_floor
from retrowalk.vocabulary import SpeedUnit

__all__ = [
    "DEFAULT_SEGMENT_SPEED_NOTE",
    "OVERSPEED_TOLERANCE_M_S",
    "PLAYER_SILENCE_S",
    "REACHED_TOLERANCE_M_S",
    "Decision",
    "Hold",
    "SetSpeed",
    "SpeedLimits",
    "StopBelt",
    "StopCause",
    "next_command",
    "snap_down_m_s",
    "speed_cap_m_s",
    "stop_for",
]

#: A reported belt speed this far above the cap is an overspeed (S4): 0.1 mph, the smallest speed
#: step on a treadmill console (cues: "treadmills set speed in 0.1 steps"). Design choice; no
#: source on belt speed accuracy was checked (see docs/evidence.md).
OVERSPEED_TOLERANCE_M_S: Final = 0.1 * 0.44704
#: The belt counts as having reached a command within this margin (S2). Design choice, the same
#: 0.1 mph console step.
REACHED_TOLERANCE_M_S: Final = 0.1 * 0.44704
#: Longest time without a player update before the watchdog stops the belt (S8), real s: six
#: missed updates of the web player (every 0.5 s). Design choice.
PLAYER_SILENCE_S: Final = 3.0
#: Said in docs: a treadmill segment without a target speed runs at the plan's first-try speed.
DEFAULT_SEGMENT_SPEED_NOTE: Final = "TREADMILL_START_M_S, capped by the segment's limit"

_EPS: Final = 1e-9


@dataclass(frozen=True, slots=True)
class SpeedLimits:
    """The plan's limits that hold for every segment.

    Attributes
    ----------
    plan_max_m_s
        The plan level's belt ceiling (``PlanLimits.treadmill_speed_max_m_s``), m/s.
    step_m_s
        Largest rise of one command (``SPEED_STEP_M_S``), m/s.
    overspeed_tolerance_m_s
        How far the reported belt speed may exceed the cap before the belt is stopped, m/s.
    """

    plan_max_m_s: float
    step_m_s: float
    overspeed_tolerance_m_s: float = OVERSPEED_TOLERANCE_M_S

    def __post_init__(self) -> None:
        for name in ("plan_max_m_s", "step_m_s"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0):
                raise InvalidInputError(name, value, "a speed above 0 m/s")
        tolerance = self.overspeed_tolerance_m_s
        if not (math.isfinite(tolerance) and 0 <= tolerance <= 0.5):
            raise InvalidInputError("overspeed_tolerance_m_s", tolerance, "0 to 0.5 m/s")


class StopCause(StrEnum):
    """Why the governor stops the belt."""

    PAUSED = "paused"
    STOPPED = "stopped"
    ENDED = "ended"
    CONNECTION_LOST = "connection_lost"
    CONTROL_LOST = "control_lost"
    OVERSPEED = "overspeed"
    NO_SPEED_RANGE = "no_speed_range"
    COMMAND_REFUSED = "command_refused"
    STOPPED_AT_MACHINE = "stopped_at_machine"
    PLAYER_SILENT = "player_silent"


@dataclass(frozen=True, slots=True)
class SetSpeed:
    """Command this target speed (m/s, already capped, ramped and snapped to the machine)."""

    speed_m_s: float


@dataclass(frozen=True, slots=True)
class Hold:
    """Send nothing: the belt is where it should be, or is still getting there."""


@dataclass(frozen=True, slots=True)
class StopBelt:
    """Command stop (pause for :attr:`StopCause.PAUSED`) and tell the walker ``message``."""

    cause: StopCause
    message: str


Decision = SetSpeed | Hold | StopBelt


def speed_cap_m_s(
    segment_limit_m_s: float | None, limits: SpeedLimits, machine: SpeedRange
) -> float:
    """The highest speed that may be commanded now (S1): the least of the segment's limit, the
    plan's ceiling and the machine's maximum."""
    cap = min(limits.plan_max_m_s, machine.max_m_s)
    if segment_limit_m_s is not None:
        cap = min(cap, segment_limit_m_s)
    return cap


def snap_down_m_s(speed_m_s: float, machine: SpeedRange) -> float:
    """``speed_m_s`` rounded down to the wire resolution (0.01 km/h) and to the machine's
    increment above its minimum; never rounded up."""
    units = m_s_to_kmh_units_floor(speed_m_s)
    low = m_s_to_kmh_units_floor(machine.min_m_s)
    step = m_s_to_kmh_units_floor(machine.increment_m_s)
    if step > 0 and units > low:
        units = low + (units - low) // step * step
    return kmh_units_to_m_s(units)


def _overspeed(belt_m_s: float, cap_m_s: float, units: Units) -> StopBelt:
    return StopBelt(
        StopCause.OVERSPEED,
        f"The belt is running at {spoken_speed(belt_m_s, units)}, faster than your limit of "
        f"{spoken_speed(cap_m_s, units)}. Stopping the belt. Hold the rails.",
    )


def next_command(
    *,
    wanted_m_s: float | None,
    segment_limit_m_s: float | None,
    limits: SpeedLimits,
    machine: SpeedRange | None,
    last_command_m_s: float | None,
    belt_m_s: float | None,
    units: Units = SpeedUnit.MPH,
) -> Decision:
    """What to tell the belt now.

    Parameters
    ----------
    wanted_m_s
        The speed the segment asks for; ``None`` to command nothing new (the walker set the
        speed by hand, S6): only the overspeed check applies.
    segment_limit_m_s
        The segment's ``speed_limit_m_s``.
    limits, machine
        The plan's limits and the machine's supported speed range (``None``: unknown, S7).
    last_command_m_s
        The last target speed commanded since the belt was started, or ``None`` (S2 then ramps
        from the reported belt speed, or from standstill).
    belt_m_s
        The belt speed last reported by the machine, or ``None``.
    units
        The walker's units for the message.

    Returns
    -------
    Decision
        :class:`SetSpeed` with a speed that satisfies S1 and S2, :class:`Hold`, or
        :class:`StopBelt` (S4, S7).
    """
    if machine is None:
        return StopBelt(
            StopCause.NO_SPEED_RANGE,
            "The treadmill did not report a usable speed range: RetroWalk will not drive it. "
            "Set the speed with the treadmill's own buttons.",
        )
    cap = speed_cap_m_s(segment_limit_m_s, limits, machine)
    if belt_m_s is not None and belt_m_s > cap + limits.overspeed_tolerance_m_s + _EPS:
        return _overspeed(belt_m_s, cap, units)
    if machine.min_m_s > cap + _EPS:
        return StopBelt(
            StopCause.NO_SPEED_RANGE,
            f"The treadmill's slowest speed, {spoken_speed(machine.min_m_s, units)}, is above "
            f"your limit of {spoken_speed(cap, units)}: RetroWalk will not drive it.",
        )
    if wanted_m_s is None:
        return Hold()
    goal = min(max(wanted_m_s, 0.0), cap)
    if last_command_m_s is None:
        reference = 0.0 if belt_m_s is None else min(belt_m_s, cap)
    else:
        reference = last_command_m_s
        rising = goal > last_command_m_s + _EPS
        if rising and (belt_m_s is None or belt_m_s < last_command_m_s - REACHED_TOLERANCE_M_S):
            return Hold()  # S2: no report yet that the belt has reached the last step
    if goal > reference + _EPS:
        goal = min(goal, max(reference + limits.step_m_s, machine.min_m_s))
    speed = snap_down_m_s(goal, machine)
    if speed < machine.min_m_s - _EPS:
        speed = machine.min_m_s  # at most the cap: checked above
    if last_command_m_s is not None and abs(speed - last_command_m_s) < _EPS:
        return Hold()
    return SetSpeed(speed)


def stop_for(cause: StopCause, units: Units = SpeedUnit.MPH) -> StopBelt:
    """The stop and what to tell the walker for a session or link event (S3)."""
    del units  # the messages below name no speed
    messages = {
        StopCause.PAUSED: "Session paused: the belt is pausing. Hold the rails.",
        StopCause.STOPPED: "Session stopped: the belt is stopping. Hold the rails.",
        StopCause.ENDED: "Session over: the belt is stopping. Hold the rails.",
        StopCause.CONNECTION_LOST: (
            "Lost the connection to the treadmill. Press its stop button or pull the safety key "
            "now; the session is paused."
        ),
        StopCause.CONTROL_LOST: (
            "The treadmill took back control: stopping the belt; the session is paused. "
            "Use the treadmill's buttons if it keeps moving."
        ),
        StopCause.COMMAND_REFUSED: (
            "The treadmill refused a command: stopping the belt; the session is paused."
        ),
        StopCause.STOPPED_AT_MACHINE: (
            "The belt was stopped at the treadmill; the session is paused. Resume when ready."
        ),
        StopCause.PLAYER_SILENT: (
            "The session player stopped answering: stopping the belt. Resume when ready."
        ),
    }
    message = messages.get(cause, "Stopping the belt.")
    return StopBelt(cause, message)
