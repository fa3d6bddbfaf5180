"""The plan's treadmill limits, for the driver and for quick sessions on a treadmill.

- :func:`treadmill_limits` - the ceiling and step the governor enforces on every command;
- :func:`quick_treadmill_speeds` - the belt speed and limit of a quick session on a treadmill.

Without a plan, the most conservative ceiling of the rules is used
(``TREADMILL_CONSERVATIVE_MAX_M_S``, 1 mph): nothing is known about the walker.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from retrowalk.plans.rules import (
    SPEED_STEP_M_S,
    TREADMILL_CONSERVATIVE_MAX_M_S,
    TREADMILL_START_M_S,
)
from retrowalk.services.plans import current_plan
from retrowalk.treadmill.safety import SpeedLimits

__all__ = ["quick_treadmill_speeds", "treadmill_limits"]


def _ceiling_and_speed(session: Session) -> tuple[float, float]:
    stored = current_plan(session)
    if stored is None:
        return TREADMILL_CONSERVATIVE_MAX_M_S, min(
            TREADMILL_START_M_S, TREADMILL_CONSERVATIVE_MAX_M_S
        )
    plan = stored.plan
    ceiling = plan.state.treadmill_speed_max_m_s
    if plan.limits.treadmill_speed_max_m_s is not None:
        ceiling = min(ceiling, plan.limits.treadmill_speed_max_m_s)
    speed = plan.state.treadmill_speed_m_s or TREADMILL_START_M_S
    return ceiling, min(speed, ceiling)


def treadmill_limits(session: Session) -> SpeedLimits:
    """The plan level's belt ceiling and the speed step (``SPEED_STEP_M_S``)."""
    ceiling, _ = _ceiling_and_speed(session)
    return SpeedLimits(plan_max_m_s=ceiling, step_m_s=SPEED_STEP_M_S)


def quick_treadmill_speeds(session: Session) -> tuple[float, float]:
    """``(speed_target_m_s, speed_limit_m_s)`` for a quick session on a treadmill: the plan's
    current belt speed (else ``TREADMILL_START_M_S``) and the plan's ceiling."""
    ceiling, speed = _ceiling_and_speed(session)
    return speed, ceiling
